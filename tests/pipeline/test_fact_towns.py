"""The region's towns (``config/gazetteer/towns/``, generated from GeoNames by
``scripts/gazetteer_towns.py``) and the neighbours' provinces (``config/gazetteer/provinces/``, from ISO
3166-2 by ``scripts/gazetteer_provinces.py``) are places the facts stage finds beside the hand-written
gazetteer's.

Sentences are quoted from real published stories of ``corpus/facts``.
"""

from __future__ import annotations

from pipeline.country import tag_country
from tests.pipeline.fact_reading import places
from tests.scripts import load_script


def test_towns_the_hand_written_gazetteer_does_not_list_are_places_in_their_case_forms() -> None:
    text = "Наркотики продавали в Набережных Челнах, Альметьевске, Заинске, Лениногорске и Бугульме."
    assert {"Набережных Челнах", "Лениногорске", "Бугульме"} <= set(places(text))


def test_a_town_in_english_is_a_place() -> None:
    text = (
        "Another man with 4 kg of hashish was arrested in the neighboring Baghlan and six persons with "
        "3 kg of illegal drugs were detained in Balkh province."
    )
    assert "Baghlan" in places(text, language="en")


def test_the_neighbours_provinces_are_places() -> None:
    text = "The detention operations were carried out in Tbilisi, Kakheti, Guria, Shida Kartli and Samegrelo."
    assert {"Kakheti", "Guria", "Shida Kartli"} <= set(places(text, language="en"))
    text = "Police have seized 640 kilograms of opium in operations in Helmand and Badakhshan provinces."
    assert "Badakhshan" in places(text, language="en")


def test_a_town_named_like_a_person_is_not_read_in_a_persons_name() -> None:
    text = (
        "Нарколаборатория ликвидирована в Брянской области, где ежесуточно производили 4 кг синтетики, "
        "заявил глава МВД России Владимир Колокольцев, сообщает ТАСС."
    )
    assert places(text) == ["Брянской области"]


def test_a_town_written_in_lower_case_is_no_place() -> None:
    assert places("Наркотики продавали в Бугульме.") == ["Бугульме"]
    assert places("наркотики продавали в бугульме.") == []


def test_a_town_does_not_tag_its_country() -> None:
    tags = tag_country(
        "", "Наркотики продавали в Бугульме.", url="https://example.com/a", source_country=None
    )
    assert tags.mentioned == ()


def test_the_generator_keeps_names_in_one_alphabet_newsmon_reads() -> None:
    usable = load_script("gazetteer_towns").usable
    assert usable("Набережные Челны") and usable("Naberezhnyye Chelny") and usable("Қонаев")
    assert not usable("Blаgоvеsjtsjеnsk")  # Latin with Cyrillic letters in it
    assert not usable("Çĕнĕ Шупашкар")  # Chuvash
    assert not usable("Орск-2") and not usable("Тим")


def test_the_generator_spells_a_latin_name_in_russian_to_ask_whether_it_is_a_person() -> None:
    cyrillic = load_script("gazetteer_towns").cyrillic
    assert [cyrillic(n) for n in ("Ismail", "Pushkin", "Chekhov", "Engels")] == [
        "Исмаил",
        "Пушкин",
        "Чехов",
        "Энгелс",
    ]
