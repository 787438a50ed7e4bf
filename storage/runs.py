"""Crawl-run bookkeeping for the crawlers: the ``crawl_runs`` rows and what a crawl reads when it opens.

Each function opens its own transaction on ``database_url`` (None: ``DATABASE_URL``) and takes and
returns plain values, so :mod:`crawlers` never holds a session. Database errors are raised as they
come (one of :data:`DATABASE_ERRORS`): the crawlers decide whether to retry, keep the value for
later or give up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError

from storage import repository
from storage.db import DatabaseUnavailable, session_scope
from storage.models import Article, CrawlRun, utcnow

DATABASE_ERRORS: tuple[type[Exception], ...] = (SQLAlchemyError, DatabaseUnavailable)
"""What a call into storage raises when the database refuses or does not answer (a crawl
outlives these: it retries, spools or records them)."""

ERROR_SAMPLES_KEPT = repository.ERROR_SAMPLES_KEPT
"""Errors kept as samples per run (the rest are only counted)."""


@dataclass(frozen=True)
class OpenedRun:
    """A crawl run just started, with what its spider needs from the database."""

    run_id: int
    known_urls: set[str]
    """Canonical URLs of the source's stored articles (never fetched again unless refetching)."""
    crawl_state: dict[str, Any]
    """The source's crawl state (high-water marks, walk positions, articles to retry)."""


@dataclass(frozen=True)
class CrawlRunSummary:
    """One ``crawl_runs`` row as plain values."""

    run_id: int
    source_id: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    pages_fetched: int
    articles_new: int
    articles_updated: int
    errors: int
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    message: str | None = None


def _summary(run: CrawlRun) -> CrawlRunSummary:
    return CrawlRunSummary(
        run_id=run.id,
        source_id=run.source_id,
        status=run.status,
        started_at=run.started_at,
        finished_at=run.finished_at,
        pages_fetched=run.pages_fetched,
        articles_new=run.articles_new,
        articles_updated=run.articles_updated,
        errors=run.errors,
        errors_by_kind=dict(run.errors_by_kind or {}),
        message=run.message,
    )


# --- one crawl of one source ---------------------------------------------------------------------


def record_crawl_run(
    database_url: str | None, source_id: str, *, trigger: str, options: dict[str, Any]
) -> OpenedRun:
    """Start a ``running`` crawl-run row and read the source's stored URLs and crawl state, in
    one transaction."""
    with session_scope(database_url) as session:
        run_id = repository.start_run(session, source_id, trigger=trigger, options=options)
        known = repository.canonical_urls_of_source(session, source_id)
        state = repository.crawl_state(session, source_id)
    return OpenedRun(run_id=run_id, known_urls=known, crawl_state=state)


def count_run_pages(database_url: str | None, run_id: int, pages: int) -> None:
    """Add ``pages`` fetched pages to the run's counter."""
    with session_scope(database_url) as session:
        repository.count_page(session, run_id, pages)


def record_run_error(
    database_url: str | None,
    run_id: int,
    kind: str,
    url: str | None,
    detail: str | None,
    *,
    counted: bool = True,
) -> None:
    """Count one error of ``kind`` on the run and keep a sample of it (the first few per run);
    ``counted=False`` for a note that is no loss (see :func:`storage.repository.record_error`)."""
    with session_scope(database_url) as session:
        repository.record_error(session, run_id, kind, url, detail, counted=counted)


def close_crawl_run(
    database_url: str | None,
    run_id: int,
    source_id: str,
    *,
    crawl_state: dict[str, Any],
    status: str,
    message: str | None,
) -> None:
    """Save the source's crawl state and finish the run row, in one transaction (a crawl's high-water
    marks advance exactly when its run is closed)."""
    with session_scope(database_url) as session:
        repository.save_crawl_state(session, source_id, crawl_state)
        repository.finish_run(session, run_id, status=status, message=message)


def finish_shared_crawl_run(database_url: str | None, run_id: int) -> None:
    """Finish a run that several distributed workers counted into, from its counters: ``failed``
    when no page could be fetched, else ``finished``; the error kinds go into its message. A run
    that is not ``running`` any more is left as it is."""
    with session_scope(database_url) as session:
        run = session.get(CrawlRun, run_id)
        if run is None or run.status != "running":
            return
        if run.pages_fetched == 0:
            status, message = "failed", "no page could be fetched"
        else:
            status, message = "finished", None
        errors = ", ".join(f"{k} {v}" for k, v in sorted((run.errors_by_kind or {}).items()))
        if errors:
            message = f"{message + '; ' if message else ''}errors: {errors}"
        repository.finish_run(session, run_id, status=status, message=message)


def fail_orphan_runs(
    database_url: str | None, source_id: str, *, started_since: datetime | None, message: str
) -> None:
    """Close as ``failed`` the source's runs still ``running`` (started at ``started_since`` or
    later, when given): their crawl process died without closing them."""
    query = update(CrawlRun).where(CrawlRun.source_id == source_id, CrawlRun.status == "running")
    if started_since is not None:
        query = query.where(CrawlRun.id.in_(select(CrawlRun.id).where(CrawlRun.started_at >= started_since)))
    with session_scope(database_url) as session:
        session.execute(
            query.values(status="failed", finished_at=utcnow(), message=message).execution_options(
                synchronize_session=False
            )
        )


# --- reading runs --------------------------------------------------------------------------------


def crawl_run_summary(database_url: str | None, run_id: int) -> CrawlRunSummary | None:
    """The run row ``run_id`` as plain values (None when there is none)."""
    with session_scope(database_url) as session:
        run = session.get(CrawlRun, run_id)
        return _summary(run) if run is not None else None


def all_crawl_runs(database_url: str | None) -> list[CrawlRunSummary]:
    """Every crawl-run row, oldest first."""
    with session_scope(database_url) as session:
        return [_summary(run) for run in session.scalars(select(CrawlRun).order_by(CrawlRun.id))]


def article_count(database_url: str | None) -> int:
    """How many articles are stored."""
    with session_scope(database_url) as session:
        return int(session.scalar(select(func.count()).select_from(Article)) or 0)
