"""Stores for the retag tests: articles tagged and stored as a crawl stores them, then made stale
(what the rows look like before a lexicon fix), and the rows a retag may write, to compare."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select, update

from config import load_sources
from core.types import PageInput
from pipeline.records import page_from_record
from pipeline.runner import tag_page
from storage.db import session_scope
from storage.models import Article, ArticleMatchKey, Event, SourceParagraph
from storage.repository import upsert_article

LABELLED = Path(__file__).resolve().parents[1] / "data" / "labelled"

SEIZURE_HTML = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>В Бишкеке задержан наркокурьер — МВД</title></head><body>
<div class="news-detail"><p class="date">{day}.01.2025</p>
<h1>В Бишкеке задержан наркокурьер с героином</h1>
<p>Сотрудники Службы по борьбе с незаконным оборотом наркотиков МВД задержали в Бишкеке
жителя столицы, у которого изъяли более двух килограммов героина.</p>
<p>По данному факту возбуждено уголовное дело по статье о незаконном обороте наркотических
средств в особо крупном размере. Ведётся следствие, устанавливаются соучастники.</p>
<p>Пресс-служба МВД</p></div></body></html>"""

VOLATILE = frozenset({"tagged_at", "first_seen_at", "created_at"})
"""Times of writing, not results: two stores built one after the other differ in them."""


def seizure_page(number: int, day: int, source: str = "mvd_kg") -> PageInput:
    """One of a series of near-duplicate seizure reports (they cluster into one event)."""
    host = {"mvd_kg": "https://mvd.gov.kg/rus/news/", "akn_tj": "https://akn.tj/ru/news/"}[source]
    return PageInput(
        url=f"{host}{number}",
        source_id=source,
        html=SEIZURE_HTML.format(day=f"{day:02d}").replace("Бишкеке", f"Бишкеке (дело {number})"),
        encoding="utf-8",
        site_published=datetime(2025, 1, day, 10, 0, tzinfo=UTC),
        declared_language="ru",
        http_status=200,
        fetched_at=datetime(2025, 1, day, 12, 0, tzinfo=UTC),
    )


def labelled_pages(count: int) -> list[PageInput]:
    """``count`` pages of the labelled set, taken across its files (languages, countries,
    relevant and not) in a fixed order."""
    records = []
    for path in sorted(LABELLED.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        records += [json.loads(line) for line in lines if line.strip()]
    step = max(1, len(records) // count)
    sources = load_sources()
    pages = []
    for record in records[::step][:count]:
        page, source = page_from_record(record, sources)
        stated = page.site_published
        if stated is not None and stated.tzinfo is None:  # a spider states dates in the site's zone
            stated = stated.replace(tzinfo=source.zone if source else UTC)
        # fetched at a fixed time, so that two stores of these pages are the same
        pages.append(replace(page, site_published=stated, fetched_at=datetime(2025, 3, 1, 12, 0, tzinfo=UTC)))
    return pages


def mixed_pages() -> list[PageInput]:
    """30 pages: labelled ones and HTML seizure reports, six of them reposts of one story."""
    pages = labelled_pages(23)
    seizures = [seizure_page(4100 + i, 9 + i % 3) for i in range(6)] + [seizure_page(7000, 10, "akn_tj")]
    for position, page in enumerate(seizures):
        pages.insert(position * 4 + 1, page)
    return pages


def store_pages(url: str, pages: Sequence[PageInput]) -> list[int]:
    """Tag and store the pages in order, as a crawl does; their article ids."""
    with session_scope(url) as session:
        return [upsert_article(session, tag_page(page)).article_id for page in pages]


def make_stale(url: str) -> None:
    """What the rows looked like before a lexicon fix: nothing relevant, no country, tagged by no
    known tagger version."""
    with session_scope(url) as session:
        stale = {"relevance_label": "irrelevant", "relevance_score": 0.0, "topic": "other"}
        session.execute(
            update(Article).values(country=None, relevance_evidence=[], tagger_version=None, **stale)
        )
        session.execute(update(Event).values(**stale))


def rows(url: str, *, keep_times: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Every row a retag may write (articles, events, clustering keys, paragraph fingerprints),
    in key order; without the write times unless ``keep_times``."""
    out = {}
    with session_scope(url) as session:
        for model in (Article, Event, ArticleMatchKey, SourceParagraph):
            table: Table = model.__table__  # type: ignore[assignment]
            columns = [c for c in table.columns if keep_times or c.name not in VOLATILE]
            query = select(*columns).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in session.execute(query)]
    return out
