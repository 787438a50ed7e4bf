"""Trend charts count what the desk accepted, per period, country and topic or substance."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from config import load_sources
from core.period import Period
from pipeline.facts import extract_facts
from release.charts import chart_bytes
from storage.db import session_scope
from storage.models import Event
from storage.repository import sync_sources, upsert_article
from storage.trends import trend_points
from tests.factories import tagged_article

SEIZURES = [
    # (day, text): three seizure stories in #1, one in #3, none in #2
    (datetime(2025, 1, 5, 6, tzinfo=UTC), "Полицейские изъяли 2 кг героина у жителя Алматы."),
    (datetime(2025, 1, 9, 6, tzinfo=UTC), "У задержанного изъяли 500 граммов гашиша и 1 кг героина."),
    (datetime(2025, 1, 12, 6, tzinfo=UTC), "Изъято 300 граммов мефедрона, задержан курьер."),
    (datetime(2025, 2, 3, 6, tzinfo=UTC), "Пограничники изъяли 4 кг гашиша."),
]


@pytest.fixture
def seizures(migrated_db: str) -> str:
    with session_scope(migrated_db) as session:
        for number, (day, text) in enumerate(SEIZURES):
            article = tagged_article(
                url=f"https://polisia.kz/ru/seizure-{number}/",
                title=f"Изъятие {number}",
                text=text,
                published=day,
            )
            upsert_article(session, replace(article, facts=extract_facts(text, language="ru", country="KZ")))
        for event in session.scalars(select(Event)):
            event.status = "accepted"
    return migrated_db


def test_events_are_counted_per_period_with_zero_for_a_period_without_any(seizures: str) -> None:
    with session_scope(seizures) as session:
        points = trend_points(session, Period(2025, 1), Period(2025, 3), by="topic")
    assert [(p.period.number, p.events) for p in points] == [(1, 3), (2, 0), (3, 1)]


def test_quantities_are_summed_per_substance(seizures: str) -> None:
    with session_scope(seizures) as session:
        points = trend_points(session, Period(2025, 1), Period(2025, 3), by="substance")
    grams = {(p.group, p.period.number): p.grams for p in points if p.events}
    assert grams == {
        ("heroin", 1): 3000.0,
        ("hashish", 1): 500.0,
        ("mephedrone", 1): 300.0,
        ("hashish", 3): 4000.0,
    }


def test_an_analyst_s_corrected_facts_are_the_ones_counted(seizures: str) -> None:
    with session_scope(seizures) as session:
        event = session.scalars(select(Event).where(Event.period_number == 3)).one()
        event.facts_override = {"substances": [{"value": "cannabis", "span": [0, 0, ""]}], "quantities": []}
    with session_scope(seizures) as session:
        points = trend_points(session, Period(2025, 3), Period(2025, 3), by="substance")
    assert [(p.group, p.events, p.grams) for p in points] == [("cannabis", 1, 0.0)]


def test_rejected_and_unreviewed_events_are_not_counted_unless_asked(seizures: str) -> None:
    with session_scope(seizures) as session:
        for event in session.scalars(select(Event).where(Event.period_number == 1)):
            event.status = "new"
    with session_scope(seizures) as session:
        accepted = trend_points(session, Period(2025, 1), Period(2025, 1))
        candidates = trend_points(session, Period(2025, 1), Period(2025, 1), scope="candidates")
    assert accepted == []
    assert sum(p.events for p in candidates) == 3


def test_the_svg_chart_shows_the_periods_on_its_axis_and_the_counts_over_the_bars(seizures: str) -> None:
    with session_scope(seizures) as session:
        points = trend_points(session, Period(2025, 1), Period(2025, 3))
    svg = chart_bytes(points, "svg", title="Seizures", country_names={"KZ": "Kazakhstan"})
    texts = [el.text or "" for el in ET.fromstring(svg).iter() if el.tag.endswith("text")]
    assert {"2025-01", "2025-02", "2025-03"} <= set(texts)
    assert {"3", "1"} <= set(texts)
    assert "Kazakhstan: events" in texts


def test_the_png_chart_is_a_png(seizures: str) -> None:
    with session_scope(seizures) as session:
        points = trend_points(session, Period(2025, 1), Period(2025, 3))
    assert chart_bytes(points, "png", title="Seizures", country_names={}).startswith(b"\x89PNG\r\n\x1a\n")


def test_the_csv_table_has_one_row_per_period_country_and_group(seizures: str) -> None:
    with session_scope(seizures) as session:
        points = trend_points(session, Period(2025, 1), Period(2025, 2), by="substance")
    rows = list(csv.DictReader(io.StringIO(chart_bytes(points, "csv", title="", country_names={}).decode())))
    assert {(r["period"], r["group"], r["events"], r["grams"]) for r in rows} >= {
        ("2025-01", "heroin", "2", "3000"),
        ("2025-02", "heroin", "0", "0"),
    }


def test_newsmon_report_trends_writes_the_chart_it_names(release_db, tmp_path, capsys):
    from newsmon.cli import main

    with session_scope(release_db) as session:
        sync_sources(session, load_sources())
        for number, (day, text) in enumerate(SEIZURES):
            article = tagged_article(
                url=f"https://polisia.kz/ru/s-{number}/", title=text, text=text, published=day
            )
            upsert_article(session, replace(article, facts=extract_facts(text, language="ru", country="KZ")))
        for event in session.scalars(select(Event)):
            event.status = "accepted"
    command = [
        "report",
        "trends",
        "--from",
        "2025-1",
        "--to",
        "2025-3",
        "--by",
        "substance",
        "--format",
        "csv",
    ]
    assert main([*command, "-o", str(tmp_path)]) == 0
    written = tmp_path / "trends-substance.csv"
    assert capsys.readouterr().out.strip() == str(written)
    assert "2025-03,1-15.02.2025,KZ,hashish,1,4000" in written.read_text(encoding="utf-8")


def test_newsmon_report_trends_refuses_a_period_that_is_not_one(release_db, capsys):
    from newsmon.cli import main

    assert main(["report", "trends", "--from", "2025-25", "--to", "2025-3"]) != 0
    assert "release number must be 1–24" in capsys.readouterr().err
