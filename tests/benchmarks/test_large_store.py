"""The large-store benchmark's generator and measurement at a tiny size, on the tests' own
PostgreSQL (the benchmark itself, ``python -m benchmarks.store``, takes minutes)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest

from benchmarks.large_store import YEARS, generate, libpq_url, load_templates
from benchmarks.store import END, headline_figures, table
from benchmarks.store_timing import FIGURES, measure
from config import load_sources
from storage.db import dispose_engines
from tests.services import postgres_server_url

ARTICLES = 1_200


@pytest.fixture(scope="module")
def store() -> Iterator[tuple[str, object]]:
    """A database of its own on the tests' PostgreSQL, filled with a tiny large store."""
    name = f"store_{uuid.uuid4().hex[:10]}"
    server = postgres_server_url()
    with psycopg.connect(libpq_url(server), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + f"/{name}"
    try:
        shape = generate(url, ARTICLES, end=END, templates=load_templates(limit=60), log=lambda _m: None)
        yield url, shape
    finally:
        dispose_engines()
        with psycopg.connect(libpq_url(server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _one(url: str, query: str) -> list[tuple]:
    with psycopg.connect(libpq_url(url)) as connection:
        return connection.execute(query).fetchall()


def test_the_store_holds_the_articles_asked_for_in_events_of_about_four(store) -> None:
    url, shape = store
    [(articles, events, orphans)] = _one(
        url,
        "SELECT count(*), count(DISTINCT event_id), count(*) FILTER (WHERE event_id IS NULL) FROM articles",
    )
    assert (articles, orphans) == (ARTICLES, 0)
    assert events == shape.events == _one(url, "SELECT count(*) FROM events")[0][0]
    assert 2.5 <= articles / events <= 6


def test_the_articles_spread_over_five_years_of_periods_and_every_configured_source(store) -> None:
    url, shape = store
    periods = _one(url, "SELECT count(DISTINCT (period_year, period_number)) FROM events")[0][0]
    assert len(shape.periods) == YEARS * 24
    assert periods > 100
    sources = {row[0] for row in _one(url, "SELECT DISTINCT source_id FROM articles")}
    assert sources == {s.id for s in load_sources().sources if s.enabled}


def test_older_periods_are_decided_and_the_newest_ones_wait_for_the_desk(store) -> None:
    url, shape = store
    newest = shape.periods[-1]
    statuses = dict(_one(url, "SELECT status, count(*) FROM events GROUP BY status"))
    assert statuses.get("accepted", 0) > 0 and statuses.get("rejected", 0) > 0
    decided_newest = _one(
        url,
        f"SELECT count(*) FILTER (WHERE status <> 'new') FROM events "
        f"WHERE period_year = {newest.year} AND period_number = {newest.number}",
    )[0][0]
    assert decided_newest == 0
    audited = _one(url, "SELECT count(*) FROM audit_log WHERE entity_type = 'event'")[0][0]
    assert audited == statuses["accepted"] + statuses["rejected"]


def test_the_measured_period_has_an_accepted_event_to_build_its_release_from(store) -> None:
    url, shape = store
    measured = shape.measured
    accepted = _one(
        url,
        f"SELECT count(*) FROM events WHERE status = 'accepted' "
        f"AND period_year = {measured.year} AND period_number = {measured.number}",
    )[0][0]
    assert accepted >= 1


def test_the_articles_carry_the_tags_a_crawl_stores(store) -> None:
    url, _ = store
    [(labels, languages, no_text, no_raw)] = _one(
        url,
        "SELECT count(DISTINCT relevance_label), count(DISTINCT language), "
        "count(*) FILTER (WHERE length(text) < 200), count(*) FILTER (WHERE raw_html_z IS NULL) "
        "FROM articles",
    )
    assert labels >= 2 and languages >= 2
    assert (no_text, no_raw) == (0, 0)


def test_the_measurement_returns_every_named_figure(store) -> None:
    url, shape = store
    figures = measure(url, shape, repeat=2, slow_repeat=1, pdf_repeat=1, warm=1, log=lambda _m: None)
    assert set(FIGURES) <= figures.keys()
    assert all(figures[name] > 0 for name in FIGURES)
    shown = table({f"{k}@1k": v for k, v in figures.items()}, [1000], command="test")
    assert "event page" in shown and "≤ 150 ms" in shown


def test_the_headline_figures_say_the_size_and_the_load_of_the_largest_store() -> None:
    figures = {
        "inbox_p95_ms": 120.1,
        "event_p95_ms": 46.4,
        "large_store_articles": 1_000_000,
        "large_store_load_1min": 0.94,
        "load_1min@100k": 3.5,
    }
    headline = headline_figures(figures)
    assert set(headline) == {"inbox_p95_ms", "event_p95_ms"}
    assert headline["inbox_p95_ms"].detail == "1,000,000 articles stored, load 0.9"
