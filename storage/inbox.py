"""The inbox: candidate events of one release period, filtered, sorted and paged, with the
counts and the choices (countries, sources, languages) the filters offer."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, event, exists, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from core.period import Period
from core.types import row_id
from storage.db import get_engine
from storage.events import in_period
from storage.models import Article, Event

MAX_OFFSET = 2**31 - 1
"""Beyond this many events a page asked for is past the end of any list (and of the databases'
integers): the last page is shown."""
SORTS = {
    "date": "newest first",
    "date_asc": "oldest first",
    "relevance": "most relevant first",
    "country": "by country",
    "status": "new first",
}
"""The orders of the list (key: what it does)."""
RELEVANCE = {"above": "relevant + maybe", "below": "irrelevant only", "all": "all"}
"""The relevance filter (key: what it keeps)."""


@dataclass(frozen=True, slots=True)
class InboxFilters:
    """What the list keeps and how it is sorted (empty text: no filter)."""

    country: str = ""
    """Section country (the analyst's override, else the machine's)."""
    source: str = ""
    """Events with an article of this source."""
    language: str = ""
    """Events with an article in this language."""
    relevance: str = "above"
    """A key of :data:`RELEVANCE`."""
    threshold: float | None = None
    """With ``relevance`` above/below: the score that divides (None: the machine's label)."""
    status: str = ""
    topic: str = ""
    """The analyst's topic, else the machine's."""
    q: str = ""
    """Text in the articles (title, text, URL) or the English texts; ``#123`` finds event 123."""
    sort: str = "date"
    """A key of :data:`SORTS`."""


@dataclass(slots=True)
class InboxPage:
    events: list[Event]
    """This page's events, articles loaded."""
    total: int
    pages: int
    page: int
    """The page shown: the one asked for, or the last one when it asked beyond."""
    counts: dict[str, dict[str, int]]
    """See :func:`country_counts`."""
    sources: list[str]
    languages: list[str]
    countries: list[str]


def section_country() -> Any:
    return func.coalesce(Event.country_override, Event.country)


def effective_topic() -> Any:
    return func.coalesce(Event.topic_override, Event.topic)


def _fold(dialect: str, column: Any) -> Any:
    # SQLite's lower() only knows ASCII: see register_sqlite_casefold.
    return func.casefold(column) if dialect == "sqlite" else func.lower(column)


def register_sqlite_casefold(database_url: str | None) -> None:
    """Give SQLite a Unicode ``casefold()`` for the inbox search (its lower() is ASCII-only);
    nothing to do on another database. The review app calls it once at start."""
    engine = get_engine(database_url)
    if engine.dialect.name != "sqlite" or getattr(engine, "_newsmon_casefold", False):
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function(
            "casefold",
            1,
            lambda value: value.casefold() if isinstance(value, str) else value,
            deterministic=True,
        )

    engine._newsmon_casefold = True  # type: ignore[attr-defined]
    engine.dispose()  # pooled connections were opened without the function


def _conditions(period: Period, filters: InboxFilters, dialect: str) -> list[Any]:
    where: list[Any] = [in_period(period)]
    if filters.country:
        where.append(section_country() == filters.country)
    if filters.source:
        where.append(exists().where(Article.event_id == Event.id, Article.source_id == filters.source))
    if filters.language:
        where.append(exists().where(Article.event_id == Event.id, Article.language == filters.language))
    if (kept := _relevance_kept(filters)) is not None:
        where.append(kept)
    if filters.status:
        where.append(Event.status == filters.status)
    if filters.topic:
        where.append(effective_topic() == filters.topic)
    if filters.q:
        needle = filters.q.casefold()
        in_articles = exists().where(
            Article.event_id == Event.id,
            or_(
                _fold(dialect, Article.title).contains(needle, autoescape=True),
                _fold(dialect, Article.text).contains(needle, autoescape=True),
                _fold(dialect, Article.url).contains(needle, autoescape=True),
            ),
        )
        in_event = or_(
            _fold(dialect, func.coalesce(Event.headline_en, "")).contains(needle, autoescape=True),
            _fold(dialect, func.coalesce(Event.text_en, "")).contains(needle, autoescape=True),
        )
        where.append(or_(in_articles, in_event))
        if (wanted := row_id(filters.q)) is not None:
            where[-1] = or_(where[-1], Event.id == wanted)
    return where


def _ordering(sort: str) -> list[Any]:
    newest = [Event.published_at.desc(), Event.id.desc()]
    if sort == "date_asc":
        return [Event.published_at.asc(), Event.id.asc()]
    if sort == "relevance":
        return [Event.relevance_score.desc(), *newest]
    if sort == "country":
        return [section_country().asc(), *newest]
    if sort == "status":
        rank = case({"new": 0, "accepted": 1, "rejected": 2}, value=Event.status, else_=3)
        return [rank, *newest]
    return newest


def _where(session: Session, period: Period, filters: InboxFilters) -> list[Any]:
    return _conditions(period, filters, session.get_bind().dialect.name)


def inbox_page(
    session: Session,
    period: Period,
    filters: InboxFilters,
    page: int,
    *,
    page_size: int,
    choices: tuple[list[str], list[str]] | None = None,
) -> InboxPage:
    """One page of the filtered list, with the period's counts and filter choices.

    The page's rows carry the list's length (a window count), so the filter (a text search reads
    every article of the period) runs once, not once for the count and once for the page; only a
    page past the end asks again, for the last page. ``choices``: the filters' sources and
    languages when the caller kept them (:func:`storage.page_cache.filter_choices`), else
    :func:`period_choices`."""
    where = _where(session, period, filters)
    within = (page - 1) * page_size <= MAX_OFFSET
    events, total = _page_rows(session, where, filters.sort, page, page_size) if within else ([], 0)
    if not events and page > 1:
        total = session.scalar(select(func.count()).select_from(Event).where(*where)) or 0
        page = max(1, math.ceil(total / page_size))
        events, total = _page_rows(session, where, filters.sort, page, page_size)
    pages = max(1, math.ceil(total / page_size))
    counts = country_counts(session, period, filters)
    sources, languages = choices if choices is not None else period_choices(session, period)
    return InboxPage(events, total, pages, page, counts, sources, languages, sorted(counts))


def period_choices(session: Session, period: Period) -> tuple[list[str], list[str]]:
    """The sources and the languages of the period's articles (what the filters offer), in one
    pass."""
    sources_seen: set[str] = set()
    languages_seen: set[str] = set()
    for source_id, language in session.execute(
        select(Article.source_id, Article.language)
        .join(Event, Article.event_id == Event.id)
        .where(in_period(period))
        .distinct()
    ):
        if source_id:
            sources_seen.add(source_id)
        if language:
            languages_seen.add(language)
    return sorted(sources_seen), sorted(languages_seen)


def _page_rows(
    session: Session, where: list[Any], sort: str, page: int, page_size: int
) -> tuple[list[Event], int]:
    """The events of one page (articles loaded) and the length of the whole list (0 when the
    page is empty)."""
    query = (
        select(Event, func.count().over().label("total"))
        .where(*where)
        .order_by(*_ordering(sort))
        .options(selectinload(Event.articles))
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    rows = session.execute(query).all()
    return [row[0] for row in rows], (int(rows[0][1]) if rows else 0)


def inbox_event_ids(session: Session, period: Period, filters: InboxFilters) -> list[int]:
    """Every event id of the filtered list, in order (for next/previous on the event page)."""
    ordered = select(Event.id).where(*_where(session, period, filters)).order_by(*_ordering(filters.sort))
    return list(session.scalars(ordered))


def _relevance_kept(filters: InboxFilters) -> Any:
    """SQL: the event passes the relevance filter (None: the filter keeps every event)."""
    if filters.relevance == "all":
        return None
    above = (
        Event.relevance_score >= filters.threshold
        if filters.threshold is not None
        else Event.relevance_label != "irrelevant"
    )
    return above if filters.relevance == "above" else ~above


def country_counts(
    session: Session, period: Period, filters: InboxFilters | None = None
) -> dict[str, dict[str, int]]:
    """Per section country of the period: events by status, and of the undecided (``new``) ones
    how many the relevance filter of ``filters`` hides (``hidden``; default filter: relevant and
    maybe shown). ``new`` counts every undecided event, shown or hidden."""
    country = section_country().label("country")
    kept = _relevance_kept(filters or InboxFilters())
    shown = kept if kept is not None else true()
    rows = session.execute(
        select(country, Event.status, case((shown, 1), else_=0).label("shown"), func.count())
        .where(in_period(period))
        .group_by(country, Event.status, "shown")
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: {"new": 0, "hidden": 0, "accepted": 0, "rejected": 0, "total": 0}
    )
    for code, status, visible, count in rows:
        entry = counts[code or "??"]
        entry[status] = entry.get(status, 0) + count
        if status == "new" and not visible:
            entry["hidden"] += count
        entry["total"] += count
    return dict(sorted(counts.items()))


def periods_with_events(session: Session) -> list[tuple[Period, int]]:
    """Machine periods that have events, newest first, with their event counts."""
    rows = session.execute(
        select(Event.period_year, Event.period_number, func.count())
        .where(Event.period_year.is_not(None), Event.period_number.is_not(None))
        .group_by(Event.period_year, Event.period_number)
        .order_by(Event.period_year.desc(), Event.period_number.desc())
    ).all()
    return [
        (Period(year, number), count)
        for year, number, count in rows
        if year is not None and number is not None  # the query's own filter, for the type checker
    ]


def oldest_undecided_period(session: Session, until: Period | None = None) -> Period | None:
    """The oldest period (up to ``until``) holding an event still to decide that the inbox shows
    by default (status ``new``, not judged irrelevant); None when every such event is decided."""
    query = select(Event.period_year, Event.period_number).where(
        Event.status == "new",
        Event.relevance_label != "irrelevant",
        Event.period_year.is_not(None),
        Event.period_number.is_not(None),
    )
    if until is not None:
        query = query.where(
            or_(
                Event.period_year < until.year,
                and_(Event.period_year == until.year, Event.period_number <= until.number),
            )
        )
    row = session.execute(query.order_by(Event.period_year, Event.period_number).limit(1)).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return Period(row[0], row[1])

