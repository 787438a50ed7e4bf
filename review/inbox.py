"""The inbox query: candidate events of one release period, filtered, sorted and paged.

The filter state lives in the URL (:class:`InboxQuery`), so a filtered inbox can be bookmarked
and the event page can walk the same list with j/k.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, case, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from config.schedules import load_schedules
from core.period import Period, PeriodError
from storage.editing import STATUSES, TOPICS, in_period
from storage.models import Article, Event

PAGE_SIZE = 50
SORTS = {
    "date": "newest first",
    "date_asc": "oldest first",
    "relevance": "most relevant first",
    "country": "by country",
    "status": "new first",
}
RELEVANCE = {"above": "relevant + maybe", "below": "irrelevant only", "all": "all"}


def section_country() -> Any:
    return func.coalesce(Event.country_override, Event.country)


def effective_topic() -> Any:
    return func.coalesce(Event.topic_override, Event.topic)


def desk_today(now: datetime | None = None) -> date:
    """The date at the desk (``[scheduler].timezone`` in ``config/schedules.toml``, Almaty), not
    on the server: the period an analyst works on turns at the desk's midnight, as period-end
    drafts do."""
    moment = now if now is not None else datetime.now(UTC)
    return moment.astimezone(load_schedules().scheduler.zone).date()


def desk_period(today: date | None = None) -> Period:
    """The period of ``today`` (default: today at the desk, see :func:`desk_today`)."""
    return Period.containing(today or desk_today())


def period_or(value: str | None, default: Period) -> Period:
    """The period a URL names (``2025-01``), or ``default`` when it names none."""
    try:
        return Period.parse(value or "")
    except PeriodError:
        return default


@dataclass(frozen=True, slots=True)
class InboxQuery:
    period: Period
    country: str = ""
    source: str = ""
    language: str = ""
    relevance: str = "above"
    threshold: float | None = None
    status: str = ""
    topic: str = ""
    q: str = ""
    sort: str = "date"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str], default_period: Period | None = None) -> InboxQuery:
        period = period_or(args.get("period"), default_period or desk_period())
        threshold: float | None
        try:
            threshold = float(args["threshold"]) if args.get("threshold", "").strip() else None
        except ValueError:
            threshold = None
        if threshold is not None and not 0 <= threshold <= 1:
            threshold = None
        try:
            page = max(1, int(args.get("page") or 1))
        except ValueError:
            page = 1
        relevance = args.get("relevance") or "above"
        status = args.get("status") or ""
        topic = args.get("topic") or ""
        sort = args.get("sort") or "date"
        return cls(
            period=period,
            country=(args.get("country") or "").strip().upper()[:2],
            source=(args.get("source") or "").strip()[:64],
            language=(args.get("language") or "").strip().lower()[:8],
            relevance=relevance if relevance in RELEVANCE else "above",
            threshold=threshold,
            status=status if status in STATUSES else "",
            topic=topic if topic in TOPICS else "",
            q=(args.get("q") or "").strip()[:200],
            sort=sort if sort in SORTS else "date",
            page=page,
        )

    def args(self, **overrides: Any) -> dict[str, Any]:
        """The query as URL arguments, defaults left out (``page`` resets unless given)."""
        query = replace(self, **{"page": 1, **overrides})
        out: dict[str, Any] = {"period": query.period.key}
        defaults = InboxQuery(period=query.period)
        for item in fields(self):
            if item.name == "period":
                continue
            value = getattr(query, item.name)
            if value != getattr(defaults, item.name):
                out[item.name] = value
        return out

    @property
    def filtered(self) -> bool:
        return self.args().keys() - {"period", "sort"} != set()


def _fold(dialect: str, column: Any) -> Any:
    # SQLite's lower() only knows ASCII; the review app registers a Unicode casefold().
    return func.casefold(column) if dialect == "sqlite" else func.lower(column)


def conditions(query: InboxQuery, dialect: str) -> list[Any]:
    where: list[Any] = [in_period(query.period)]
    if query.country:
        where.append(section_country() == query.country)
    if query.source:
        where.append(exists().where(Article.event_id == Event.id, Article.source_id == query.source))
    if query.language:
        where.append(exists().where(Article.event_id == Event.id, Article.language == query.language))
    if query.relevance != "all":
        above = (
            Event.relevance_score >= query.threshold
            if query.threshold is not None
            else Event.relevance_label != "irrelevant"
        )
        where.append(above if query.relevance == "above" else ~above)
    if query.status:
        where.append(Event.status == query.status)
    if query.topic:
        where.append(effective_topic() == query.topic)
    if query.q:
        needle = query.q.casefold()
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
        if query.q.lstrip("#").isdigit():
            where[-1] = or_(where[-1], Event.id == int(query.q.lstrip("#")))
    return where


def ordering(sort: str) -> list[Any]:
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


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _select(session: Session, query: InboxQuery) -> Select[Event]:
    return select(Event).where(*conditions(query, _dialect(session))).order_by(*ordering(query.sort))


@dataclass(slots=True)
class InboxPage:
    query: InboxQuery
    events: list[Event]
    total: int
    pages: int
    counts: dict[str, dict[str, int]]
    sources: list[str]
    languages: list[str]
    countries: list[str]


def load(session: Session, query: InboxQuery) -> InboxPage:
    total = (
        session.scalar(select(func.count()).select_from(Event).where(*conditions(query, _dialect(session))))
        or 0
    )
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(query.page, pages)
    events = list(
        session.scalars(
            _select(session, query)
            .options(selectinload(Event.articles))
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    counts = country_counts(session, query.period)
    period_filter = in_period(query.period)
    sources = sorted(
        s
        for s in session.scalars(
            select(Article.source_id)
            .join(Event, Article.event_id == Event.id)
            .where(period_filter)
            .distinct()
        )
        if s
    )
    languages = sorted(
        lang
        for lang in session.scalars(
            select(Article.language).join(Event, Article.event_id == Event.id).where(period_filter).distinct()
        )
        if lang
    )
    return InboxPage(
        replace(query, page=page), events, total, pages, counts, sources, languages, sorted(counts)
    )


def event_ids(session: Session, query: InboxQuery) -> list[int]:
    """Every event id of the filtered list, in order (for next/previous on the event page)."""
    ordered = select(Event.id).where(*conditions(query, _dialect(session))).order_by(*ordering(query.sort))
    return list(session.scalars(ordered))


def country_counts(session: Session, period: Period) -> dict[str, dict[str, int]]:
    """Per section country of the period: events by status (irrelevant new ones apart)."""
    country = section_country().label("country")
    rows = session.execute(
        select(country, Event.status, Event.relevance_label, func.count())
        .where(in_period(period))
        .group_by(country, Event.status, Event.relevance_label)
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: {"new": 0, "accepted": 0, "rejected": 0, "irrelevant": 0, "total": 0}
    )
    for code, status, label, count in rows:
        entry = counts[code or "??"]
        if status == "new" and label == "irrelevant":
            entry["irrelevant"] += count
        else:
            entry[status] = entry.get(status, 0) + count
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
