"""The runner composes every stage: one page in, one TaggedArticle out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from config import load_sources
from core.types import PageInput
from pipeline.runner import story_key, tag_page

URL = "https://polisia.kz/ru/v-karagande-zaderzhan-zakladchik-mefedrona/"


def test_an_html_page_is_tagged_end_to_end(html_fixture) -> None:
    article = tag_page(PageInput(url=URL, source_id="polisia_kz", html=html_fixture("polisia_kz_article")))
    assert (
        article.language,
        article.country,
        article.period.text,
        article.relevance.label,
        article.topic,
    ) == (
        "ru",
        "KZ",
        "16-31.01.2025",
        "relevant",
        "seizure_arrest",
    )
    assert article.canonical_url == URL.rstrip("/") and not article.date_uncertain


def test_the_source_is_found_by_host_when_not_named(html_fixture) -> None:
    article = tag_page(PageInput(url="https://www.polisia.kz/ru/x/", html=html_fixture("polisia_kz_article")))
    assert article.country == "KZ"


def test_a_page_without_a_date_gets_the_crawl_date_flagged_uncertain() -> None:
    fetched = datetime(2025, 3, 15, 20, 0, tzinfo=UTC)  # 16 March in Almaty
    page = PageInput(url=URL, source_id="polisia_kz", text="Изъято 2 кг гашиша. " * 5, fetched_at=fetched)
    article = tag_page(page)
    assert article.date_uncertain and article.period.text == "16-31.03.2025"


def test_now_is_the_last_resort_for_the_date() -> None:
    page = PageInput(url=URL, source_id="polisia_kz", text="Изъято 2 кг гашиша. " * 5)
    article = tag_page(page, now=datetime(2025, 1, 10, 12, 0, tzinfo=UTC))
    assert article.date_uncertain and article.period.text == "1-15.01.2025"


def test_a_regional_host_uses_its_own_time_zone() -> None:
    page = PageInput(
        url="https://22.мвд.рф/news/item/1",
        source_id="mvd_ru",
        text="Полицейские рассказали школьникам о вреде наркотиков. " * 3,
        site_published=datetime.fromisoformat("2025-01-15T17:30:00+00:00"),  # 16 Jan 00:30 in Barnaul
    )
    assert tag_page(page).period.number == 2


def test_the_page_time_zone_overrides_the_source_zone() -> None:
    page = PageInput(
        url="https://мвд.рф/news/item/1",
        source_id="mvd_ru",
        text="Полицейские рассказали школьникам о вреде наркотиков. " * 3,
        site_published=datetime(2025, 1, 16, 0, 30),
        timezone="Asia/Barnaul",
    )
    assert tag_page(page).published_at.utcoffset().total_seconds() == 7 * 3600


def test_a_page_without_text_is_kept(html_fixture) -> None:
    article = tag_page(
        PageInput(
            url="https://polisia.kz/ru/foto/", source_id="polisia_kz", html=html_fixture("no_text_gallery")
        )
    )
    assert article.extraction_status == "no_text" and article.relevance.label == "irrelevant"


def test_an_unknown_source_id_is_an_error() -> None:
    from config import ConfigError

    with pytest.raises(ConfigError):
        tag_page(PageInput(url=URL, source_id="nope", text="текст " * 20))


def test_story_key_carries_the_alternates(html_fixture) -> None:
    page = PageInput(
        url=URL,
        source_id="polisia_kz",
        html=html_fixture("polisia_kz_article"),
        alternates={"kk": "https://polisia.kz/qaraghandyda-mefedron-taratushy-ustaldy/"},
    )
    key = story_key(tag_page(page, load_sources().source("polisia_kz")))
    assert key.alternates == frozenset({"https://polisia.kz/qaraghandyda-mefedron-taratushy-ustaldy"})


def test_timings_are_reported_per_stage(html_fixture) -> None:
    timings: dict[str, float] = {}
    tag_page(
        PageInput(url=URL, source_id="polisia_kz", html=html_fixture("polisia_kz_article")), timings=timings
    )
    stages = {"extract", "language", "country", "period", "relevance", "topic", "facts", "cluster"}
    assert set(timings) == stages
