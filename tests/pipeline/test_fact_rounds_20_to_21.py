"""What the stage learnt from the twentieth and twenty-first fresh batches (issue #19): a country
alone is no place (``corpus/facts/GUIDE.md``), so the world's countries the hand-written gazetteer
does not know (``config/gazetteer/world/``, generated from ISO 3166-1 by
``scripts/gazetteer_countries.py``) are left out as its own countries are, and so is a border named by
one country's adjective; a name ends at its line's end and at its word's end; a province's excise
department and rangers are agencies; a language and a blog platform are no places.

Sentences are quoted from real published stories of ``corpus/facts``.
"""

from __future__ import annotations

import gettext

from pipeline.country import tag_country
from tests.pipeline.fact_reading import place_candidates, places
from tests.scripts import load_script


def test_a_country_named_in_an_agencys_name_or_a_nationality_is_no_place() -> None:
    text = (
        "The Border Guard Bangladesh arrested a Myanmar national and seized 80,000 yaba tablets worth "
        "around Tk 2.4 crore at Teknaf in Cox's Bazar yesterday morning."
    )
    found = places(text, language="en")
    assert "Teknaf" in found
    assert not {"Bangladesh", "Myanmar"} & set(found)


def test_a_country_in_russian_case_forms_is_no_place() -> None:
    text = (
        "Добавим, что мефедрон был синтезирован в 2007 году. На первых порах его производили в Израиле, "
        "но в 2008 году он там был запрещен."
    )
    assert "Израиле" not in places(text)


def test_a_country_after_in_is_no_place() -> None:
    text = (
        "China is one of the world's leaders for exporting counterfeit goods, but the drugs may have been "
        "put on the ship in Panama, he said."
    )
    assert "Panama" not in places(text, language="en")


def test_a_place_after_in_ends_at_its_lines_end() -> None:
    text = "Nearly 825 kg of marijuana seized, one arrested in Saptari\nNepal\n\nBy THT Online"
    assert place_candidates(text) == ["Saptari"]


def test_the_worlds_countries_do_not_tag_a_story() -> None:
    tags = tag_country(
        "", "На первых порах его производили в Израиле.", url="https://example.com/a", source_country=None
    )
    assert tags.mentioned == ()


def test_a_provinces_excise_department_or_rangers_are_an_agency_not_the_place() -> None:
    text = (
        "KARACHI: The Sindh Excise and Narcotics Control Department conducted five major raids across "
        "Karachi, resulting in the arrest of seven smugglers and the seizure of substantial quantities of "
        "narcotics."
    )
    assert "Sindh" not in places(text, language="en")
    text = "In a joint operation with Sindh Rangers, the ANF recovered 14kg of hashish, 7kg of cannabis."
    assert "Sindh" not in places(text, language="en")


def test_the_world_generator_writes_a_name_as_stories_write_it() -> None:
    names = load_script("gazetteer_countries").names_of(
        {"name": "Iran, Islamic Republic of", "common_name": "Iran"}, {}
    )
    assert names == {"en": ["Iran"]}


class _Catalogue(gettext.NullTranslations):
    """A translation catalogue from a dict, as iso-codes' ``.mo`` files give one."""

    def __init__(self, entries: dict[str, str]) -> None:
        super().__init__()
        self.entries = entries

    def gettext(self, message: str) -> str:
        return self.entries.get(message, message)


def test_the_world_generator_writes_common_and_short_russian_names() -> None:
    russian = _Catalogue({"Moldova, Republic of": "Республика Молдова", "Moldova": "Молдавия"})
    names = load_script("gazetteer_countries").names_of(
        {"name": "Moldova, Republic of", "common_name": "Moldova"}, {"ru": russian}
    )
    assert names == {"en": ["Moldova"], "ru": ["Республика Молдова", "Молдова", "Молдавия"]}


def test_the_world_generator_stems_only_long_agglutinative_names() -> None:
    stem = load_script("gazetteer_countries")._stem
    assert stem("Израиль") == "Израиль*"
    assert stem("Мали") == "Мали"


def test_a_border_named_by_one_countrys_adjective_is_no_place() -> None:
    text = (
        "На фоне вывода американских войск из Афганистана активизировались талибы, что привело к "
        "напряженной обстановке у таджикской границы"
    )
    assert places(text) == []
    text = (
        "В Ферганской области задержан мужчина, пытавшийся незаконно пересечь узбекско-киргизскую границу "
        "с сильнодействующими наркотическими средствами."
    )
    assert places(text) == ["Ферганской области"]


def test_a_name_cut_inside_a_word_is_no_place() -> None:
    text = (
        "В селе КазЦИК Илийского района полицейскими была обнаружена лаборатория по производству мефедрона."
    )
    assert "селе Каз" not in places(text)
    assert "Илийского района" in places(text)


def test_a_language_is_no_place() -> None:
    text = "Something in Urdu language was written on the cloth with a blue pen."
    assert place_candidates(text) == []


def test_a_blog_platform_is_no_place() -> None:
    text = "Найти в Дзене\n\nЖитель Наманганской области выращивал у себя в доме 30 кустов опиумного мака"
    assert "Дзене" not in places(text)
