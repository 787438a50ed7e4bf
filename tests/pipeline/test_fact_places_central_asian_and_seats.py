"""Places the stage read wrongly in Kazakh, Kyrgyz and Uzbek stories, and the seats of officials and
offices in English ones (issue #19; on dev the Kazakh stories' place precision was 0.58 against 0.83 on
train, so these were looked for in train's Kazakh, Kyrgyz and Uzbek stories first).

- A region named by two words keeps its kind word («Шығыс Қазақстан облысының»), so the words after it
  are read after the name: a region's police, a resident.
- Kazakh settlements and stations are places («Зачаған кентінде», «Сауран бекетінің»).
- A Russian kind word before a name is one in a Russian case form only: kk «станциясынан» and
  «аэропортына» name the place before them, not after.
- A pronoun or an adverb opening a Kazakh sentence is no name («Қазір учаске», «Бұл ауданда»).
- Where drugs were taken to or meant to be sold, a citizen's or a resident's region, a police
  department's abbreviation, a border detachment, a TV channel, a province's minister or police chief,
  a town's newspaper, a regional office, a border guard unit, where a car was heading, where officials
  spoke to reporters.
- An English place named by its parts joined by "of" is read whole ("residents of the Bulungur district
  of Samarkand region": both parts are a home).

Sentences are quoted from real published stories of ``corpus/facts``.
"""

from __future__ import annotations

from tests.pipeline.fact_reading import place_candidates, places


def test_a_two_word_kazakh_region_keeps_its_kind_word() -> None:
    text = "Абай облысында 2 кг есірткі тәркіленді. Шығыс Қазақстан облысында да топ ұсталды."
    assert "Шығыс Қазақстан облысында" in place_candidates(text)


def test_a_two_word_kazakh_regions_police_is_no_place_of_the_event() -> None:
    text = (
        "Абай облысында синтетикалық есірткімен айналысқан топ ұсталды\n\n"
        "«Жедел операция барысында Шығыс Қазақстан облысының полиция қызметкерлері синтетикалық "
        "есірткінің аса ірі партияларын жеткізумен айналысатын топты ұстады."
    )
    assert places(text, language="kk") == ["Абай облысында"]


def test_a_regions_police_in_kazakh_latin_script_is_no_place_of_the_event() -> None:
    text = (
        "Oral turǵyny jertólesinde esirtki ósirgen\n\n"
        "Batys Qazaqstan oblysy polıtsııa departamentiniń baspasóz qyzmetinen túsken málimetke qaraǵanda, "
        "atalmysh derek «Kóknár» jáne «Dopıng» jedel aldyn alý sharlary barysynda anyqtaldy.\n"
        "1992 jylǵy turǵyn Zachagan kentindegi «Voshod» garaj kooperatıvine qarasty garajdardyń birinde "
        "esirtki zattaryn zańsyz ósirip, saqtaǵany úshin ustaldy."
    )
    assert places(text, language="kk") == ["Zachagan kentindegi"]


def test_a_kazakh_station_is_a_place() -> None:
    text = (
        "Түркістан облысында екі жолаушыдан есірткі тәркіленді. Полицейлер «Батыс Еуропа - Батыс Қытай» "
        "автожолындағы Сауран бекетінің маңында көлікті тоқтатты."
    )
    assert "Сауран бекетінің" in place_candidates(text)


def test_a_kazakh_word_for_a_station_does_not_name_the_town_after_it() -> None:
    text = "Күдіктінің айтуынша, жүк пойызымен ол қарасораны Шу станциясынан Шымкентке апаруға тырысқан."
    assert "станциясынан Шымкентке" not in place_candidates(text)
    assert "Шымкентке" not in places(text, language="kk")


def test_russian_kind_words_before_a_name_still_name_it() -> None:
    text = (
        "В районе Минеево на улице Народной, на станции Мичуринск-Воронежский, в аэропорту Праги и на "
        "острове Зелинский; в районе улиц Калинина и Ленина."
    )
    assert place_candidates(text) == [
        "районе Минеево",
        "улице Народной",
        "станции Мичуринск-Воронежский",
        "аэропорту Праги",
        "острове Зелинский",
        "улиц Калинина",
    ]


def test_a_kazakh_adverb_opening_a_sentence_is_no_name() -> None:
    text = "Қазір учаске иесінің заңсыз істі ұйымдастыруға қатысы бар-жоғы анықталып жатыр."
    assert place_candidates(text) == []


def test_a_kazakh_pronoun_before_a_kind_word_is_no_name() -> None:
    assert place_candidates("Бұл ауданда 5 кг табылды. Осы ауылда тұратын ер адам ұсталды.") == []


def test_towns_where_a_kazakh_group_meant_to_sell_are_not_the_events() -> None:
    text = (
        "Қылмыстық топ өлімге әкелетін тауарды Астана, Алматы, Қонаев, Көкшетау, Шымкент, Тараз, Қызылорда "
        "және Өскемен қалаларында таратуды көздеген. Жинақталған бұлтартпас айғақтардың нәтижесінде Шымкент "
        "және Қонаев қалаларында есірткі синдикатының ұйымдастырушысы мен үш көмекшісі ұсталды."
    )
    assert places(text, language="kk") == ["Шымкент", "Қонаев қалаларында"]


def test_a_citizens_region_in_kazakh_is_a_home() -> None:
    text = (
        "Шығыс Қазақстанда есірткі тасымалдаған топ ұсталды. Полицейлер олардың жасырын сауда жолын "
        "анықтап, қолға түсірген.\nАбай ауданында апиын тәркіленді. Қазір қылмыстық топтың ұйымдастырушы "
        "ретінде ұсталған Жамбыл облысының азаматының үстінен қылмыстық іс қозғалды."
    )
    assert "Жамбыл облысының" not in places(text, language="kk")


def test_where_an_uzbek_suspect_lives_is_a_home() -> None:
    text = (
        "У Фарғона вилояти Риштон тумани ҳудуди орқали қўшни давлатдан кириб келган бўлиб, Учкўприк "
        "туманида яшаши аниқланган."
    )
    assert "Учкўприк туманида" not in places(text, language="uz")


def test_a_kazakh_regions_police_department_by_its_abbreviation_is_no_place() -> None:
    text = (
        "Тараз қаласында 15 келі марихуана тәркіленді. “Қарасора” арнайы операциясы маусым айынан қазан "
        "айының соңына дейін жүргізілетін болады, – деді Жамбыл облысы ПД есірткі қылмысына қарсы іс-қимыл "
        "басқармасының басшысы."
    )
    assert places(text, language="kk") == ["Тараз қаласында"]


def test_an_uzbek_forensic_centre_of_the_interior_ministry_is_no_place() -> None:
    text = (
        "To'rtko'l tumanida o'tkazilgan tezkor tadbir davomida opiy aniqlandi.\n\n"
        "Qoraqalpog'iston Respublikasi IIV EKBning xulosasiga ko'ra, ushbu moddalar sof og'irligi 99,42 "
        "grammni tashkil etuvchi opiy giyohvandlik vositasi ekanligi aniqlandi."
    )
    assert places(text, language="uz") == ["To'rtko'l tumanida"]


def test_a_regions_border_detachment_is_no_place() -> None:
    text = (
        "Пограничники Костанайского погранотряда изъяли героин общим весом в 34 килограмма на пункте "
        "пропуска «Кайрак авто»."
    )
    assert "Костанайского" not in places(text)


def test_a_towns_tv_channel_is_no_place() -> None:
    text = (
        "В Караганде полицейские задержали 75-летнего мужчину с рекордной партией марихуаны. Операция "
        "прошла в рамках республиканского мероприятия «Қарасора - 2025», передает Astana TV со ссылкой на "
        "Polisia.kz."
    )
    assert places(text) == ["Караганде"]


def test_a_provinces_minister_or_police_chief_is_no_place() -> None:
    text = (
        "Excise police arrested a drug pusher in Karachi. In a statement, Sindh Minister for Excise & "
        "Taxation and Narcotics Control said the action would continue. Punjab Director General of Police "
        "Gaurav Yadav said the arrest was made during a cordon and search operation."
    )
    assert places(text, language="en") == ["Karachi"]


def test_a_towns_newspaper_is_no_place() -> None:
    text = (
        "Consignment of drugs discovered in Nangarhar\n\nBy: The Kabul Times\n\nJALALABAD: Two smugglers "
        "were arrested in Momand Dara district of Nangarhar province."
    )
    assert "Kabul" not in places(text, language="en")


def test_a_regional_office_or_a_border_guard_unit_is_no_place() -> None:
    text = (
        "People attempting to smuggle narcotics were detained on the territory controlled by the Goytapa "
        "border guard unit near Ostayir village. The investigators of the SBU Rivne Regional Office served "
        "a notice of suspicion."
    )
    found = places(text, language="en")
    assert "Ostayir village" in found
    assert not {"Goytapa border", "Rivne"} & set(found)


def test_where_a_car_was_heading_or_drugs_were_booked_for_is_no_place() -> None:
    text = (
        "In the Dangara district in the village of Chagali, a Spark car was stopped, which was heading for "
        "Tashkent. The narcotics had been booked for Dubai by a Karachi-based company."
    )
    found = places(text, language="en")
    assert "Dangara district" in found
    assert not {"Tashkent", "Dubai"} & set(found)


def test_the_land_a_border_unit_guards_is_no_place() -> None:
    text = (
        "Drugs were seized near Bahramtapa in Imishli region. The Horadiz border detachment operates on the "
        "border with Iran on the territory of Azerbaijan's liberated Fuzuli region."
    )
    assert "Fuzuli region" not in places(text, language="en")


def test_an_english_home_named_by_its_parts_is_a_home_whole() -> None:
    text = (
        "Uzbek Border Troops seized opium at the Termez checkpoint. It was revealed that two residents of "
        "the Bulungur district of Samarkand region (aged 28 and 29) had smuggled 79.36 kg of opium from "
        "Tajikistan."
    )
    assert "Samarkand region" not in places(text, language="en")


def test_where_officials_spoke_to_reporters_is_no_place() -> None:
    text = (
        "Police seized 300 kg of opium in Iranshahr. Speaking to reporters in Zahedan, the province's "
        "capital, Brigadier General Hossein Rahimi said the drugs came from the border."
    )
    assert places(text, language="en") == ["Iranshahr"]


def test_moldova_in_russian_is_a_country_not_a_place() -> None:
    text = "В Молдове задержали рекордную по объему партию наркотиков в Кишиневе."
    assert places(text) == ["Кишиневе"]


def test_an_uzbek_region_where_the_security_service_acted_is_the_events() -> None:
    text = (
        "Farg‘ona viloyatida DXX, Ichki ishlar va Bojxona organlari tomonidan giyohvandlik vositalarining "
        "noqonuniy aylanishiga qarshi bir qator tezkor tadbirlar o‘tkazildi."
    )
    assert places(text, language="uz") == ["Farg'ona viloyatida"]  # the text as the stage normalises it


def test_an_uzbek_security_service_directorate_is_no_place() -> None:
    text = (
        "Qoraqalpog'iston Respublikasi bojxona boshqarmasi xodimlari tomonidan Qoraqalpog'iston Respublikasi "
        "DXX boshqarmasi xodimlari bilan hamkorlikda To'rtko'l tumanida o'tkazilgan tezkor tadbir davomida "
        "opiy aniqlandi."
    )
    assert places(text, language="uz") == ["To'rtko'l tumanida"]
