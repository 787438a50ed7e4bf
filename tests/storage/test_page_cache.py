"""The inbox's period menu is kept between pages while the store's change marker holds, and a
new event shows on the next page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.period import Period
from storage.db import session_scope
from storage.page_cache import forget_pages, menu_periods, store_marker
from storage.repository import upsert_article
from tests.factories import tagged_article

JANUARY = datetime(2025, 1, 9, 6, 30, tzinfo=UTC)
FEBRUARY = datetime(2025, 2, 3, 6, 30, tzinfo=UTC)
LECTURE = "Полицейские провели в школе Кокшетау лекцию о вреде наркотиков для старшеклассников."
SEIZURE = "В Павлодаре у 30-летнего мужчины изъяли 2 килограмма марихуаны, возбуждено уголовное дело."


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    forget_pages()


def _store(database: str, url: str, published: datetime, text: str) -> None:
    with session_scope(database) as session:
        upsert_article(session, tagged_article(url=url, published=published, text=text))


def _menu(database: str, marker: tuple[object, ...] | None = None) -> list[Period]:
    with session_scope(database) as session:
        return [period for period, _ in menu_periods(session, marker)]


def test_a_new_event_shows_in_the_period_menu_on_the_next_page(migrated_db) -> None:
    _store(migrated_db, "https://polisia.kz/ru/a/", JANUARY, LECTURE)
    assert _menu(migrated_db) == [Period(2025, 1)]
    _store(migrated_db, "https://polisia.kz/ru/b/", FEBRUARY, SEIZURE)
    assert sorted(_menu(migrated_db)) == [Period(2025, 1), Period(2025, 3)]


def test_the_menu_is_kept_while_the_marker_a_page_asked_is_unchanged(migrated_db) -> None:
    _store(migrated_db, "https://polisia.kz/ru/a/", JANUARY, LECTURE)
    with session_scope(migrated_db) as session:
        marker = store_marker(session)
    assert _menu(migrated_db, marker) == [Period(2025, 1)]
    _store(migrated_db, "https://polisia.kz/ru/b/", FEBRUARY, SEIZURE)
    # the page's own marker is the one it asked before the new event: the kept menu answers
    assert _menu(migrated_db, marker) == [Period(2025, 1)]
    assert sorted(_menu(migrated_db)) == [Period(2025, 1), Period(2025, 3)]
