"""The scheduler with a compressed clock: date/interval triggers seconds ahead (or stored run
times moved into the past to play a machine that slept), a BackgroundScheduler on the same
persistent job store ``newsmon schedule`` uses, and the stand-in crawl command."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from config import load_sources
from config.schedules import load_schedules
from newsmon.scheduler import jobs
from newsmon.scheduler.crawl import CrawlFailed, CrawlOutcome, CrawlSupervisor
from newsmon.scheduler.service import (
    CRAWL_FUNC,
    RELEASE_FUNC,
    RELEASE_JOB_ID,
    JobSpec,
    configured_jobs,
    create_scheduler,
    install_listeners,
    schedule_retry,
    start_synced,
    sync_jobs,
)
from storage.db import session_scope
from storage.models import CrawlRun, Event, Release
from storage.repository import upsert_article
from tests.factories import tagged_article
from tests.ops.helpers import fake_command

pytestmark = pytest.mark.timeout(180)


def _runtime(url: str, behaviour: str = "ok", marker: Path | None = None) -> jobs.Runtime:
    schedules = load_schedules()
    runtime = jobs.Runtime(
        schedules=schedules, sources=load_sources(), database_url=url,
        supervisor=CrawlSupervisor(database_url=url, command=fake_command(behaviour, marker), kill_grace_s=2),
    )
    jobs.set_runtime(runtime)
    return runtime


def _scheduler(url: str, runtime: jobs.Runtime):
    scheduler = create_scheduler(runtime.schedules, database_url=url, background=True)
    install_listeners(scheduler, lambda: runtime)
    return scheduler


def _stop(scheduler, runtime: jobs.Runtime) -> None:
    """Shut down without waiting inside APScheduler (its shutdown(wait=True) holds the job store
    lock that the listeners of finishing jobs need), then wait for the crawls to be recorded."""
    if scheduler.running:
        scheduler.shutdown(wait=False)
    runtime.supervisor.stop_all(grace_s=30)


def _runs(url: str) -> list[CrawlRun]:
    with session_scope(url) as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def _settled(url: str, count: int) -> list[CrawlRun] | None:
    """The runs once there are ``count`` of them and none is still running."""
    runs = _runs(url)
    return runs if len(runs) == count and all(run.status != "running" for run in runs) else None


def _wait(predicate, timeout: float = 30.0, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def _soon(seconds: float = 0.5) -> DateTrigger:
    return DateTrigger(run_date=datetime.now().astimezone() + timedelta(seconds=seconds))


def _crawl_spec(source: str, trigger, **options) -> JobSpec:
    grace = options.pop("misfire_grace_time", 60)
    return JobSpec(id=f"crawl:{source}", func=CRAWL_FUNC, args=(source,), trigger=trigger,
                   name=f"crawl {source}", misfire_grace_time=grace, **options)


def test_a_scheduled_crawl_fires_and_its_run_is_recorded(ops_db, tmp_path):
    marker = tmp_path / "marker"
    runtime = _runtime(ops_db, "new:2", marker)
    scheduler = _scheduler(ops_db, runtime)
    start_synced(scheduler, [_crawl_spec("mvd_kg", _soon()), _crawl_spec("akn_tj", _soon(1))])
    try:
        runs = _wait(lambda: _settled(ops_db, 2))
    finally:
        _stop(scheduler, runtime)
    assert sorted((r.source_id, r.status, r.trigger, r.articles_new) for r in runs) == [
        ("akn_tj", "finished", "schedule", 2), ("mvd_kg", "finished", "schedule", 2)]
    assert all(r.finished_at >= r.started_at for r in runs)


def test_a_crawl_still_running_is_not_started_again(ops_db, tmp_path):
    marker = tmp_path / "marker"
    runtime = _runtime(ops_db, "sleep:6", marker)
    scheduler = _scheduler(ops_db, runtime)
    skipped = []
    scheduler.add_listener(lambda event: skipped.append(event.job_id), EVENT_JOB_MAX_INSTANCES)
    start_synced(scheduler, [_crawl_spec("mvd_kg", IntervalTrigger(seconds=1))])
    try:
        _wait(lambda: len(skipped) >= 2, timeout=20)
        assert marker.read_text().count("start mvd_kg") == 1
    finally:
        _stop(scheduler, runtime)
    assert set(skipped) == {"crawl:mvd_kg"}
    assert [run.status for run in _runs(ops_db)] == ["finished"]


def test_a_restart_keeps_the_stored_jobs_and_their_next_run_times(ops_db, config_dir):
    runtime = _runtime(ops_db)
    specs = configured_jobs(runtime.schedules, runtime.sources)
    first = _scheduler(ops_db, runtime)
    start_synced(first, specs)
    stored = {job.id: job.next_run_time for job in first.get_jobs()}
    first.shutdown()
    assert set(stored) == {spec.id for spec in specs}

    second = _scheduler(ops_db, runtime)
    start_synced(second, configured_jobs(runtime.schedules, runtime.sources))
    try:
        assert {job.id: job.next_run_time for job in second.get_jobs()} == stored
    finally:
        second.shutdown()

    # A schedule edited in the file replaces that job only; a source switched off loses its job.
    path = config_dir / "schedules.toml"
    text = path.read_text(encoding="utf-8").replace('cron = "20 */2 * * *"', 'cron = "20 */3 * * *"')
    path.write_text(text.replace('cron = "5 */2 * * *"', "enabled = false"), encoding="utf-8")
    from config import schedules as settings

    settings.clear_cache()
    runtime = _runtime(ops_db)
    third = _scheduler(ops_db, runtime)
    start_synced(third, configured_jobs(runtime.schedules, runtime.sources))
    try:
        now = {job.id: job for job in third.get_jobs()}
    finally:
        third.shutdown()
    assert "crawl:polisia_kz" not in now
    assert "hour='*/3'" in repr(now["crawl:mvd_kg"].trigger)
    assert now["crawl:mvd_ru"].next_run_time == stored["crawl:mvd_ru"]


def _store_as_if_asleep(url: str, runtime: jobs.Runtime, spec: JobSpec, *, minutes: int) -> None:
    """Store the job as a scheduler did before the machine slept: next run ``minutes`` ago."""
    scheduler = _scheduler(url, runtime)
    scheduler.start(paused=True)
    sync_jobs(scheduler, [spec])
    scheduler.modify_job(spec.id, next_run_time=datetime.now().astimezone() - timedelta(minutes=minutes))
    scheduler.shutdown()
    stored = {job.id: job.next_run_time for job in _stored_jobs(url, runtime)}
    assert stored[spec.id] < datetime.now().astimezone() - timedelta(minutes=minutes - 1)


def _stored_jobs(url: str, runtime: jobs.Runtime):
    scheduler = _scheduler(url, runtime)
    scheduler.start(paused=True)
    try:
        return scheduler.get_jobs()
    finally:
        scheduler.shutdown()


@pytest.mark.parametrize("missed", [3, 600])
def test_after_a_sleep_missed_runs_fire_once_not_in_a_burst(ops_db, missed):
    """The crawl job was due every minute and the machine slept ``missed`` minutes."""
    runtime = _runtime(ops_db)
    spec = _crawl_spec("mvd_kg", IntervalTrigger(minutes=1), misfire_grace_time=1800)
    _store_as_if_asleep(ops_db, runtime, spec, minutes=missed)

    second = _scheduler(ops_db, runtime)
    start_synced(second, [spec])
    try:
        _wait(lambda: _settled(ops_db, 1))
        time.sleep(2)
        job = second.get_job("crawl:mvd_kg")
    finally:
        _stop(second, runtime)
    assert len(_runs(ops_db)) == 1
    assert job.next_run_time > datetime.now().astimezone()


def test_a_run_missed_by_more_than_the_grace_time_is_skipped(ops_db):
    runtime = _runtime(ops_db)
    spec = _crawl_spec("mvd_kg", IntervalTrigger(hours=2), misfire_grace_time=60)
    _store_as_if_asleep(ops_db, runtime, spec, minutes=10)

    second = _scheduler(ops_db, runtime)
    missed = []
    second.add_listener(lambda event: missed.append(event.job_id), EVENT_JOB_MISSED)
    start_synced(second, [spec])
    try:
        _wait(lambda: missed)
        time.sleep(1)
        job = second.get_job("crawl:mvd_kg")
    finally:
        _stop(second, runtime)
    assert _runs(ops_db) == []
    assert job.next_run_time > datetime.now().astimezone() + timedelta(minutes=100)


def test_a_failed_crawl_is_retried_with_back_off_then_given_up(ops_db, config_dir, caplog):
    path = config_dir / "schedules.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("retry_delays_s = [300, 900, 2700]",
                                                             "retry_delays_s = [1, 2]"), encoding="utf-8")
    runtime = _runtime(ops_db, "exit:1")
    scheduler = _scheduler(ops_db, runtime)
    start_synced(scheduler, [_crawl_spec("mvd_kg", _soon(0.2))])
    try:
        retry = _wait(lambda: scheduler.get_job("retry:mvd_kg"))
        assert retry.kwargs == {"attempt": 1} and retry.func_ref == CRAWL_FUNC
        _wait(lambda: len([r for r in _runs(ops_db) if r.status == "failed"]) == 3, timeout=30)
        _wait(lambda: "crawl.gave_up" in caplog.text)
    finally:
        _stop(scheduler, runtime)
    runs = _runs(ops_db)
    assert [(r.status, r.options["attempt"]) for r in runs] == [("failed", 0), ("failed", 1), ("failed", 2)]
    gaps = [(b.started_at - a.started_at).total_seconds() for a, b in zip(runs, runs[1:], strict=False)]
    assert gaps[0] >= 0.9 and gaps[1] >= 1.9
    assert scheduler.get_jobs() == [] or all(job.id != "retry:mvd_kg" for job in scheduler.get_jobs())


def test_retries_use_the_configured_delays(ops_db):
    runtime = _runtime(ops_db)
    scheduler = _scheduler(ops_db, runtime)
    start_synced(scheduler, [])
    now = datetime.now(scheduler.timezone)
    try:
        runs_at = []
        for attempt in range(3):
            failure = CrawlFailed(CrawlOutcome("mvd_kg", "failed", reason="exit 1", attempt=attempt))
            job = schedule_retry(scheduler, runtime, failure, now=now)
            runs_at.append((job.next_run_time - now).total_seconds())
            stored = scheduler.get_job("retry:mvd_kg")
            assert stored.kwargs == {"attempt": attempt + 1}
        assert runs_at == [300, 900, 2700]
        last = CrawlFailed(CrawlOutcome("mvd_kg", "timeout", reason="killed", attempt=3))
        assert schedule_retry(scheduler, runtime, last, now=now) is None
        interrupted = CrawlFailed(CrawlOutcome("mvd_kg", "interrupted", attempt=0))
        assert schedule_retry(scheduler, runtime, interrupted, now=now) is None
    finally:
        scheduler.shutdown()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 1, 16), (2025, 1, "1-15.01.2025")),
        (date(2025, 2, 1), (2025, 2, "16-31.01.2025")),
        (date(2025, 1, 1), (2024, 24, "16-31.12.2024")),
        (date(2024, 3, 1), (2024, 4, "16-29.02.2024")),
        (date(2025, 1, 20), (2025, 1, "1-15.01.2025")),  # run late: still the period that closed
    ],
)
def test_the_period_end_job_picks_the_period_that_just_closed(today, expected):
    period = jobs.closed_period(today)
    assert (period.year, period.number, period.text) == expected


def test_the_period_end_job_runs_after_the_15th_and_the_last_day_in_desk_time():
    schedules = load_schedules()
    spec = next(s for s in configured_jobs(schedules, load_sources()) if s.id == RELEASE_JOB_ID)
    zone = schedules.scheduler.zone
    fire = spec.trigger.get_next_fire_time(None, datetime(2025, 1, 15, 23, 0, tzinfo=zone))
    assert fire == datetime(2025, 1, 16, 6, 0, tzinfo=zone)
    fire = spec.trigger.get_next_fire_time(None, datetime(2025, 2, 28, 12, 0, tzinfo=zone))
    assert fire == datetime(2025, 3, 1, 6, 0, tzinfo=zone)


def test_the_period_end_job_builds_both_draft_editions_and_records_them(ops_db, config_dir, tmp_path):
    out = tmp_path / "out"
    path = config_dir / "schedules.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('formats = ["pdf", "docx", "html", "md"]', 'formats = ["html", "md"]')
    text = text.replace('# out_dir = "out/release"', f'out_dir = "{out.as_posix()}"')
    path.write_text(text, encoding="utf-8")
    runtime = _runtime(ops_db)
    closed = jobs.closed_period(datetime.now(runtime.schedules.scheduler.zone).date())
    published = datetime.combine(closed.start + timedelta(days=3), datetime.min.time()).astimezone()
    with session_scope(ops_db) as session:
        stored = upsert_article(session, tagged_article(published=published))
        session.get(Event, stored.event_id).status = "accepted"

    scheduler = _scheduler(ops_db, runtime)
    start_synced(scheduler, [JobSpec(id=RELEASE_JOB_ID, func=RELEASE_FUNC, trigger=_soon(), name="draft",
                                     misfire_grace_time=60)])

    def built():
        with session_scope(ops_db) as session:
            release = session.scalar(select(Release).where(Release.year == closed.year,
                                                           Release.number == closed.number))
            return release if release is not None and len(release.files or []) == 4 else None

    try:
        release = _wait(built, timeout=60)
    finally:
        _stop(scheduler, runtime)
    assert release.status == "draft" and release.period_text == closed.text
    assert sorted((f["edition"], f["format"], f["draft"]) for f in release.files) == [
        ("en", "html", True), ("en", "md", True), ("ru", "html", True), ("ru", "md", True)]
    for item in release.files:
        assert Path(item["path"]).is_file() and Path(item["path"]).parent == out.resolve()
        assert item["events"] == 1


def test_runs_left_open_by_a_killed_scheduler_are_closed_on_start(ops_db):
    from newsmon.scheduler.service import close_abandoned_runs
    from storage.models import utcnow
    from storage.repository import start_run

    with session_scope(ops_db) as session:
        old = start_run(session, "mvd_ru", trigger="schedule")
        young = start_run(session, "mvd_ru", trigger="schedule")
        manual = start_run(session, "mvd_ru", trigger="manual")
        session.flush()
        for run_id in (old, manual):
            session.get(CrawlRun, run_id).started_at = utcnow() - timedelta(hours=3)
    assert close_abandoned_runs(load_schedules(), load_sources(), ops_db) == [old]
    with session_scope(ops_db) as session:
        statuses = {run.id: (run.status, run.message) for run in session.scalars(select(CrawlRun))}
    assert statuses[old] == ("interrupted", "abandoned: the scheduler stopped while this crawl ran")
    assert statuses[young][0] == "running" and statuses[manual][0] == "running"


def test_a_job_store_that_cannot_be_synchronised_stops_the_scheduler_instead_of_idling(ops_db):
    runtime = _runtime(ops_db)
    scheduler = _scheduler(ops_db, runtime)
    broken = JobSpec(id="crawl:mvd_kg", func="newsmon.scheduler.jobs:no_such_job", args=("mvd_kg",),
                     trigger=_soon(60), name="crawl mvd_kg")
    with pytest.raises((LookupError, ValueError, ImportError)):
        start_synced(scheduler, [broken])
    assert not scheduler.running
