"""JSONL records: dates in the spellings sites use, sources found by host."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from config import load_sources
from pipeline.records import RecordError, page_from_record, parse_datetime, source_for_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-10", datetime(2025, 1, 10)),
        ("2025-01-10 11:20", datetime(2025, 1, 10, 11, 20)),
        ("2025-01-10T11:20:00+05:00", datetime(2025, 1, 10, 11, 20, tzinfo=timezone(timedelta(hours=5)))),
        ("2025-01-15T19:30:00Z", datetime(2025, 1, 15, 19, 30, tzinfo=UTC)),
        ("Wed, 15 Jan 2025 19:30:00 +0000", datetime(2025, 1, 15, 19, 30, tzinfo=UTC)),
    ],
)
def test_dates_are_read_in_iso_and_feed_spellings(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


def test_a_date_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(RecordError, match="published"):
        parse_datetime("вчера")


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://www.polisia.kz/ru/a/", "polisia_kz"),
        ("https://xn--b1aew.xn--p1ai/news/item/1", "mvd_ru"),
        ("https://22.мвд.рф/news/item/1", "mvd_ru"),
        ("https://akn.tj/ru/2025/01/10/a/", "akn_tj"),
        ("https://kun.example.uz/a", None),
    ],
)
def test_the_source_is_found_by_host(url: str, source: str | None) -> None:
    found = source_for_url(url, load_sources())
    assert (found.id if found else None) == source


def test_a_record_needs_text_or_html() -> None:
    with pytest.raises(RecordError, match="text: missing"):
        page_from_record({"id": 1, "url": "https://a.kz/x", "title": "t"}, load_sources())


def test_html_alone_is_enough() -> None:
    page, _ = page_from_record({"url": "https://a.kz/x", "html": "<p>x</p>"}, load_sources())
    assert page.html == "<p>x</p>" and page.text is None
