"""What the stage learnt from the train parts of the fourteenth to sixteenth fresh batches (issue
#19): South Asia's words and roads, more names of drugs and pills, more forms of poppy and opium,
cargo and statistics that are no seizure, lists of places named together, borders named by their
countries, and the seats of ministers and courts.

Sentences are quoted from real published stories of ``corpus/facts`` train.
"""

from __future__ import annotations

from pipeline.facts import extract_facts
from tests.pipeline.fact_reading import amounts, places


def substances(text: str, language: str = "ru") -> list[str]:
    return extract_facts(text, language=language).substance_ids


def test_ganja_is_cannabis_and_not_azerbaijans_city() -> None:
    text = "700 kg of Ganja seized from near Godipada toll gate in Khurda district"
    assert substances(text, "en") == ["cannabis"]
    assert "Ganja" not in places(text, "en")


def test_a_toll_gate_a_toll_plaza_and_a_national_highway_are_places() -> None:
    assert "Godipada toll gate" in places(
        "700 kg of Ganja seized from near Godipada toll gate in Khurda district", "en"
    )
    text = (
        "On June 28, the Kolkata Zonal Unit of NCB seized 1,133.2 kg of ganja near Dhulagarh Toll Plaza "
        "on NH-06."
    )
    assert places(text, "en") == ["Dhulagarh Toll Plaza", "NH-06"]
    text = (
        "Acting on a tip-off, the police team conducted patrolling and checked hundreds of vehicles on the "
        "National Highway-16."
    )
    assert places(text, "en") == ["National Highway-16"]


def test_raw_opium_written_with_a_hyphen_is_opium() -> None:
    text = (
        "было изъято: 65 кг наркотических веществ, в том числе: 5 кг гашиша, 2 кг героина, 58 кг опия-сырца."
    )
    assert "opium" in substances(text)


def test_poppy_plants_named_in_other_word_orders_are_poppy_straw() -> None:
    assert substances(
        "сотрудники ДПС задержали двоих молодых людей с мешком, полным растений мака снотворного."
    ) == ["poppy_straw"]
    assert substances("сотрудники наркоконтроля изъяли 17 маковых кустов с признаками культивирования.") == [
        "poppy_straw"
    ]


def test_buprenorphine_brands_are_psychotropic_pills() -> None:
    assert substances("in total were seized: 530 pills subutex, 100 pills suboxone.", "en") == [
        "psychotropic_pills"
    ]


def test_a_dates_last_two_digits_do_not_join_the_amount_after_it() -> None:
    assert amounts("date 2020-10-03 700 kg of Ganja seized", "en") == [("cannabis", 700_000.0, None, None)]


def test_the_mass_of_a_ships_bananas_is_cargo() -> None:
    text = "На борту находилось 2500 тонны бананов из Эквадора. Пакет с кокаином весом 20 г был спрятан."
    assert amounts(text) == [("cocaine", 20.0, None, None)]


def test_a_countrys_total_of_the_first_months_is_statistics() -> None:
    text = (
        "Police seized 7 kilograms of heroin in Sistan. A total of 400 tons of narcotics have been seized by "
        "police forces in Iran in the first 4 months of the current Iranian calendar year."
    )
    assert amounts(text, "en") == [("heroin", 7000.0, None, None)]


def test_a_read_line_is_another_storys_headline() -> None:
    text = (
        "Gwadar Customs personnel unearthed opium buried in the area in raids.\n"
        "READ: ANF SEIZES 175KG DRUGS FROM VEHICLE ON PUNJAB MOTORWAY\n"
        "Recovered opium was buried under the land surface in plastic drums."
    )
    assert "PUNJAB" not in " ".join(places(text, "en")).upper()


def test_a_list_of_the_detaineds_home_regions_is_no_place() -> None:
    text = (
        "В рамках проведенных оперативно-розыскных мероприятий были задержаны 18 человек из числа уроженцев "
        "Ферганской, Наманганской, Самаркандской областей и города Ташкента."
    )
    assert places(text) == []


def test_the_region_after_a_searched_homes_district_is_a_place_too() -> None:
    text = (
        "В ходе мероприятия был осмотрен дом жителя Шафирканского района Бухарской области, который "
        "подозревался в причастности к незаконному обороту наркотических веществ."
    )
    assert places(text) == ["Шафирканского района", "Бухарской области"]


def test_where_a_car_was_heading_is_no_place_of_the_event() -> None:
    text = (
        "Автоинспекторы в Новоусманском районе остановили «ВАЗ - 21060». «Шестерка» ехала из Воронежа в "
        "сторону Ростова."
    )
    assert places(text) == ["Новоусманском районе"]


def test_more_names_of_drugs_and_pills() -> None:
    assert substances(
        "As a result of raid ANF recovered 95 kg narcotics including over 61 kg charras.", "en"
    ) == ["hashish"]
    assert "methamphetamine" in substances(
        "Some 47 kilograms of hashish, 700 grams crystal were confiscated.", "en"
    )
    text = "У него изъяли два свертка с синтетическими наркотиками (Альфа-пироллидиновалерофенон)."
    assert substances(text) == ["mephedrone"]
    text = "psixotrop moddasi mavjud bo‘lgan 30 dona “Zolpidem” hamda 60 dona “Fenazepam” nomli dori"
    assert substances(text, "uz") == ["psychotropic_pills"]
    assert substances("9 542 дона “Зардекс” номли кучли таъсир қилувчи дори воситалари топилиб", "uz") == [
        "psychotropic_pills"
    ]


def test_a_list_after_a_dash_is_no_route() -> None:
    text = (
        "Сотрудники СГБ провели успешную операцию по пресечению незаконного оборота наркотиков в трех "
        "областях страны – Джизаке, Кашкадарье и Бухаре."
    )
    assert {"Джизаке", "Бухаре"} <= set(places(text))


def test_each_village_of_a_list_after_its_kind_word_is_a_place() -> None:
    text = (
        "Так, в Партизанском районе Приморского края, во время рейдов по селам Михайловка, Кирилловка и "
        "Васильевка, полицейские нашли 110 кустов маньчжурской конопли."
    )
    assert {"Кирилловка", "Васильевка"} <= set(places(text))


def test_the_town_of_a_district_police_department_is_its_seat() -> None:
    text = (
        "Сотрудники отделения по наркоконтролю РОВД Первомайского района города Витебска задержали местного "
        "жителя, у которого при себе было свыше трех граммов ацетилированного опия."
    )
    assert places(text) == []


def test_a_border_named_by_its_countries_gives_way_to_a_finer_place() -> None:
    text = (
        "At about 0100, on November 29, the border guards thwarted a border violator attempting to cross the "
        "Azerbaijan-Iran border near Fuzuli region's Ahmadalilar village."
    )
    assert places(text, "en") == ["Fuzuli region", "Ahmadalilar village"]


def test_a_border_named_by_its_countries_is_no_place_even_alone() -> None:
    """Like a country alone (the guide): the labels name such a border 2 times in 10 where it is the
    story's only place (train and dev after round 19)."""
    text = "Российские пограничники на таджикско-афганской границе изъяли свыше 47 килограммов героина."
    assert places(text) == []


def test_the_province_of_a_minister_and_the_town_of_a_court_are_seats() -> None:
    text = (
        "In a grand operation launched on the special directives of Chief Minister Punjab, police arrested "
        "over 835 big drug dealers."
    )
    assert places(text, "en") == []
    text = (
        "Оренбургский областной суд с участием присяжных заседателей вынес приговор троим жителям областного "
        "центра, которые занимались производством наркотиков."
    )
    assert places(text) == []


def test_an_institution_and_the_international_market_are_no_places() -> None:
    text = "Начато досудебное расследование по факту перевозки наркотических средств в Учреждение №28."
    assert places(text) == []
    text = (
        "The value of seized narcotics in local market is Rs 880 million and in International Market higher."
    )
    assert places(text, "en") == []


def test_south_asian_spellings_and_alprazolam() -> None:
    text = "Local police arrested accused Imran near Raja Palace and recovered 19 kilo heroine."
    assert substances(text, "en") == ["heroin"]
    assert substances("police recovered millions rupees worth of drugs including 63 kg chars.", "en") == [
        "hashish"
    ]
    assert substances('8 methadone pills, 2 "Alprazolam 1mg" pills were discovered.', "en") == [
        "methadone",
        "psychotropic_pills",
    ]
