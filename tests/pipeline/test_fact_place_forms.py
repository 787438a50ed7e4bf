"""One place in several case forms (issue #19): the facts stage counts it once and the quality
measure scores it as one place, but never a region as a city in it.

Place names and sentences are quoted from real published stories of ``corpus/facts`` train.
"""

from __future__ import annotations

from pipeline.facts import extract_facts
from pipeline.facts.placenames import place_name, same_place
from pipeline.facts.quality import score_field


def same(first: str, second: str, language: str) -> bool:
    return same_place(place_name(first, language), place_name(second, language))


def test_two_case_forms_of_a_region_are_one_place() -> None:
    assert same("Toshkent viloyatining", "Toshkent viloyatida", "uz")


def test_a_kazakh_locative_and_genitive_of_a_district_are_one_place() -> None:
    assert same("Shý aýdanynda", "Shý aýdanynyń", "kk")


def test_a_city_with_and_without_its_kind_word_is_one_place() -> None:
    assert same("Бишкеке", "города Бишкека", "ru")


def test_a_region_is_not_the_city_of_its_name_when_both_say_their_kind() -> None:
    assert not same("Ош облусунун", "Ош шаары", "ky")


def test_a_russian_adjective_told_with_another_noun_is_another_place() -> None:
    assert not same("Чуйская", "Чуйского района", "ru")


def test_a_region_is_not_another_place_in_it() -> None:
    assert not same("Ferghana region", "Kokand", "en")


def test_the_scorer_finds_a_place_labelled_in_another_case_form() -> None:
    title = "Shý aýdanynda 280 kelige jýyq esirtki tárkilendi"
    item = {"id": "d4bcfee5d567", "language": "kk", "facts": {"places": ["Shý aýdanynyń"]}}
    facts = extract_facts("", title=title, language="kk")
    assert score_field("places", [(item, facts)]).recall == 1.0
    assert score_field("places", [(item, facts)], case_forms=False).recall == 0.0


def test_the_facts_stage_names_a_city_once_in_its_locative_form() -> None:
    text = (
        "Служба внутренних расследований МВД Кыргызстана провела спецоперацию, во время которой с "
        "партией наркотиков в Бишкеке был задержан командир взвода специализированной службы охраны "
        "одного из районов кыргызской столицы, сообщает пресс-служба министерства.\n"
        "\"Сотрудниками Службы внутренних расследований и по борьбе с незаконным оборотом наркотиков "
        "МВД Кыргызстана в ходе проведения оперативно-разыскных мероприятий на территории города "
        "Бишкека при сбыте наркотического средства гашиша в особо крупном размере был задержан "
        "старший лейтенант милиции 1979 года рождения"
    )
    assert [m.span.text for m in extract_facts(text, language="ru").places] == ["Бишкеке"]
