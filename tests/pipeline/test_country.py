"""Country stage: reporting country and the countries a text mentions (Russian cases too)."""

from __future__ import annotations

import pytest

from pipeline.country import country_of_host, load_gazetteer, tag_country
from pipeline.ru_forms import word_forms


def mentioned(text: str) -> set[str]:
    return set(tag_country("", text, url="https://example.com/a", source_country=None).mentioned)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Встреча прошла в Казахстане.", "KZ"),
        ("Курьер прибыл из Кыргызстана.", "KG"),
        ("Задержан житель Алматинской области.", "KZ"),
        ("Совещание состоялось в Душанбе.", "TJ"),
        ("Героин доставлялся из Афганистана.", "AF"),
        ("Делегация Российской Федерации.", "RU"),
        ("Полицейские Алтайского края.", "RU"),
        ("В Алтайском крае прошёл форум.", "RU"),
        ("Груз задержан в Усть-Каменогорске.", "KZ"),
        ("на таджикско-афганской границе", "TJ"),
        ("Қазақстанда өтті.", "KZ"),
        ("O'zbekistonda tadbir o'tkazildi.", "UZ"),
        ("Police of Kyrgyzstan's capital", "KG"),
    ],
)
def test_a_name_in_any_case_is_a_mention(text: str, country: str) -> None:
    assert country in mentioned(text)


def test_the_russian_language_is_not_a_mention_of_russia() -> None:
    assert mentioned("Урок русского языка прошёл в школе.") == set()


@pytest.mark.parametrize("text", ["Lessons of the Russian language", "a test in the Kazakh language"])
def test_a_country_adjective_before_language_is_not_a_mention(text: str) -> None:
    assert mentioned(text) == set()


def test_families_are_not_the_city_of_semey() -> None:
    assert mentioned("профилактика распада молодых семей") == set()


def test_kyrgyz_word_for_scales_is_not_taraz() -> None:
    assert mentioned("Тинтүүдө электрондук тараза табылды.") == set()


def test_sverdlovsky_district_of_bishkek_is_not_sverdlovsk_region() -> None:
    assert mentioned("в Свердловском районе города Бишкек") == {"KG"}


def test_a_configured_source_gives_the_reporting_country() -> None:
    tags = tag_country("", "Встреча в Ташкенте", url="https://polisia.kz/ru/a/", source_country="KZ")
    assert (tags.country, tags.basis, tags.mentioned) == ("KZ", "source", ("UZ",))


def test_an_unknown_outlet_is_placed_by_its_domain() -> None:
    tags = tag_country("", "Встреча в Бишкеке", url="https://news.example.uz/a", source_country=None)
    assert (tags.country, tags.basis) == ("UZ", "tld")


def test_a_cyrillic_domain_is_russian() -> None:
    assert country_of_host("https://22.мвд.рф/news/item/1", load_gazetteer()) == "RU"


def test_a_generic_domain_is_placed_by_its_content() -> None:
    tags = tag_country(
        "Kyrgyz police seize hashish",
        "near Osh, bound for Bishkek",
        url="https://x.example.com/a",
        source_country=None,
    )
    assert (tags.country, tags.basis) == ("KG", "content")


def test_most_mentioned_country_comes_first() -> None:
    tags = tag_country(
        "",
        "Из Афганистана через Таджикистан в Кыргызстан; в Бишкеке и Оше.",
        url="https://a.kg/x",
        source_country=None,
    )
    assert tags.mentioned[0] == "KG"


def test_russian_nouns_get_six_case_forms() -> None:
    assert word_forms("Казахстан") >= {"казахстан", "казахстана", "казахстану", "казахстаном", "казахстане"}


def test_indeclinable_names_stay_as_they_are() -> None:
    assert word_forms("Душанбе") == {"душанбе"}


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://tj.sputniknews.ru/20150811/1016356446.html", "TJ"),
        ("https://rus.ozodi.org/a/609150.html", "TJ"),
        ("https://www.sputnik-tj.com/20190319/a.html", "TJ"),
        ("https://rus.azattyq.org/a/1.html", "KZ"),
        ("https://lite.mir24.tv/news/16350537/x", "RU"),
        ("https://www.bbc.co.uk/news/x", "GB"),
    ],
)
def test_a_known_outlet_on_a_foreign_or_generic_domain_is_placed_by_its_host(url: str, country: str) -> None:
    assert country_of_host(url, load_gazetteer()) == country


def test_on_a_generic_domain_a_language_only_one_country_has_gives_the_country() -> None:
    kazakh = tag_country("", "Полиция есірткі сатушыны ұстады.", url="https://qazaq.example.com/a",
                         source_country=None, language="kk")
    russian = tag_country("", "В Бишкеке задержан наркокурьер.", url="https://news.example.com/a",
                          source_country=None, language="ru")
    assert (kazakh.country, kazakh.basis) == ("KZ", "language")
    assert (russian.country, russian.basis) == ("KG", "content")
