"""The inbox's state in the URL: which period, filters, order and page an analyst looks at.

The filter state lives in the URL (:class:`InboxQuery`), so a filtered inbox can be bookmarked
and the event page can walk the same list with j/k. The list itself is
:func:`storage.inbox.inbox_page`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Any

from config.schedules import load_schedules
from core.period import Period, PeriodError
from desk import STATUSES, TOPICS
from storage.db import Session
from storage.inbox import RELEVANCE, SORTS, InboxFilters, InboxPage, inbox_event_ids, inbox_page
from storage.page_cache import filter_choices

PAGE_SIZE = 50
"""Events per inbox page."""

__all__ = ["RELEVANCE", "SORTS", "InboxPage", "InboxQuery", "desk_period", "desk_today", "period_or"]


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


@dataclass(frozen=True, slots=True, kw_only=True)
class InboxQuery(InboxFilters):
    """The URL's state: the filters (:class:`storage.inbox.InboxFilters`), the period and the page."""

    period: Period
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

    @property
    def filters(self) -> InboxFilters:
        return InboxFilters(
            **{item.name: getattr(self, item.name) for item in fields(InboxFilters)}
        )


def load(
    session: Session, query: InboxQuery, marker: tuple[Any, ...] | None = None
) -> tuple[InboxQuery, InboxPage]:
    """The page the query asks for, and the query as shown (its page clamped to the last one);
    ``marker``: the store's change marker when the page already asked it."""
    choices = filter_choices(session, query.period, marker)
    page = inbox_page(session, query.period, query.filters, query.page, page_size=PAGE_SIZE, choices=choices)
    return replace(query, page=page.page), page


def event_ids(session: Session, query: InboxQuery) -> list[int]:
    """Every event id of the filtered list, in order (for next/previous on the event page)."""
    return inbox_event_ids(session, query.period, query.filters)
