"""What the stage learnt from round 23's and round 24's train parts (issue #19): a Kazakh adjective of
a place (its people, its police, a city's department) is no place, nor is a parcel's destination; a
dateline with the outlet in capitals; an agency after «в» read as a town; a capitalised noun before a
kind word; teasers of other stories at a page's end; a messenger after "in"; police departments named
by their regions.

Sentences are quoted from real published stories of ``corpus/facts`` (round 23, collected after the
rules of ``tests/pipeline/test_fact_places_central_asian_and_seats.py`` were final).
"""

from __future__ import annotations

from pipeline.facts.mainevent import SIDEBAR, classify
from pipeline.facts.rules import load_rules
from tests.pipeline.fact_reading import places


def test_a_kazakh_adjective_of_a_town_is_no_place() -> None:
    text = (
        "Қостанайлық полицей “синтетика” таратқаны үшін 15 жылға сотталды. Есірткі қылмысына қарсы күрес "
        "бөлімі бастығының орынбасарына қатысты іс Қостанай облысының қылмыстық істер жөніндегі "
        "мамандандырылған ауданаралық сотында қаралды."
    )
    assert "Қостанайлық" not in places(text, language="kk")


def test_a_citys_department_and_a_parcels_destination_are_no_places() -> None:
    text = (
        "11 ақпан күні Алматы қалалық мемлекеттік кірістер департаменті «Жетісу» кеден бекетінің халықаралық "
        "пошта жөнелту бөлімінде кезекті кедендік тексеру жүріп жатқан болатын. Аталмыш қорап Германиядан "
        "транзит процедурасы бойынша Қырғызстанның астанасы Бішкек қаласына бағытталған екен."
    )
    assert places(text, language="kk") == ["Жетісу"]  # the customs post, where the parcel was found


def test_a_dateline_with_the_outlet_in_capitals_is_no_place() -> None:
    text = (
        "Қарағандыда 30 килограмнан астам есірткі тәркіленді\n"
        "Алматы, NEGE. «Күдікті тұлғалардың тұрғылықты мекенжайларын тінту барысында салмағы 30 "
        "килограмнан астам есірткі заттары табылды»."
    )
    assert places(text, language="kk") == ["Қарағандыда"]


def test_the_incident_opening_a_kazakh_sentence_is_no_name() -> None:
    text = (
        "Оралда жауынгерлер тұрғын үйлер ауласының бірінде есірткіге ұқсас затты жасырмақ болған адамның "
        "жолын кесті. Оқиға қаланың солтүстік-шығыс ауданында кешкі сағат 21.05 болған."
    )
    assert places(text, language="kk") == ["Оралда"]


def test_the_prosecutor_generals_office_is_no_town() -> None:
    text = (
        "О борьбе с незаконной транспортировкой наркотиков в Казахстан рассказали в Генпрокуратуре, "
        "передает наш сайт со ссылкой на пресс-службу госоргана"
    )
    assert places(text) == []


def test_teasers_of_other_stories_end_the_story() -> None:
    text = (
        "В порту Южный задержали контрабандистов с кокаином на 90 миллионов гривен.\n"
        "Правоохранители задержали троих участников наркобизнеса. Как выяснилось, до конца года они "
        "собирались сбыть в Украине и Евросоюзе еще около 500 кг кокаина.\n"
        "Фото: СБУ\n"
        "Сегодня, 6 июля 2025 года, в День Военно-Морских Сил ВСУ в Одессе установили национальный рекорд… "
        "Read More\n"
        "Небо над Одесской областью защищают не только военные. Собственный счет уничтоженных вражеских "
        "воздушных цел"
    )
    kinds = [s.kind for s in classify(text, load_rules().main_event)]
    assert kinds[-3:] == [SIDEBAR, SIDEBAR, SIDEBAR]
    assert not {"Одессе", "Одесской областью"} & set(places(text))


def test_a_messenger_after_in_is_no_place() -> None:
    text = (
        "During the efficient event was arrested the 22 years old S.D. in Sugd region.\n\n"
        "Join us in Telegram! Be aware of all news!"
    )
    assert "Telegram" not in places(text, language="en")


def test_police_departments_named_by_their_regions_are_no_places() -> None:
    text = (
        "МВД Грузии сообщает, что сотрудники полицейских управлений Тбилиси, Аджарии, Квемо Картли и Имерети "
        "в результате оперативно-розыскных мероприятий задержали 16 человек."
    )
    assert not {"Тбилиси", "Аджарии"} & set(places(text))
