"""What every inbox page shows beside its list — the period menu's counts and the source health
banner — kept between pages while its inputs are unchanged.

On a store of a million articles the period menu counts all 250,000 events (25–40 ms) and
the health banner reads every source's recent runs and their articles (about 35 ms) on every
page. Each is now kept per database with a *stamp*, a query of a few index entries asked on
every page, and computed again when the stamp differs or the kept value is older than
:data:`MAX_AGE_S`:

- the period menu's counts and the filters' choices (the period's sources and languages,
  about 30 ms) are kept while :func:`store_marker` is unchanged: a new event or article, an
  article rewritten (a re-crawl, ``retag``) or any analyst change (a merge, a moved date, a
  split: each writes an audit entry) shows on the next page;
- the health banner's stamp is the newest :data:`RUNS_STAMPED` crawl runs with their state
  and counters: a run that starts, progresses, fails or finishes shows on the next page;
  what depends on the clock alone (``stale`` after hours without a run) within
  :data:`MAX_AGE_S`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from threading import Lock
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.period import Period
from storage.health import SourceHealth, source_health
from storage.inbox import period_choices, periods_with_events
from storage.models import Article, AuditEntry, CrawlRun, Event

MAX_AGE_S = 30.0
"""A kept value is computed again after this long even when its stamp is unchanged."""
RUNS_STAMPED = 64
"""The newest crawl runs whose state the health banner's stamp holds (more than every source's
recent runs the health reads, as the sources' runs interleave)."""

T = TypeVar("T")
_kept: dict[tuple[str, str], tuple[tuple[Any, ...], float, Any]] = {}
_lock = Lock()


def _database(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=False)


def _kept_or(session: Session, name: str, stamp: tuple[Any, ...], compute: Callable[[Session], T]) -> T:
    key, now = (_database(session), name), time.monotonic()
    with _lock:
        kept = _kept.get(key)
    if kept is not None and kept[0] == stamp and now - kept[1] < MAX_AGE_S:
        value: T = kept[2]
        return value
    value = compute(session)
    with _lock:
        _kept[key] = (stamp, now, value)
    return value


def store_marker(session: Session) -> tuple[Any, ...]:
    """What changes whenever the crawler or an analyst changes an event's articles, texts or
    period: the newest event, article, article rewrite (``tagged_at``, rewritten with its title
    and text) and audit entry (every analyst change writes one). Four index lookups."""
    newest = select(
        select(func.max(Event.id)).scalar_subquery(),
        select(func.max(Article.id)).scalar_subquery(),
        select(func.max(Article.tagged_at)).scalar_subquery(),
        select(func.max(AuditEntry.id)).scalar_subquery(),
    )
    return tuple(session.execute(newest).one())


def menu_periods(session: Session, marker: tuple[Any, ...] | None = None) -> list[tuple[Period, int]]:
    """:func:`storage.inbox.periods_with_events`, kept while :func:`store_marker` is unchanged
    (``marker``: the page's marker when the caller already asked it)."""
    stamp = store_marker(session) if marker is None else marker
    return list(_kept_or(session, "periods", stamp, periods_with_events))


def filter_choices(
    session: Session, period: Period, marker: tuple[Any, ...] | None = None
) -> tuple[list[str], list[str]]:
    """:func:`storage.inbox.period_choices` (the sources and languages the inbox's filters
    offer), kept while :func:`store_marker` is unchanged (``marker`` as for :func:`menu_periods`)."""
    stamp = store_marker(session) if marker is None else marker
    found = _kept_or(session, f"choices {period.key}", stamp, lambda s: period_choices(s, period))
    return list(found[0]), list(found[1])


def banner_health(session: Session) -> list[SourceHealth]:
    """:func:`storage.health.source_health` (default thresholds and sources), kept while the
    newest crawl runs are unchanged (see the module)."""
    runs = session.execute(
        select(CrawlRun.id, CrawlRun.source_id, CrawlRun.status, CrawlRun.started_at, CrawlRun.finished_at,
               CrawlRun.pages_fetched, CrawlRun.articles_new, CrawlRun.articles_updated, CrawlRun.errors,
               CrawlRun.errors_by_kind)
        .order_by(CrawlRun.id.desc())
        .limit(RUNS_STAMPED)
    ).all()
    stamp = tuple(tuple(row) for row in runs)
    return list(_kept_or(session, "health", stamp, source_health))


def forget_pages() -> None:
    """Drop every kept value (tests; a process that changes databases)."""
    with _lock:
        _kept.clear()
