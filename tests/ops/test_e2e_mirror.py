"""End to end against the mirror: scheduled crawls are real ``newsmon crawl --mirror URL``
subprocesses; ``newsmon schedule`` itself runs as a process and is stopped with a signal.

Time is compressed by giving jobs date triggers a second ahead (or storing a retry job that is
due now before ``newsmon schedule`` starts) instead of waiting for the cron times.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_MAX_INSTANCES
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, update

from config import load_sources
from config.schedules import load_schedules
from crawlers.registry import site_ids
from mirror import MirrorServer
from newsmon.scheduler import jobs
from newsmon.scheduler.crawl import CrawlSupervisor, command_from
from newsmon.scheduler.service import (
    CRAWL_FUNC,
    RELEASE_FUNC,
    JobSpec,
    create_scheduler,
    install_listeners,
    start_synced,
    sync_jobs,
)
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.models import Article, CrawlRun, Event, Release
from storage.repository import sync_sources

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]


@pytest.fixture(scope="module")
def mirror() -> Iterator[MirrorServer]:
    server = MirrorServer().start()
    yield server
    server.stop()


@pytest.fixture
def slow_mirror() -> Iterator[MirrorServer]:
    """A mirror answering every request after 2 s, so a crawl reliably outlasts a short grace."""
    server = MirrorServer(latency_s=2.0).start()
    yield server
    server.stop()


@pytest.fixture
def desk(sqlite_url, config_dir, tmp_path, monkeypatch) -> Iterator[str]:
    """A migrated SQLite database, a private config folder and data folder, no runtime."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("NEWSMON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NEWSMON_MIRROR_URL", raising=False)
    monkeypatch.delenv("NEWSMON_POLITENESS", raising=False)
    schema.upgrade(sqlite_url)
    with session_scope(sqlite_url) as session:
        sync_sources(session, load_sources())
    jobs.set_runtime(None)
    yield sqlite_url
    jobs.set_runtime(None)
    dispose_engines()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def reload_config() -> None:
    import config
    from config import schedules as settings

    config.clear_cache()
    settings.clear_cache()


def runtime_for(url: str, mirror: MirrorServer) -> jobs.Runtime:
    schedules = load_schedules()
    runtime = jobs.Runtime(
        schedules=schedules, sources=load_sources(), database_url=url,
        supervisor=CrawlSupervisor(database_url=url, mirror=mirror.url, kill_grace_s=5,
                                   command=command_from(schedules.scheduler.crawl_command)),
    )
    jobs.set_runtime(runtime)
    return runtime


def runs(url: str) -> list[CrawlRun]:
    with session_scope(url) as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def wait_for(predicate, timeout: float = 180.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError("condition not met in time")


def settled(url: str, count: int) -> list[CrawlRun] | None:
    """The runs once ``count`` are there and the scheduler has recorded each one's outcome."""
    found = runs(url)
    done = all(r.status != "running" and "exit_code" in (r.options or {}) for r in found)
    return found if len(found) >= count and done else None


def soon(seconds: float = 0.5) -> DateTrigger:
    return DateTrigger(run_date=datetime.now().astimezone() + timedelta(seconds=seconds))


def newsmon(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsmon", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "COLUMNS": "250"})


def test_scheduled_crawls_of_the_mirror_are_recorded_and_a_markup_change_is_flagged(desk, mirror, config_dir):
    runtime = runtime_for(desk, mirror)
    scheduler = create_scheduler(runtime.schedules, database_url=desk, background=True)
    install_listeners(scheduler, lambda: runtime)
    start_synced(scheduler, [])
    try:
        scheduler.add_job(CRAWL_FUNC, trigger=soon(), id="crawl:mvd_kg", args=("mvd_kg",),
                          name="crawl mvd_kg")
        [first] = wait_for(lambda: settled(desk, 1))
        assert (first.source_id, first.status, first.trigger) == ("mvd_kg", "finished", "schedule")
        assert first.pages_fetched > 0 and first.articles_new == 29 and first.options["exit_code"] == 0
        assert first.options["mirror"] == mirror.url
        check = newsmon("status", "--check")
        # Only the other sources are reported: this desk never crawled them.
        assert not [line for line in check.stdout.splitlines() if not line.endswith(": never crawled")]
        assert "mvd_kg" not in check.stdout, check.stdout + check.stderr

        # The site "changes its markup": the listing the source starts from carries no article links.
        edit(config_dir / "sources.toml", 'start_urls = ["https://mvd.gov.kg/rus/news", "https://mvd.gov.kg/kyr/news"]',
             'start_urls = ["https://mvd.gov.kg/rus/about"]')
        reload_config()
        scheduler.add_job(CRAWL_FUNC, trigger=soon(), id="crawl:mvd_kg", args=("mvd_kg",),
                          name="crawl mvd_kg", replace_existing=True)
        second = wait_for(lambda: settled(desk, 2))[-1]
    finally:
        scheduler.shutdown(wait=False)
        runtime.supervisor.stop_all(grace_s=60)
    assert second.articles_new == 0 and second.articles_updated == 0 and second.pages_fetched > 0
    check = newsmon("status", "--check")
    assert check.returncode == 1
    assert [line for line in check.stdout.splitlines() if not line.endswith(": never crawled")] == [
        f"mvd_kg: unhealthy: markup changed? run {second.id} fetched {second.pages_fetched} pages, "
        f"found no articles ({', '.join(f'{k} {v}' for k, v in sorted(second.errors_by_kind.items()))})"
    ]
    status = newsmon("status")
    assert status.returncode == 0 and "markup changed?" in status.stdout


def test_a_crawl_still_running_is_not_started_twice_and_a_restart_after_a_sleep_fires_once(desk, mirror):
    runtime = runtime_for(desk, mirror)
    every_second = JobSpec(id="crawl:akn_tj", func=CRAWL_FUNC, args=("akn_tj",), name="crawl akn_tj",
                           trigger=IntervalTrigger(seconds=1), misfire_grace_time=1800)
    scheduler = create_scheduler(runtime.schedules, database_url=desk, background=True)
    install_listeners(scheduler, lambda: runtime)
    refused = []
    scheduler.add_listener(lambda event: refused.append(event.job_id), EVENT_JOB_MAX_INSTANCES)
    start_synced(scheduler, [every_second])
    try:
        wait_for(lambda: settled(desk, 1))
    finally:
        scheduler.shutdown(wait=False)
        runtime.supervisor.stop_all(grace_s=120)
    # The crawl took seconds; the job fired every second meanwhile and was refused each time:
    # crawls of the source never overlap (one may have started as the first ended).
    assert len(refused) >= 2 and set(refused) == {"crawl:akn_tj"}
    before = runs(desk)
    assert before[0].status == "finished" and before[0].articles_new > 0
    for earlier, later in zip(before, before[1:], strict=False):
        assert later.started_at >= earlier.finished_at

    # The machine sleeps for an hour: 60 runs of the job are missed. The restarted scheduler
    # (same job store) makes them up with one crawl, not sixty.
    runtime = runtime_for(desk, mirror)
    every_minute = dataclasses.replace(every_second, trigger=IntervalTrigger(minutes=1))
    paused = create_scheduler(runtime.schedules, database_url=desk, background=True)
    paused.start(paused=True)
    sync_jobs(paused, [every_minute])
    paused.modify_job("crawl:akn_tj", next_run_time=datetime.now().astimezone() - timedelta(hours=1))
    paused.shutdown()
    restarted = create_scheduler(runtime.schedules, database_url=desk, background=True)
    install_listeners(restarted, lambda: runtime)
    start_synced(restarted, [every_minute])
    try:
        wait_for(lambda: settled(desk, len(before) + 1))
        time.sleep(2)
        next_run = restarted.get_job("crawl:akn_tj").next_run_time
    finally:
        restarted.shutdown(wait=False)
        runtime.supervisor.stop_all(grace_s=120)
    after = runs(desk)
    assert len(after) == len(before) + 1
    assert after[-1].status == "finished" and after[-1].articles_new == 0  # nothing new on the mirror
    assert next_run > datetime.now().astimezone()


def test_the_period_end_job_builds_the_draft_of_crawled_events(desk, mirror, config_dir, tmp_path):
    out = tmp_path / "release"
    edit(config_dir / "schedules.toml", '# out_dir = "out/release"', f'out_dir = "{out.as_posix()}"')
    reload_config()
    runtime = runtime_for(desk, mirror)
    assert runtime.supervisor.run("akn_tj", time_limit_s=240).status == "finished"
    with session_scope(desk) as session:  # the analysts accepted the period's relevant events
        session.execute(update(Event).where(Event.relevance_label == "relevant", Event.period_year == 2025,
                                            Event.period_number == 1).values(status="accepted"))
        accepted = len(session.scalars(select(Event.id).where(Event.status == "accepted")).all())
    assert accepted >= 1

    scheduler = create_scheduler(runtime.schedules, database_url=desk, background=True)
    install_listeners(scheduler, lambda: runtime)
    start_synced(scheduler, [])
    try:
        scheduler.add_job(RELEASE_FUNC, trigger=soon(), id="release:period-end", args=(2025, 1), name="draft")

        def built():
            with session_scope(desk) as session:
                release = session.scalar(select(Release).where(Release.year == 2025, Release.number == 1))
                return release if release is not None and len(release.files or []) == 8 else None

        release = wait_for(built, timeout=240)
    finally:
        scheduler.shutdown(wait=False)
    assert release.status == "draft" and release.period_text == "1-15.01.2025"
    assert sorted((f["edition"], f["format"]) for f in release.files) == sorted(
        (edition, fmt) for edition in ("en", "ru") for fmt in ("pdf", "docx", "html", "md"))
    for item in release.files:
        path = Path(item["path"])
        assert item["draft"] and path.is_file() and path.stat().st_size > 0 and path.parent == out.resolve()
        assert item["events"] == accepted
    with session_scope(desk) as session:
        query = select(Article).join(Event).where(Event.status == "accepted")
        titles = [article.title for article in session.scalars(query)]
    markdown = next(Path(f["path"]) for f in release.files if f["edition"] == "ru" and f["format"] == "md")
    assert any(title.upper() in markdown.read_text(encoding="utf-8") for title in titles)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_newsmon_schedule_runs_a_due_job_and_stops_cleanly_on_a_signal(desk, slow_mirror, config_dir, signum):
    mirror = slow_mirror
    edit(config_dir / "schedules.toml", "shutdown_grace_s = 120", "shutdown_grace_s = 1")
    edit(config_dir / "schedules.toml", "kill_grace_s = 20", "kill_grace_s = 3")
    reload_config()
    # A retry of mvd_kg is due: it was stored by an earlier scheduler, as the job store keeps it.
    runtime = runtime_for(desk, mirror)
    earlier = create_scheduler(runtime.schedules, database_url=desk, background=True)
    earlier.start(paused=True)
    sync_jobs(earlier, [])
    earlier.add_job(CRAWL_FUNC, trigger=soon(1), id="retry:mvd_kg", args=("mvd_kg",), kwargs={"attempt": 1},
                    name="retry crawl mvd_kg (attempt 1)", misfire_grace_time=600)
    earlier.shutdown()

    process = subprocess.Popen(
        [sys.executable, "-m", "newsmon", "schedule", "--mirror", mirror.url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ},
    )
    try:
        wait_for(lambda: any(r.status == "running" for r in runs(desk)) or process.poll() is not None,
                 timeout=120)
        assert process.poll() is None, process.communicate()[1]
        time.sleep(1)
        started = time.monotonic()
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert time.monotonic() - started < 30
    [run] = runs(desk)
    # The crawl (2 s per request) outlived the 1 s grace: it was stopped and its run marked.
    assert (run.status, run.message, run.trigger) == ("interrupted", "stopped by the scheduler shutting down",
                                                      "schedule")
    assert run.options["attempt"] == 1 and run.finished_at is not None
    assert "event=crawl.stopping" in stderr and "event=scheduler.draining" in stderr
    assert f"event=scheduler.stopping signal={signal.Signals(signum).name}" in stderr
    assert "event=scheduler.stopped" in stderr
    assert all(line.startswith("ts=") for line in stderr.splitlines()), stderr

    # The job store kept the configured jobs (the retry was consumed): a restart finds them.
    later = create_scheduler(runtime.schedules, database_url=desk, background=True)
    later.start(paused=True)
    try:
        stored = {job.id for job in later.get_jobs()}
    finally:
        later.shutdown()
    crawls = {f"crawl:{source_id}" for source_id in site_ids()}
    assert stored == {*crawls, "release:period-end", "model:retrain"}
