"""The place of a seizure is where it happened, not every place the story names (issue #19).

Sentences are shaped after real published stories of ``corpus/facts`` train/dev.
"""

from __future__ import annotations

import pytest

from pipeline.facts import extract_facts


def places(text: str, language: str = "ru") -> list[str]:
    return [m.span.text for m in extract_facts(text, language=language).places]


def test_the_dateline_is_the_agencys_seat_not_the_event() -> None:
    text = "МОСКВА, 5 января.\nВ Подольске патрульные задержали наркокурьера."
    assert places(text) == ["Подольске"]


def test_a_dateline_followed_by_a_date_is_left_out_in_any_case() -> None:
    text = "Душанбе. 11 июня.\nВ Фархорском районе пограничники изъяли 18 кг гашиша."
    assert places(text) == ["Фархорском районе"]


def test_the_seat_of_the_reporting_agency_is_left_out() -> None:
    text = (
        "В пресс-службе УМВД России по Ивановской области сообщают, что в Иванове задержан "
        "сбытчик мефедрона."
    )
    assert places(text) == ["Иванове"]


def test_a_home_town_or_origin_is_left_out() -> None:
    text = "В Ургутском районе задержан 47-летний уроженец Самарканда с партией гашиша из Москвы."
    assert places(text) == ["Ургутском районе"]


def test_a_place_named_in_several_case_forms_counts_once_in_its_locative_form() -> None:
    text = "Курьер из Термеза (житель Бишкека) задержан в Бишкеке. Полицейские Бишкека изъяли 2 кг героина."
    assert places(text) == ["Бишкеке"]


def test_a_route_is_not_the_place_of_the_event() -> None:
    text = "В вагоне поезда Бишкек - Москва на станции в Кара-Суйском районе изъяли 3 кг гашиша."
    assert places(text) == ["Кара-Суйском районе"]


def test_a_checkpoint_named_in_quotes_is_a_place() -> None:
    text = "На таможенном посту “Жанажол” таможенники обнаружили 2 кг гашиша."
    assert places(text) == ["Жанажол"]


def test_kazakh_regional_adjectives_are_agencies_not_places() -> None:
    text = "Жамбыл облыстық полиция департаменті Шу ауданында 5 келі марихуана тәркіледі."
    assert places(text, "kk") == ["Шу ауданында"]


def test_with_no_place_tied_to_the_event_the_first_place_named_is_kept() -> None:
    text = "Задержан житель Ростовской области, у которого изъяли 300 граммов героина."
    assert places(text) == ["Ростовской области"]


def test_a_lower_case_word_is_not_a_gazetteer_place() -> None:
    assert places("Задержаны двое волгоградских наркокурьеров с героином.") == []


@pytest.mark.parametrize(
    ("text", "substances"),
    [
        ("Изъяли 2 кг вещества со специфическим запахом конопли.", []),
        ("Police seized 20 litres of acetic anhydride, which is used to produce heroin.", ["precursors"]),
        ("Police seized 3 kg of synthetic marijuana.", ["synthetic_cannabinoids"]),
    ],
)
def test_a_drug_explained_is_not_a_drug_seized(text: str, substances: list[str]) -> None:
    language = "en" if text.isascii() else "ru"
    assert extract_facts(text, language=language).substance_ids == substances


def test_where_the_drugs_were_going_is_not_where_they_were_seized() -> None:
    text = "В Подольске задержали курьера, который должен был перевезти в Тамбов партию героина."
    assert places(text) == ["Подольске"]


def test_an_indeclinable_city_after_v_is_a_place() -> None:
    assert places("В Кокшетау полицейские изъяли 2 кг марихуаны.") == ["Кокшетау"]


def test_a_place_of_an_earlier_case_is_left_out() -> None:
    text = "В Иркутске задержан курьер с героином. Ранее в Новосибирске ФСБ задержала его сообщников."
    assert places(text) == ["Иркутске"]


def test_an_english_place_after_in_is_a_place_a_month_is_not() -> None:
    text = "In April, 26 kg of hashish was recovered from an accused nabbed in Multan."
    assert places(text, "en") == ["Multan"]


def test_central_asian_villages_and_quarters_are_places_by_name() -> None:
    text = "Мак обнаружен в хозяйстве кишлака Янгиобод и у жителя махалли «Обод турмуш» в Ашт."
    assert places(text)[:2] == ["Янгиобод", "Обод турмуш"]
