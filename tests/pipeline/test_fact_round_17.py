"""What the stage learnt from the train part of the seventeenth fresh batch (issue #19), checked on
the eighteenth: more shapes of a dateline and of a site's furniture, places named in lists before
their kind word, South Asia's interchanges, check posts and ports, the seats of governors, customs
and district offices, where someone lives, and places the drugs were going to.

Sentences are quoted from real published stories of ``corpus/facts`` train and dev.
"""

from __future__ import annotations

from tests.pipeline.fact_reading import places


def test_a_place_before_a_wire_agency_in_brackets_is_a_dateline() -> None:
    text = (
        "Drug Factory Discovered and Destroyed in Nangarhar\n\nJalalabad (BNA) Security officials reported "
        "from discovery and destruction of a drug factory in Achin district of Nangarhar province."
    )
    assert "Jalalabad" not in places(text, "en")
    assert "Achin district" in places(text, "en")


def test_a_place_opening_a_line_before_a_dash_is_a_dateline() -> None:
    text = (
        "Bid to smuggle 72kg hashish, 4kg heroin foiled\n\nAugust 24, 2023\nPeshawar   -  In a significant "
        "joint operation, the Excise police intercepted a vehicle on Marhati Road."
    )
    assert places(text, "en") == ["Marhati Road"]


def test_the_city_of_a_sites_weather_box_is_no_place() -> None:
    text = "menu open\nweather +7 Киев\n\nВ Полтавской области изъята самая большая партия метадона."
    assert places(text) == ["Полтавской области"]


def test_a_line_of_city_agency_and_author_is_a_signature() -> None:
    text = (
        "При досмотре автобуса в Термезе узбекские таможенники задержали гражданина Таджикистана.\n"
        "Екатеринбург, Регион-Информ, Ирина Кривозубова\nОтправляйте свои новости"
    )
    assert places(text) == ["Термезе"]


def test_a_town_a_vehicle_was_bound_for_is_no_place() -> None:
    text = "The police cops in Jamrud stopped a Peshawar bound vehicle (pickup) for checking."
    assert places(text, "en") == ["Jamrud"]


def test_the_region_of_kazakh_police_officers_is_their_seat() -> None:
    text = "Абай облысының полиция қызметкерлері Аягөз-шеп бекетінде есірткі тәркіледі."
    assert "Абай облысының" not in places(text, "kk")


def test_the_region_of_a_governor_is_no_place() -> None:
    text = (
        "Полицейские обнаружили 170 кустов мака в огороде жителя станицы Нижнебаканской. Губернатор "
        "Краснодарского края Вениамин Кондратьев напомнил о правилах."
    )
    assert "Краснодарского края" not in places(text)


def test_places_listed_before_a_plural_kind_word_are_each_a_place() -> None:
    text = (
        "the ministry said the police launched the operation in the Kucukcekmece and Esenyurt districts on "
        "the European side of the city."
    )
    assert places(text, "en") == ["Kucukcekmece", "Esenyurt"]
    text = (
        "The two operations were conducted on Tuesday nights in Nakor Khail and Kachar villages of Khogyani "
        "district."
    )
    assert places(text, "en") == ["Nakor Khail", "Kachar", "Khogyani district"]


def test_towns_of_a_list_are_each_a_place() -> None:
    text = (
        "detained on illicit drug trade charges in Tbilisi, Batumi and Rustavi cities, as well as towns of "
        "Lagodekhi and Marneuli."
    )
    assert {"Lagodekhi", "Marneuli"} <= set(places(text, "en"))


def test_an_interchange_a_check_post_and_a_port_are_places() -> None:
    text = (
        "ANF Rawalpindi Road Check Team seized a Suzuki Pickup at Fatejang Motorway Interchange, Tehsil "
        "Fatehjang."
    )
    assert "Fatejang Motorway Interchange" in places(text, "en")
    text = "Acting on a tip-off ANF conducted an operation near Motorway Interchange Sahianwala, Faisalabad."
    assert places(text, "en")[0] == "Sahianwala"
    text = "the Bara police acted on a tip-off and established checkpoints at the Nullah Checkpost."
    assert places(text, "en") == ["Nullah Checkpost"]
    text = "ANF conducted an operation in a shipment containing water dispensers at Port Qasim, Karachi."
    assert "Port Qasim" in places(text, "en")


def test_a_port_official_and_the_airport_security_force_are_no_places() -> None:
    assert places("The Airport Security Force (ASF) seized 2.433 kilogrammes of crystal meth.", "en") == []
    assert places("Port Director Ali Khan said the containers were held in Karachi.", "en") == ["Karachi"]


def test_a_sites_news_banner_is_no_place() -> None:
    text = "Главные новости Батайска\n\nВ Ростове полицейские задержали закладчика с 20 свертками."
    assert places(text) == ["Ростове"]


def test_the_customs_of_a_region_is_its_seat() -> None:
    text = (
        "Сотрудники СГБ и таможни Ферганской области задержали жителя Ташлакского района, дома у которого "
        "обнаружили 3 кг гашиша."
    )
    assert "Ферганской области" not in places(text)


def test_a_regional_customs_administration_is_its_seat() -> None:
    text = (
        "Drugs were found in Termez by employees of the department of anti-smuggling of the Surkhandarya "
        "Regional Customs Administration."
    )
    assert places(text, "en") == ["Termez"]


def test_the_district_of_a_district_office_is_its_seat() -> None:
    text = (
        "В ночь с 21 сентября сотрудники Мугалжарского районного отдела полиции остановили автомашину на "
        "трассе Актобе - Астрахань."
    )
    assert "Мугалжарского районного" not in " ".join(places(text))


def test_where_someone_lives_is_their_home() -> None:
    text = (
        "В городе Ноокат Ошской области 21 июня был задержан 47-летний мужчина, проживающий в Лейлекском "
        "районе. У задержанного обнаружен и изъят 1 кг героина."
    )
    assert "Лейлекском районе" not in places(text)


def test_a_home_is_not_the_place_of_a_story_that_names_none() -> None:
    text = (
        "Силовики задержали 29-летнего жителя Челябинска и 32-летнего жителя Магнитогорска, причастных к "
        "контрабанде. Из их лаборатории изъяли 43 кг мефедрона."
    )
    assert places(text) == ["Челябинска"]


def test_the_inspector_general_of_a_province_is_no_place() -> None:
    text = (
        "On the direction of Inspector General Police, Punjab, Dr Usman Anwar, the district police arrested "
        "134 drug peddlers in Sargodha."
    )
    assert places(text, "en") == ["Sargodha"]


def test_a_quoted_garden_partnership_or_a_bonded_warehouse_is_a_place() -> None:
    text = "На территории СНТ «Здоровье» сотрудники наркоконтроля задержали 19-летнего иностранца."
    assert places(text) == ["Здоровье"]
    text = "в ходе карантинного фитосанитарного контроля на СВХ \"Виадук\" предотвращен ввоз 3 кг кокаина."
    assert places(text) == ["Виадук"]


def test_an_island_named_after_its_kind_word_is_a_place() -> None:
    text = "Полицейские обнаружили в акватории водохранилища, на острове Большой, плантацию конопли."
    assert places(text) == ["острове Большой"]


def test_kazakhstans_regions_by_their_abbreviations_are_places() -> None:
    assert places("Крупную партию героина изъяли на границе с Россией в ЗКО.") == ["ЗКО"]
    assert places("В Восточном Казахстане перекрыт канал поступления синтетики.") == ["Восточном Казахстане"]


def test_short_names_of_regions_are_places() -> None:
    assert places("В Ташкенте и Кашкадарье пресечен оборот крупной партии наркотиков.") == [
        "Ташкенте",
        "Кашкадарье",
    ]
    assert places("На Сахалине пресечена контрабанда 8 кг наркотиков.") == ["Сахалине"]
    assert places("На Урале в коробке с пазлами нашли 5 кило синтетики.") == ["Урале"]


def test_a_crossing_named_for_a_person_is_a_place() -> None:
    text = "31 мая на пункте пропуска имени Б. Конысбаева задержан грузовик с 775 кг героина."
    assert places(text) == ["пункте пропуска имени Б. Конысбаева"]


def test_posts_stations_and_parks_named_after_their_kind_word_are_places() -> None:
    assert places("Автомобиль прибыл для плановой проверки на таможенный пост Гавань.") == ["Гавань"]
    assert places("На стационарном посту ДПС Успенский госавтоинспекторы остановили машину.") == ["Успенский"]
    assert places("на 21-м пути станции \"Луговая\" был задержан гражданин Казахстана.") == ["Луговая"]
    assert places("вблизи строящегося парка «Балалык» было выявлено 30 свертков.") == ["Балалык"]


def test_a_town_listed_between_two_places_is_a_place() -> None:
    text = "Наркотики продавали в Набережных Челнах, Альметьевске, Заинске, Лениногорске и Бугульме."
    assert "Заинске" in places(text)
    text = (
        "The operations were conducted in different areas of the province including Turbat, Gwadar, "
        "Noukundi, Chaman, Kuchlak, Jiwani, Kila Abdullah, Hub and Quetta."
    )
    assert {"Noukundi", "Jiwani", "Hub"} <= set(places(text, "en"))


def test_a_name_after_a_listed_place_but_before_no_other_is_not_added() -> None:
    text = "В Москве, Иван Петров рассказал, как полицейские нашли 5 кг гашиша."
    assert places(text) == ["Москве"]


def test_english_kind_words_of_the_region_mark_places() -> None:
    text = "Police seized 2,558 opiates in the northern province of Tokat. Four people were detained."
    assert places(text, "en") == ["Tokat"]
    text = "a border patrol observed the movement of a rubber boat from Georgia on the River Kur."
    assert places(text, "en") == ["River Kur"]
    text = "Customs officers have seized over 47 kg of opium at the Shahtakhti customs checkpoint."
    assert places(text, "en") == ["Shahtakhti customs checkpoint"]
    text = "The Rangers seized drugs worth over Rs3 billion in Surjani Town during an operation."
    assert places(text, "en") == ["Surjani Town"]
    text = "the police seized 1.2 kilograms of heroin in the Tuşba district of the city."
    assert places(text, "en") == ["Tuşba district"]


def test_a_border_named_by_countries_the_gazetteer_lacks_is_no_place() -> None:
    text = (
        "A drone carrying 400 gm heroin was seized near the Indo-Pak border in the fields of Rajatal "
        "village."
    )
    assert "Indo-Pak border" not in places(text, "en")


def test_the_town_of_a_remand_prison_is_no_place() -> None:
    text = (
        "Водителя задержали в селе Кара-Жыгач с 20 кг гашиша. Подозреваемый водворен в СИЗО № 21 в "
        "Бишкеке."
    )
    assert places(text) == ["селе Кара-Жыгач"]


def test_a_sites_contact_address_is_no_place() -> None:
    text = (
        "Кара-Көл шаарынын аймагында 6 тоннадан ашык кара куурай өрттөлдү.\n"
        "Адрес: Жалал-Абад ш. Ленин к. 17"
    )
    assert "Жалал-Абад" not in " ".join(places(text, "ky"))
