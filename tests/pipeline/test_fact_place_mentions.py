"""Places a story names (issue #19): the gazetteer's and those the text marks as places by a kind
word, a quoted name after a checkpoint or a station, a locative after «в».

Sentences are quoted from real published stories of ``corpus/facts`` train.
"""

from __future__ import annotations

from tests.pipeline.fact_reading import places


def test_a_checkpoint_named_in_quotes_after_words_of_its_kind_is_a_place() -> None:
    text = (
        "20 декабря в пункте пропуска для железнодорожного сообщения «Зерновое» обнаружено вещество "
        "растительного происхождения."
    )
    assert places(text) == ["Зерновое"]


def test_a_metro_station_is_a_place() -> None:
    text = (
        "Июльским утром 2015 года на станции метро «Тимирязевская» сотрудники полиции остановили "
        "молодого человека."
    )
    assert places(text) == ["Тимирязевская"]


def test_a_town_after_its_adjective_is_a_place() -> None:
    text = (
        "Росгвардейцы задержали подозреваемого в распространении наркотических веществ в подмосковном "
        "Чехове, сообщили в пресс-службе ведомства."
    )
    assert places(text) == ["Чехове"]


def test_a_town_of_a_city_district_is_a_place() -> None:
    text = (
        "Сотрудники Госавтоинспекции остановили в городском округе Кашира на 111-м километре трассы "
        "М-4 «Дон» иномарку для проверки документов."
    )
    assert places(text) == ["городском округе Кашира", "трассы М-4 «Дон»"]


def test_the_first_of_two_regions_named_with_one_noun_is_a_place() -> None:
    text = "Нарколаборатории выявлены на\nтерритории Владимирской и Смоленской областей."
    assert places(text) == ["Владимирской", "Смоленской областей"]


def test_a_regions_adjective_after_districts_names_the_region() -> None:
    text = "При этом в одном из районов Джалал-Абадской области (юг республики) из-за большой"
    assert places(text) == ["Джалал-Абадской области"]


def test_a_kyrgyz_airport_is_a_place() -> None:
    text = (
        "Гонконгдун аэропортунда Кыргызстандан учак менен барган жүктөн 11,3 млн долларлык баңгизат табылды."
    )
    assert places(text, "ky") == ["Гонконгдун аэропортунда"]


def test_a_kazakh_post_named_in_quotes_before_an_adjective_is_a_place() -> None:
    text = (
        "«Аягөз-Шеп» стационарлық бекетінде полицейлер Өскемен қаласының 32 жастағы тұрғыны "
        "тізгіндеген Mitsubishi Pajero маркалы автокөлігін тексеру үшін тоқтатты."
    )
    assert places(text, "kk") == ["Аягөз-Шеп"]


def test_a_city_in_the_kazakh_latin_alphabet_is_in_the_gazetteer() -> None:
    assert places("Qaraǵandyda eki júkti áıel esirtki saýdasymen aınalysqan.", "kk") == ["Qaraǵandyda"]


def test_a_tajik_rural_community_is_a_place() -> None:
    text = (
        "Охири моҳи августи соли 2014 зимни азназаргузаронии қитъаҳои наздизаминӣ ва хоҷагиҳои деҳаи "
        "Бунии ҷамоати Ширинҷонови ноҳияи Шуғнон"
    )
    assert "ҷамоати Ширинҷонови" in places(text, "tg")


def test_a_capitalised_word_before_a_kind_word_is_not_always_a_place() -> None:
    text = "Полиция аэропортко жүктү алып кетүүгө келген 54 жаштагы жаранды кармаган."
    assert places(text, "ky") == []


def test_an_agency_after_v_is_not_a_town() -> None:
    text = "Как рассказали в Госпогранслужбе, наркотики нашли в порту Южный."
    assert "Госпогранслужбе" not in places(text)


def test_a_two_word_name_after_a_kind_word_is_read_whole() -> None:
    text = "Закладку нашли в районе Южное Тушино, а сбытчика задержали позже."
    assert places(text) == ["районе Южное Тушино"]


def test_a_numbered_highway_with_its_name_is_a_place() -> None:
    text = "Автомобиль остановили на 741 км автодороги М-4 «Дон», в багажнике нашли 3 кг гашиша."
    assert places(text) == ["автодороги М-4 «Дон»"]


def test_a_road_between_two_cities_is_one_place() -> None:
    text = "Наркокурьера задержали на автотрассе Баткен — Ош с двумя килограммами гашиша."
    assert places(text) == ["автотрассе Баткен — Ош"]


def test_each_district_of_a_list_named_with_one_noun_is_a_place() -> None:
    text = "Очаги дикорастущей конопли уничтожены в Шатковском, Большеболдинском и Лукояновском районах."
    assert places(text) == ["Шатковском", "Большеболдинском", "Лукояновском районах"]


def test_a_regional_agency_s_adjective_is_not_a_place() -> None:
    text = "Калининградская областная таможня изъяла 490 килограммов кокаина в порту Калининград."
    assert "Калининградская областная" not in places(text)


def test_a_country_after_a_kind_word_is_not_a_place_in_it() -> None:
    text = "Наркотики распространялись через закладки в разных городах России, в том числе в Якутске."
    assert places(text) == ["Якутске"]


def test_a_checkpoint_named_in_quotes_after_any_point_word_is_a_place() -> None:
    text = 'В пункте пропуска через госграницу РФ "Убылинка" пресечена попытка ввоза гашиша.'
    assert places(text) == ["Убылинка"]


def test_a_station_named_in_quotes_in_english_is_a_place() -> None:
    text = "Officers detained him at the “Darband” railway station with 2 kg of hashish."
    assert places(text, "en") == ["Darband"]


def test_a_settlement_abbreviated_p_is_a_place() -> None:
    assert places("16 октября в п. Куженер около 3 часов ночи задержали закладчика.") == ["п. Куженер"]


def test_an_island_a_highway_and_a_tract_named_by_an_adjective_are_places() -> None:
    assert places("Росгвардия на Васильевском острове задержала закладчика.") == ["Васильевском острове"]
    assert places("На посту ДПС на 22 км Минского шоссе остановили автомобиль.") == ["Минского шоссе"]
    assert places("Во дворе дома на Кульджинском тракте нашли героин.") == ["Кульджинском тракте"]


def test_a_railway_station_and_an_airport_before_their_names_are_places() -> None:
    assert places("Мужчина был задержан на железнодорожной станции Мичуринск-Воронежский.") == [
        "станции Мичуринск-Воронежский"
    ]
    assert places("В аэропорту Праги задержали иностранца с 9 кг героина.") == ["аэропорту Праги"]


def test_a_region_abbreviated_obl_is_a_place() -> None:
    assert "Московская обл." in places("Полиция под Серпуховом (Московская обл.) закрыла нарколабораторию.")


def test_a_kazakh_street_is_a_place() -> None:
    text = "Азаматша өз пәтерінде (Жақсығұлов көшесі) ұсталды."
    assert places(text, "kk") == ["Жақсығұлов көшесі"]


def test_a_regional_adjective_of_people_is_not_a_place() -> None:
    assert places("Воронежские гаишники нашли в пакете из-под сока полкилограмма героина.") == []


def test_a_republic_after_v_is_a_place() -> None:
    assert places("В Республике Алтай задержали местного жителя с 6 кг марихуаны.") == ["Республике Алтай"]


def test_a_road_between_two_two_word_names_in_quotes_is_one_place() -> None:
    assert places('На автодороге "Шымкент – Самара" остановили автомобиль с гашишем.') == [
        'автодороге "Шымкент – Самара"'
    ]
    assert places("В Жамбылской области на трассе Западная Европа – Западный Китай остановлена машина.") == [
        "Жамбылской области",
        "трассе Западная Европа – Западный Китай",
    ]


def test_a_regional_time_zone_is_not_a_place() -> None:
    assert places("Оренбургское время 04:40\nНа трассе Самара - Оренбург задержали курьера.") == [
        "трассе Самара - Оренбург"
    ]


def test_a_headline_in_title_case_names_no_place_after_in() -> None:
    text = (
        "CBP Discovers Cocaine Concealed in Shipping Container\n\n"
        "Customs officers found 40 pounds of cocaine in Wilmington on Tuesday."
    )
    assert places(text, "en") == ["Wilmington"]


def test_a_brand_glued_to_a_city_name_is_not_a_place() -> None:
    text = (
        "Костанайские пограничники изъяли 34 килограмма героина на казахстанско-российской границе\n\n"
        "AstanaTV\n08.09.2014г. в 14:00\n816\nКостанайские пограничники изъяли 34 килограмма героина."
    )
    assert "Astana" not in " ".join(places(text))


def test_places_named_with_their_kind_first_are_places() -> None:
    text = "PS ANF Nokundi recovered 1050 Kg Heroin at Girdi Jungle, Tehsil Dalbandin, District Chaghi."
    assert places(text, "en") == ["Tehsil Dalbandin", "District Chaghi"]


def test_a_district_department_is_not_a_district() -> None:
    assert places("The District Department of Internal Affairs seized 5 kg of hashish.", "en") == []


def test_an_area_or_the_outskirts_of_a_town_is_a_place() -> None:
    text = "Police units conducted operations on the outskirts of Lashkar Gah and in the Chor Bandar area."
    assert places(text, "en") == ["Lashkar Gah", "Chor Bandar"]


def test_each_province_of_a_list_is_a_place() -> None:
    text = "Police arrested 12 suspected smugglers in the provinces of Panjshir, Baghlan, Kunduz, and Balkh."
    assert places(text, "en") == ["Panjshir", "Baghlan", "Kunduz", "Balkh"]


def test_a_checkpoint_or_a_river_named_without_quotes_is_a_place() -> None:
    assert places("Мужчина задержан в пункте пропуска Каменный Лог.") == ["пункте пропуска Каменный Лог"]
    assert places("Коноплю нашли на берегу реки Сырдарья.") == ["реки Сырдарья"]


def test_a_district_of_a_state_in_a_title_case_headline_is_not_a_district_named_of() -> None:
    text = (
        "Acres Of Ganja Plants Torched In Kandhamal District Of Odisha\n\nThe raid was near Surubali village."
    )
    assert "District Of Odisha" not in places(text, "en")


def test_a_city_named_with_its_kind_word_after_it_is_a_place() -> None:
    text = "Police arrested three people in the vicinity of Mehtarlam city, capital of Laghman province."
    assert places(text, "en")[0] == "Mehtarlam city"


def test_an_adjective_before_city_of_is_not_a_city() -> None:
    text = "Two couriers were detained at the airport of Russia’s Siberian city of Novosibirsk."
    assert "Siberian city" not in places(text, "en")


def test_a_rural_district_or_settlement_before_its_kind_is_a_place() -> None:
    text = (
        "Поля находились на территории Хазретовского сельского округа Мартукского района. Полицейские "
        "обследовали поля, расположенные на территории Головчанского сельского поселения."
    )
    assert places(text) == [
        "Хазретовского сельского округа",
        "Мартукского района",
        "Головчанского сельского поселения",
    ]
