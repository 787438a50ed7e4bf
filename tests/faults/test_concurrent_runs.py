"""Two crawls of one source, or two schedulers, on one database at the same second (issue #23):
one runs, the other stops at once, names the holder and exits non-zero; every article is stored
once and every job runs once (:mod:`crawlers.locks`, :mod:`storage.locks`)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.date import DateTrigger

from config import load_sources
from config.schedules import load_schedules
from core.urls import canonical_url
from mirror import MirrorServer
from newsmon.scheduler.service import CRAWL_FUNC, create_scheduler, sync_jobs
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.repository import sync_sources
from tests.faults.conftest import crawl_env, runs, stored

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

SOURCE = "mvd_kg"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str:
    """A migrated database with the configured sources, on SQLite (a lock file) and on
    PostgreSQL (an advisory lock)."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    schema.upgrade(url)
    with session_scope(url) as session:
        sync_sources(session, load_sources())
    dispose_engines()
    return url


def start(command: list[str], database_url: str, data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsmon", *command],
        env=crawl_env(database_url, data_dir),
        cwd=data_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_crawls_of_one_source_at_the_same_second_store_every_article_once(
    database: str, tmp_path: Path
) -> None:
    with MirrorServer(latency_s=0.1) as mirror:
        expected = {canonical_url(a.url) for a in mirror.articles if a.source_id == SOURCE}
        command = ["-q", "crawl", SOURCE, "--mirror", mirror.url]
        both = [start(command, database, tmp_path), start(command, database, tmp_path)]
        results = [process.communicate(timeout=300) for process in both]
    codes = sorted(process.returncode for process in both)
    assert codes == [0, 2], results
    loser = next(i for i, process in enumerate(both) if process.returncode == 2)
    winner = both[1 - loser]
    _, err = results[loser]
    holder = f"newsmon crawl {SOURCE} pid {winner.pid}"
    assert f"{SOURCE}: another crawl of this source is running: {holder}" in err
    assert len(err.strip().splitlines()) == 1, err  # one line, no traceback
    keys = [article.canonical_url for article in stored(database)]
    assert not [key for key, n in Counter(keys).items() if n > 1], "stored twice"
    assert set(keys) == expected
    [run] = runs(database)
    assert run.status == "finished"


@pytest.mark.postgres
def test_two_schedulers_on_one_database_run_a_job_once(postgres_url: str, tmp_path: Path) -> None:
    schema.upgrade(postgres_url)
    with session_scope(postgres_url) as session:
        sync_sources(session, load_sources())
    # A crawl of SOURCE is due in a few seconds, in the job store both schedulers read.
    earlier = create_scheduler(load_schedules(), database_url=postgres_url, background=True)
    earlier.start(paused=True)
    sync_jobs(earlier, [])
    due = DateTrigger(run_date=datetime.now(UTC) + timedelta(seconds=5))
    earlier.add_job(CRAWL_FUNC, trigger=due, id=f"retry:{SOURCE}", args=(SOURCE,), kwargs={"attempt": 1},
                    name=f"retry crawl {SOURCE}", misfire_grace_time=600)
    earlier.shutdown()
    dispose_engines()
    with MirrorServer(latency_s=0.1) as mirror:
        both = [start(["schedule", "--mirror", mirror.url], postgres_url, tmp_path) for _ in range(2)]
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and not any(r.status != "running" for r in runs(postgres_url)):
                time.sleep(0.5)
            time.sleep(5)  # a second crawl of the job would have started by now
            refused = [process for process in both if process.poll() is not None]
            for process in both:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            results = [process.communicate(timeout=120) for process in both]
        finally:
            for process in both:
                if process.poll() is None:
                    process.kill()
    assert len(refused) == 1, results
    [loser] = refused
    leader = next(process for process in both if process is not loser)
    assert loser.returncode == 2
    err = results[both.index(loser)][1]
    holder = f"newsmon schedule pid {leader.pid}"
    assert re.search(rf"another scheduler runs on this database: {holder}\b", err), err
    crawls = [run for run in runs(postgres_url) if run.source_id == SOURCE]
    assert len(crawls) == 1, [(run.id, run.status, run.message) for run in crawls]
    assert crawls[0].status == "finished"
