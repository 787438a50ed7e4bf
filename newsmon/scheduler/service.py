"""The APScheduler (3.x) scheduler behind ``newsmon schedule``.

- Jobs live in a **persistent SQLAlchemy job store in newsmon's own database** (table
  ``apscheduler_jobs``, created by an Alembic migration), so a restart keeps them with their
  next run times.
- On start the jobs are **synchronised** from ``config/schedules.toml``: a job whose definition
  is unchanged is kept as stored (a restart does not move its next run), a changed one is
  replaced, one no longer configured is removed. Until that is done the scheduler is paused.
- Every job has ``coalesce=True`` and ``misfire_grace_time``: after the machine slept, a missed
  run is made up once if it is recent enough and skipped otherwise, never fired in a burst;
  ``max_instances=1``: a slow crawl is never started twice (the supervisor also refuses a
  second crawl of a source started by a retry job or by hand).
- A failed crawl is retried with back-off by a one-shot date-trigger job (``retry:<source>``).
- SIGTERM/SIGINT: no new jobs; running crawls get ``shutdown_grace_s`` to finish, then are
  stopped and their runs marked ``interrupted``.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from types import FrameType
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
    JobEvent,
    JobExecutionEvent,
    JobSubmissionEvent,
    SchedulerEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from config import SourcesFile
from config.schedules import SchedulesFile, source_schedules
from core.errors import UserError
from newsmon.logs import log_event
from newsmon.scheduler import jobs
from newsmon.scheduler.crawl import CrawlFailed, CrawlSupervisor, command_from
from storage.locks import HeldLock, LockHeld, describe_holder, try_lock
from storage.schedule_state import close_runs_older_than, scheduler_job_store

log = logging.getLogger(__name__)

CRAWL_FUNC = "newsmon.scheduler.jobs:crawl_source"
RELEASE_FUNC = "newsmon.scheduler.jobs:build_period_draft"
CRAWL_PREFIX = "crawl:"
RETRY_PREFIX = "retry:"
RELEASE_JOB_ID = "release:period-end"
RETRAIN_FUNC = "newsmon.scheduler.jobs:retrain_relevance_model"
RETRAIN_JOB_ID = "model:retrain"
SCHEDULER_LOCK = "scheduler"


@dataclass(frozen=True)
class JobSpec:
    """A job as the configuration wants it."""

    id: str
    func: str
    trigger: BaseTrigger
    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    misfire_grace_time: int | None = None
    coalesce: bool = True
    max_instances: int = 1
    when: str = ""
    """The schedule as configured, for people (``5 */2 * * *, jitter 300 s``)."""

    def options(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "args": self.args, "kwargs": self.kwargs,
            "misfire_grace_time": self.misfire_grace_time, "coalesce": self.coalesce,
            "max_instances": self.max_instances,
        }


def configured_jobs(schedules: SchedulesFile, sources: SourcesFile) -> list[JobSpec]:
    """One cron job per scheduled source, the period-end draft job and, when configured, the
    period-end retraining of the relevance model."""
    zone = schedules.scheduler.zone
    grace = schedules.scheduler.misfire_grace_time_s
    specs = [
        JobSpec(
            id=f"{CRAWL_PREFIX}{schedule.source_id}",
            func=CRAWL_FUNC,
            args=(schedule.source_id,),
            trigger=CronTrigger(
                **_cron_fields(schedule.cron), timezone=zone, jitter=schedule.jitter_s or None
            ),
            name=f"crawl {schedule.source_id}",
            misfire_grace_time=grace,
            when=f"{schedule.cron}" + (f", jitter {schedule.jitter_s} s" if schedule.jitter_s else ""),
        )
        for schedule in source_schedules(schedules, sources)
    ]
    # Period-end jobs are still wanted hours late; a day late the editor has noticed.
    period_end_grace = max(grace, 12 * 3600)
    if schedules.release.enabled:
        specs.append(
            _period_end_job(
                RELEASE_JOB_ID, RELEASE_FUNC, schedules.release.cron, zone, period_end_grace,
                "draft release of the period that closed",
            )
        )
    if schedules.model.retrain:
        specs.append(
            _period_end_job(
                RETRAIN_JOB_ID, RETRAIN_FUNC, schedules.model.cron, zone, period_end_grace,
                "retrain the relevance model from the desk's decisions",
            )
        )
    return specs


def _period_end_job(job_id: str, func: str, cron: str, zone: tzinfo, grace: int, name: str) -> JobSpec:
    return JobSpec(
        id=job_id,
        func=func,
        trigger=CronTrigger(**_cron_fields(cron), timezone=zone),
        name=name,
        misfire_grace_time=grace,
        when=cron,
    )


def _cron_fields(expression: str) -> dict[str, str]:
    """The five crontab fields as CronTrigger arguments (validated by the settings already)."""
    minute, hour, day, month, day_of_week = expression.split()
    return {"minute": minute, "hour": hour, "day": day, "month": month, "day_of_week": day_of_week}


class _StopAware:
    """APScheduler 3's main loop processes due jobs once more after ``shutdown()`` woke it: they
    fail to reach the stopped executor yet get their next run time moved on, so a job due at that
    moment would be lost for the restarted scheduler. A stopped scheduler processes nothing."""

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:  # type: ignore[attr-defined]
            return None
        return super()._process_jobs()  # type: ignore[misc]


class DeskScheduler(_StopAware, BlockingScheduler):
    """The foreground scheduler of ``newsmon schedule``."""


class DeskBackgroundScheduler(_StopAware, BackgroundScheduler):
    """The same in a background thread (tests, embedding)."""


def create_scheduler(
    schedules: SchedulesFile,
    *,
    database_url: str | None = None,
    background: bool = False,
) -> BaseScheduler:
    """A scheduler whose job store is the ``apscheduler_jobs`` table of newsmon's database.

    Args:
        schedules: The validated ``schedules.toml``.
        database_url: Default: ``DATABASE_URL`` (or the SQLite file).
        background: A :class:`BackgroundScheduler` (tests) instead of the foreground one.
    """
    settings = schedules.scheduler
    store = scheduler_job_store(database_url)
    cls = DeskBackgroundScheduler if background else DeskScheduler
    return cls(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(max_workers=settings.max_workers)},
        job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": settings.misfire_grace_time_s
        },
        timezone=settings.zone,
    )


# --- synchronising the job store with the configuration ---------------------------------------


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _unchanged(job: Job, spec: JobSpec) -> bool:
    return (
        job.func_ref == spec.func
        and tuple(job.args) == tuple(spec.args)
        and dict(job.kwargs) == dict(spec.kwargs)
        and repr(job.trigger) == repr(spec.trigger)
        and job.name == spec.name
        and job.misfire_grace_time == spec.misfire_grace_time
        and job.coalesce == spec.coalesce
        and job.max_instances == spec.max_instances
    )


def sync_jobs(scheduler: BaseScheduler, specs: Iterable[JobSpec]) -> SyncReport:
    """Make the stored jobs match ``specs``; unchanged jobs keep their stored next run time.

    Pending retries of sources that are still scheduled are kept; other jobs are removed.
    """
    report = SyncReport()
    stored = {job.id: job for job in scheduler.get_jobs()}
    wanted = {spec.id for spec in specs}
    for spec in specs:
        job = stored.pop(spec.id, None)
        if job is not None and _unchanged(job, spec):
            report.kept.append(spec.id)
            continue
        scheduler.add_job(spec.func, trigger=spec.trigger, replace_existing=True, **spec.options())
        (report.updated if job is not None else report.added).append(spec.id)
    for job_id in stored:
        if job_id.startswith(RETRY_PREFIX) and f"{CRAWL_PREFIX}{job_id.removeprefix(RETRY_PREFIX)}" in wanted:
            report.kept.append(job_id)
            continue
        scheduler.remove_job(job_id)
        report.removed.append(job_id)
    log_event(log, "scheduler.jobs_synced", added=",".join(report.added) or None,
              updated=",".join(report.updated) or None, kept=",".join(report.kept) or None,
              removed=",".join(report.removed) or None)
    return report


# --- retries and event logging ------------------------------------------------------------------


def schedule_retry(scheduler: BaseScheduler, runtime: jobs.Runtime, failure: CrawlFailed,
                   *, now: datetime | None = None) -> Job | None:
    """Add the one-shot job for the next attempt of a failed crawl, or give up after the last.

    Returns the retry job, or None when no retry is due (interrupted by shutdown, attempts used up).
    """
    outcome = failure.outcome
    if outcome.status == "interrupted" or runtime.supervisor.stopping or not scheduler.running:
        return None
    schedule = runtime.source_schedule(outcome.source_id)
    delays = schedule.retry_delays_s if schedule is not None else ()
    if outcome.attempt >= len(delays):
        log_event(log, "crawl.gave_up", logging.ERROR, source=outcome.source_id, attempts=outcome.attempt + 1,
                  reason=outcome.reason)
        return None
    delay = delays[outcome.attempt]
    run_at = (now or datetime.now(scheduler.timezone)) + timedelta(seconds=delay)
    job = scheduler.add_job(
        CRAWL_FUNC,
        trigger=DateTrigger(run_date=run_at, timezone=scheduler.timezone),
        id=f"{RETRY_PREFIX}{outcome.source_id}",
        name=f"retry crawl {outcome.source_id} (attempt {outcome.attempt + 1})",
        args=(outcome.source_id,),
        kwargs={"attempt": outcome.attempt + 1},
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=runtime.schedules.scheduler.misfire_grace_time_s,
    )
    log_event(log, "crawl.retry_scheduled", logging.WARNING, source=outcome.source_id,
              attempt=outcome.attempt + 1, delay_s=delay, at=run_at.isoformat(timespec="seconds"))
    return job


def _source_of(job_id: str) -> str | None:
    for prefix in (CRAWL_PREFIX, RETRY_PREFIX):
        if job_id.startswith(prefix):
            return job_id.removeprefix(prefix)
    return None


def install_listeners(
    scheduler: BaseScheduler, runtime_getter: Callable[[], jobs.Runtime] = jobs.get_runtime
) -> None:
    """Retries on crawl failures, a cancelled retry after a success, and one log line per event."""

    # Listeners run in the executor's threads. They leave a stopped scheduler alone: shutdown
    # holds the job store lock while it waits for those threads.
    def on_error(event: JobExecutionEvent) -> None:
        if isinstance(event.exception, CrawlFailed):
            schedule_retry(scheduler, runtime_getter(), event.exception)
        else:
            log_event(log, "job.failed", logging.ERROR, job=event.job_id, error=repr(event.exception))

    def on_executed(event: JobExecutionEvent) -> None:
        source = _source_of(event.job_id)
        outcome = event.retval
        if not scheduler.running:
            return
        succeeded = getattr(outcome, "status", None) == "finished"
        if source and event.job_id.startswith(CRAWL_PREFIX) and succeeded:
            try:
                scheduler.remove_job(f"{RETRY_PREFIX}{source}")
                log_event(log, "crawl.retry_cancelled", source=source, reason="the scheduled crawl succeeded")
            except JobLookupError:
                pass

    def on_missed(event: JobEvent) -> None:
        log_event(log, "job.missed", logging.WARNING, job=event.job_id,
                  scheduled=getattr(event, "scheduled_run_time", None))

    def on_max_instances(event: JobSubmissionEvent) -> None:
        log_event(log, "job.still_running", logging.WARNING, job=event.job_id,
                  reason="the previous run has not finished; this one is skipped")

    scheduler.add_listener(on_error, EVENT_JOB_ERROR)
    scheduler.add_listener(on_executed, EVENT_JOB_EXECUTED)
    scheduler.add_listener(on_missed, EVENT_JOB_MISSED)
    scheduler.add_listener(on_max_instances, EVENT_JOB_MAX_INSTANCES)


def start_synced(scheduler: BaseScheduler, specs: list[JobSpec]) -> None:
    """Start the scheduler paused, synchronise the job store, then resume.

    For a :class:`BlockingScheduler` this call blocks until the scheduler is shut down.
    """

    failures: list[Exception] = []
    stopper: list[threading.Thread] = []

    def on_started(_event: SchedulerEvent) -> None:
        try:
            sync_jobs(scheduler, specs)
            for job in scheduler.get_jobs():
                log_event(log, "scheduler.job", job=job.id, next_run=job.next_run_time)
        except Exception as exc:  # APScheduler would swallow it and stay paused for ever
            failures.append(exc)
            log_event(log, "scheduler.sync_failed", logging.ERROR, exc_info=True)
            if not isinstance(scheduler, BackgroundScheduler):  # start() blocks until shut down
                stopper.append(threading.Thread(target=scheduler.shutdown, kwargs={"wait": False}))
                stopper[0].start()
            return
        scheduler.resume()

    scheduler.add_listener(on_started, EVENT_SCHEDULER_STARTED)
    scheduler.start(paused=True)
    if failures:
        for thread in stopper:
            thread.join()
        if scheduler.running:
            scheduler.shutdown(wait=False)
        raise failures[0]


# --- housekeeping -------------------------------------------------------------------------------


def close_abandoned_runs(
    schedules: SchedulesFile, sources: SourcesFile, database_url: str | None = None
) -> list[int]:
    """Mark ``interrupted`` the scheduled runs still ``running`` that no process can be doing any
    more (older than their time limit): a scheduler that was killed left them open."""
    # Older than its time limit, the grace to stop it, and a minute to record it: no process left.
    margin = schedules.scheduler.kill_grace_s + 60
    max_age_s = {s.source_id: s.time_limit_s + margin for s in source_schedules(schedules, sources)}
    default = schedules.crawl_defaults.time_limit_s + margin
    closed = close_runs_older_than(database_url, max_age_s, default, trigger="schedule")
    if closed:
        log_event(log, "scheduler.abandoned_runs_closed", logging.WARNING, runs=",".join(map(str, closed)))
    return closed


# --- the foreground service ---------------------------------------------------------------------


class _Stopper:
    """SIGTERM/SIGINT: the first stops the scheduler (crawls get their grace), a second stops now."""

    def __init__(self, scheduler: BaseScheduler, runtime: jobs.Runtime) -> None:
        self.scheduler = scheduler
        self.runtime = runtime
        self.grace_s = runtime.schedules.scheduler.shutdown_grace_s
        self.requested = threading.Event()

    def __call__(self, signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.requested.is_set():
            log_event(log, "scheduler.stop_now", logging.WARNING, signal=name)
            self.grace_s = 0
            threading.Thread(target=self.runtime.supervisor.stop_all, args=(0,), daemon=True).start()
            return
        self.requested.set()
        log_event(log, "scheduler.stopping", signal=name, grace_s=self.grace_s,
                  running=",".join(self.runtime.supervisor.active_sources()) or None)
        # Not from the handler itself: it may have interrupted the scheduler holding its locks.
        threading.Thread(target=self._shutdown, name="scheduler-shutdown", daemon=True).start()

    def _shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)


def run_forever(
    *,
    schedules: SchedulesFile,
    sources: SourcesFile,
    database_url: str | None = None,
    mirror: str | None = None,
) -> None:
    """Run the scheduler in the foreground until SIGTERM/SIGINT, then shut down cleanly. Only one
    scheduler runs on a database (the leader lock, :func:`hold_leadership`)."""
    leader = hold_leadership(database_url)
    try:
        _run_as_leader(schedules=schedules, sources=sources, database_url=database_url, mirror=mirror)
    finally:
        leader.release()


class SchedulerRunning(UserError):
    """Another scheduler holds the leader lock of the database."""


def hold_leadership(database_url: str | None) -> HeldLock:
    """The scheduler lock of the database (:mod:`storage.locks`): the job store has no locking
    of its own, so two schedulers on one database would each run every job. A second scheduler
    stops at once, naming the one that runs."""
    try:
        return try_lock(SCHEDULER_LOCK, describe_holder("newsmon schedule"), database_url)
    except LockHeld as exc:
        raise SchedulerRunning(f"another scheduler runs on this database: {exc.holder}") from None


def _run_as_leader(
    *, schedules: SchedulesFile, sources: SourcesFile, database_url: str | None, mirror: str | None
) -> None:
    supervisor = CrawlSupervisor(database_url=database_url, mirror=mirror,
                                 kill_grace_s=schedules.scheduler.kill_grace_s,
                                 command=command_from(schedules.scheduler.crawl_command))
    runtime = jobs.Runtime(
        schedules=schedules, sources=sources, supervisor=supervisor, database_url=database_url
    )
    jobs.set_runtime(runtime)
    close_abandoned_runs(schedules, sources, database_url)
    scheduler = create_scheduler(schedules, database_url=database_url)
    install_listeners(scheduler)
    stopper = _Stopper(scheduler, runtime)
    previous = {sig: signal.signal(sig, stopper) for sig in (signal.SIGTERM, signal.SIGINT)}
    log_event(log, "scheduler.starting", timezone=schedules.scheduler.timezone, mirror=mirror,
              max_workers=schedules.scheduler.max_workers)
    try:
        start_synced(scheduler, configured_jobs(schedules, sources))
        supervisor.stop_all(stopper.grace_s)
        _wait_for_busy_jobs(runtime, stopper.grace_s)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        jobs.set_runtime(None)
    log_event(log, "scheduler.stopped")


def _wait_for_busy_jobs(runtime: jobs.Runtime, grace_s: float) -> None:
    """Give non-crawl jobs (a draft being built) the grace period to finish."""
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        with runtime.lock:
            if not runtime.busy:
                return
        time.sleep(0.2)
    with runtime.lock:
        if runtime.busy:
            log_event(log, "scheduler.jobs_abandoned", logging.WARNING, jobs=",".join(sorted(runtime.busy)))
