"""Counts of what is stored, for ``newsmon status`` and the demo's report.

Each function takes an open session and returns plain values (dicts, tuples, ints): the callers
print them and never build a query themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.models import Article, Event
from storage.repository import articles_per_source

ARTICLE_GROUPS: dict[str, InstrumentedAttribute[Any]] = {
    "source_id": Article.source_id,
    "country": Article.country,
    "language": Article.language,
    "period_year": Article.period_year,
    "period_number": Article.period_number,
}
"""The article columns the demo's tables group by, by name."""


@dataclass(frozen=True, slots=True)
class StoredCounts:
    """What ``newsmon status`` shows besides the runs."""

    articles: dict[str, int]
    """Stored articles per source id (sources without any are absent)."""
    relevant: dict[str, int]
    """Articles labelled ``relevant`` per source id."""
    events: int
    """Candidate events, all periods and statuses."""


def stored_counts(session: Session) -> StoredCounts:
    """Articles and relevant articles per source, and the number of events."""
    relevant = session.execute(
        select(Article.source_id, func.count())
        .where(Article.relevance_label == "relevant")
        .group_by(Article.source_id)
    )
    events = session.scalar(select(func.count()).select_from(Event)) or 0
    return StoredCounts(
        articles={source_id: count for source_id, count in articles_per_source(session).items() if source_id},
        relevant={source_id: count for source_id, count in relevant if source_id},
        events=events,
    )


def article_counts_by(session: Session, *fields: str) -> list[tuple[Any, ...]]:
    """Per value of ``fields`` (names of :data:`ARTICLE_GROUPS`), in their order:
    ``(*values, articles, relevant, maybe)``."""
    columns = [ARTICLE_GROUPS[name] for name in fields]
    relevant = func.sum(case((Article.relevance_label == "relevant", 1), else_=0))
    maybe = func.sum(case((Article.relevance_label == "maybe", 1), else_=0))
    query = select(*columns, func.count(), relevant, maybe).group_by(*columns).order_by(*columns)
    return [tuple(row) for row in session.execute(query)]


def relevance_counts(session: Session) -> dict[str, int]:
    """Stored articles per relevance label."""
    rows = session.execute(select(Article.relevance_label, func.count()).group_by(Article.relevance_label))
    return {label: count for label, count in rows}


def candidate_events_by_country(session: Session, year: int, number: int) -> dict[str | None, int]:
    """Events of a period the inbox shows (relevant and maybe, not rejected) per country section
    (the analyst's override, else the tagged country)."""
    section = func.coalesce(Event.country_override, Event.country)
    rows = session.execute(
        select(section, func.count())
        .where(
            Event.period_year == year,
            Event.period_number == number,
            Event.relevance_label != "irrelevant",
            Event.status != "rejected",
        )
        .group_by(section)
    )
    return {code: count for code, count in rows}

