"""The scheduler's job functions.

They are module-level callables because the persistent job store keeps *references* to them
(``newsmon.scheduler.jobs:crawl_source``) and plain arguments (a source id, an attempt number),
never objects. What a job needs beyond its arguments — the crawl supervisor, the loaded
configuration, the database URL — is the :class:`Runtime` the scheduler installs with
:func:`set_runtime` before it starts; a job called with none installed (by hand, from a test)
builds one from the environment.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from config import SourcesFile, load_sources
from config.schedules import SchedulesFile, SourceSchedule, load_schedules, source_schedules
from core.period import Period
from newsmon.logs import log_event
from newsmon.scheduler.crawl import CrawlFailed, CrawlOutcome, CrawlSupervisor, command_from

log = logging.getLogger(__name__)

RELEASE_ACTOR = "system:schedule"


@dataclass
class Runtime:
    """What the job functions of one scheduler process share."""

    schedules: SchedulesFile
    sources: SourcesFile
    supervisor: CrawlSupervisor
    database_url: str | None = None
    busy: set[str] = field(default_factory=set)
    """Names of non-crawl jobs in progress (a shutdown waits for them)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def source_schedule(self, source_id: str) -> SourceSchedule | None:
        for schedule in source_schedules(self.schedules, self.sources):
            if schedule.source_id == source_id:
                return schedule
        return None


_runtime: Runtime | None = None


def set_runtime(runtime: Runtime | None) -> None:
    """Install the runtime the job functions use (None: build one from the environment on demand)."""
    global _runtime
    _runtime = runtime


def get_runtime() -> Runtime:
    global _runtime
    if _runtime is None:
        schedules = load_schedules()
        _runtime = Runtime(
            schedules=schedules,
            sources=load_sources(),
            supervisor=CrawlSupervisor(kill_grace_s=schedules.scheduler.kill_grace_s,
                                       command=command_from(schedules.scheduler.crawl_command)),
        )
    return _runtime


# --- crawls -------------------------------------------------------------------------------------


def crawl_source(source_id: str, attempt: int = 0) -> CrawlOutcome:
    """Crawl one source in a subprocess (the cron job, and its retries with ``attempt`` ≥ 1).

    Raises:
        CrawlFailed: the crawl failed, timed out or was interrupted; the scheduler's retry policy
            (:mod:`newsmon.scheduler.service`) schedules the next attempt.
    """
    runtime = get_runtime()
    schedule = runtime.source_schedule(source_id)
    if schedule is None:
        log_event(log, "crawl.unscheduled", logging.WARNING, source=source_id,
                  reason="not an enabled source with a schedule any more")
        return CrawlOutcome(source_id=source_id, status="skipped", reason="not scheduled", attempt=attempt)
    outcome = runtime.supervisor.run(source_id, time_limit_s=schedule.time_limit_s, attempt=attempt)
    if not outcome.ok:
        raise CrawlFailed(outcome)
    return outcome


# --- period-end drafts --------------------------------------------------------------------------


def closed_period(today: date) -> Period:
    """The latest period that has ended before ``today`` (the desk's local date).

    Run on the 16th it is 1–15 of the month; run on the 1st, 16–end of the previous month. Run
    late (a machine that slept) it is still the period that closed last, never the open one.
    """
    return Period.containing(today).previous()


def build_period_draft(year: int | None = None, number: int | None = None) -> list[str]:
    """Build the draft release of the period that just closed (or of ``year``/``number``).

    Every configured edition and format is built through the release builder, which records the
    files on the period's ``Release`` row. Returns the paths written.
    """
    from release.builder import build_release
    from storage.db import session_scope

    runtime = get_runtime()
    settings = runtime.schedules.release
    if year is None or number is None:
        today = datetime.now(runtime.schedules.scheduler.zone).date()
        period = closed_period(today)
        year, number = period.year, period.number
    name = f"release:{year}-{number:02d}"
    with runtime.lock:
        runtime.busy.add(name)
    written: list[str] = []
    failures: list[str] = []
    try:
        for edition in settings.editions:
            try:
                with session_scope(runtime.database_url) as session:
                    paths = build_release(
                        session, year, number, settings.formats, edition, True,
                        Path(settings.out_dir) if settings.out_dir else None, actor=RELEASE_ACTOR,
                    )
            except Exception as exc:  # one edition failing must not stop the other
                log_event(log, "release.draft_failed", logging.ERROR, exc_info=True, year=year, number=number,
                          edition=edition)
                failures.append(f"{edition}: {exc}")
                continue
            written.extend(str(path) for path in paths)
            log_event(log, "release.draft_built", year=year, number=number, edition=edition,
                      files=",".join(path.name for path in paths))
    finally:
        with runtime.lock:
            runtime.busy.discard(name)
    if failures:
        raise RuntimeError(f"draft release {year} #{number}: " + "; ".join(failures))
    return written


def retrain_relevance_model() -> str:
    """Retrain the relevance model after a period closed (``[model]`` of schedules.toml); the
    new model is put in use only when it keeps recall on the frozen test split."""
    from newsmon.retrain import retrain

    runtime = get_runtime()
    settings = runtime.schedules.model
    outcome = retrain(use_desk=settings.use_desk, database_url=runtime.database_url)
    log_event(
        log, "model.retrained", version=outcome.version, activated=outcome.activated, reason=outcome.reason,
        desk_items=outcome.desk_items, recall=round(outcome.new.recall, 4),
        precision=round(outcome.new.precision, 4),
    )
    return outcome.version
