"""The scheduler's state in the database: its APScheduler job store and the crawl-run rows of the
crawls it supervises (:mod:`newsmon.scheduler`).

A supervised crawl is a subprocess that writes its own run row; when it dies, times out or is
stopped, :func:`record_supervised_runs` makes the rows say so, creating one if the process never
got as far as writing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import get_engine, session_scope
from storage.models import CrawlRun, utcnow
from storage.repository import finish_run, start_run

JOBSTORE_TABLE = "apscheduler_jobs"
"""The job store's table (created by an Alembic migration)."""

RUNNING = "running"
FINISHED = "finished"
FAILED = "failed"
TIMEOUT = "timeout"
INTERRUPTED = "interrupted"

MESSAGE_MAX_CHARS = 1000
"""A run's message is clipped to this (a crash's output can be long)."""


def scheduler_job_store(database_url: str | None = None) -> SQLAlchemyJobStore:
    """APScheduler's persistent job store on the ``apscheduler_jobs`` table of newsmon's database."""
    return SQLAlchemyJobStore(engine=get_engine(database_url), tablename=JOBSTORE_TABLE)


def newest_run_id(database_url: str | None = None) -> int:
    """The highest crawl-run id so far (0 when there is none): runs above it are newer."""
    with session_scope(database_url) as session:
        return session.scalar(select(func.max(CrawlRun.id))) or 0


def open_run_of_source(database_url: str | None, source_id: str, started_after: datetime) -> int | None:
    """The newest run of the source still ``running`` that started after ``started_after``."""
    with session_scope(database_url) as session:
        return session.scalar(
            select(CrawlRun.id)
            .where(CrawlRun.source_id == source_id, CrawlRun.status == RUNNING)
            .where(CrawlRun.started_at > started_after)
            .order_by(CrawlRun.id.desc())
            .limit(1)
        )


def close_runs_older_than(
    database_url: str | None,
    max_age_s: Mapping[str, float],
    default_max_age_s: float,
    *,
    trigger: str = "schedule",
    now: datetime | None = None,
) -> list[int]:
    """Mark ``interrupted`` the runs of ``trigger`` still ``running`` and older than their
    source's ``max_age_s`` (``default_max_age_s`` for others); return their ids."""
    now = now or utcnow()
    closed = []
    with session_scope(database_url) as session:
        for run in session.scalars(
            select(CrawlRun).where(CrawlRun.status == RUNNING, CrawlRun.trigger == trigger)
        ):
            limit = max_age_s.get(run.source_id, default_max_age_s)
            if run.started_at < now - timedelta(seconds=limit):
                finish_run(session, run.id, status=INTERRUPTED,
                           message="abandoned: the scheduler stopped while this crawl ran")
                closed.append(run.id)
    return closed


@dataclass(frozen=True, slots=True)
class SupervisedRun:
    """A crawl-run row as the supervisor recorded it."""

    id: int
    status: str
    message: str | None
    pages_fetched: int
    articles_new: int
    articles_updated: int
    errors: int


def record_supervised_runs(
    database_url: str | None,
    source_id: str,
    *,
    after_run_id: int,
    status: str,
    reason: str | None,
    trigger: str,
    options: Mapping[str, Any],
    started_at: datetime,
    mirror: str | None = None,
) -> list[SupervisedRun]:
    """Make the source's runs newer than ``after_run_id`` tell how its crawl process ended.

    Args:
        status: What the supervisor saw: ``finished`` (exit 0), ``failed``, ``timeout`` or
            ``interrupted`` (stopped by a shutdown).
        reason: Why, for the run's message.
        trigger: Written on the rows.
        options: Merged into each row's options (the attempt, the exit code).
        started_at: When the process started (the row made for a process that wrote none).
        mirror: The mirror option of a row made here.

    A failed process that wrote no row gets one; a run the process left ``running`` is closed.
    """
    message = None if reason is None else reason[:MESSAGE_MAX_CHARS]
    with session_scope(database_url) as session:
        runs = list(
            session.scalars(
                select(CrawlRun)
                .where(CrawlRun.id > after_run_id, CrawlRun.source_id == source_id)
                .order_by(CrawlRun.id)
            )
        )
        if not runs and status != FINISHED:
            runs = [_run_for_silent_process(session, source_id, trigger, mirror, started_at)]
        for run in runs:
            run.trigger = trigger
            run.options = {**(run.options or {}), **options}
            _settle(session, run, status, message)
        session.flush()
        recorded = session.scalars(
            select(CrawlRun).where(CrawlRun.id.in_([run.id for run in runs])).order_by(CrawlRun.id)
        )
        return [
            SupervisedRun(run.id, run.status, run.message, run.pages_fetched, run.articles_new,
                          run.articles_updated, run.errors)
            for run in recorded
        ]


def _run_for_silent_process(
    session: Session, source_id: str, trigger: str, mirror: str | None, started_at: datetime
) -> CrawlRun:
    run_id = start_run(session, source_id, trigger=trigger, options={"mirror": mirror})
    run = session.get(CrawlRun, run_id)
    assert run is not None
    run.started_at = started_at
    return run


def _settle(session: Session, run: CrawlRun, status: str, message: str | None) -> None:
    """One row after its process ended with ``status``."""
    if status in (TIMEOUT, INTERRUPTED) and run.status in (RUNNING, INTERRUPTED, FAILED):
        finish_run(session, run.id, status=status, message=message)
    elif status == FAILED and run.status == RUNNING:
        finish_run(session, run.id, status=FAILED, message=message)
    elif status == FAILED and run.status == FAILED and not run.message:
        run.message = message
    elif status == FINISHED and run.status == RUNNING:
        finish_run(session, run.id, status=FAILED, message="the crawl process exited without closing its run")
