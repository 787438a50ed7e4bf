"""Storage under concurrent crawl workers (PostgreSQL): two versions of one story stored at the
same moment by two workers are one event, and crawl state merges instead of overwriting."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from storage.db import session_scope
from storage.models import Event, Source
from storage.repository import crawl_state, merge_crawl_state, upsert_article
from tests.factories import tagged_article

pytestmark = pytest.mark.postgres

RUSSIAN = "https://mvd.gov.kg/rus/news/4052"
KYRGYZ = "https://mvd.gov.kg/kyr/news/4052"


def version(url: str, other: str, language: str, text: str):
    return tagged_article(
        url,
        source_id="mvd_kg",
        country="KG",
        language=language,
        alternates={"ky" if language == "ru" else "ru": other},
        text=text,
    )


@pytest.fixture
def pg_db(postgres_url, monkeypatch):
    from config import load_sources
    from storage import schema
    from storage.repository import sync_sources

    monkeypatch.setenv("DATABASE_URL", postgres_url)
    schema.upgrade(postgres_url)
    with session_scope(postgres_url) as session:
        sync_sources(session, load_sources())
    return postgres_url


def test_two_language_versions_stored_at_the_same_time_are_one_event(pg_db):
    russian = version(
        RUSSIAN, KYRGYZ, "ru", "МВД провело викторину по профилактике наркомании среди молодёжи."
    )
    kyrgyz = version(
        KYRGYZ, RUSSIAN, "ky", "ИИМ жаштар арасында баңгизаттын алдын алуу боюнча викторина өткөрдү."
    )
    second_done = threading.Event()
    results = {}

    def store_second() -> None:
        with session_scope(pg_db) as session:
            results["second"] = upsert_article(session, kyrgyz).event_id
        second_done.set()

    # Worker 1 has stored its version but not committed yet when worker 2 stores the other one.
    with session_scope(pg_db) as session:
        results["first"] = upsert_article(session, russian).event_id
        thread = threading.Thread(target=store_second)
        thread.start()
        time.sleep(0.5)
        assert not second_done.is_set(), "event assignment must wait for the other transaction"
    thread.join(timeout=30)
    assert results["first"] == results["second"]
    with session_scope(pg_db) as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 1


def test_crawl_state_of_concurrent_workers_is_merged(pg_db):
    early, late = datetime(2025, 1, 10, tzinfo=UTC).isoformat(), datetime(2025, 1, 20, tzinfo=UTC).isoformat()
    with session_scope(pg_db) as session:
        merge_crawl_state(session, "mvd_kg", channels={"a": {"complete": False, "high_water": late}})
    with session_scope(pg_db) as session:
        merge_crawl_state(
            session, "mvd_kg", channels={"b": {"complete": True, "high_water": early}}, walk={"a": 4050}
        )
    with session_scope(pg_db) as session:
        # A mark never goes back; walk ids only grow; other channels are kept.
        merge_crawl_state(
            session, "mvd_kg", channels={"a": {"complete": True, "high_water": early}}, walk={"a": 4000}
        )
    with session_scope(pg_db) as session:
        state = crawl_state(session, "mvd_kg")
        assert state["channels"] == {
            "a": {"complete": True, "high_water": late},
            "b": {"complete": True, "high_water": early},
        }
        assert state["walk"] == {"a": 4050}
        assert session.get(Source, "polisia_kz").crawl_state == {}
