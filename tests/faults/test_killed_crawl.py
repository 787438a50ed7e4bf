"""A crawl killed with SIGKILL half-way (no chance to save anything) and started again ends with
exactly the articles of an uninterrupted crawl: its job directory and the incremental logic resume
it, and nothing is stored twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from crawlers.registry import site_ids
from mirror import MirrorServer
from storage import schema
from storage.db import dispose_engines
from tests.faults.conftest import crawl_env, newsmon_crawl, runs, stored

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

LATENCY_S = 0.15
SOURCES = tuple(site_ids())


def test_a_crawl_killed_half_way_resumes_to_exactly_the_uninterrupted_result(tmp_path: Path) -> None:
    killed_dir, reference_dir = tmp_path / "killed", tmp_path / "reference"
    killed_dir.mkdir()
    reference_dir.mkdir()
    killed_db = f"sqlite:///{killed_dir / 'newsmon.sqlite'}"
    reference_db = f"sqlite:///{reference_dir / 'newsmon.sqlite'}"
    for url in (killed_db, reference_db):
        schema.upgrade(url)
    dispose_engines()

    with MirrorServer(latency_s=LATENCY_S) as mirror:
        total = len(mirror.articles)
        process = subprocess.Popen(
            [sys.executable, "-m", "newsmon", "-q", "crawl", "--mirror", mirror.url],
            env=crawl_env(killed_db, killed_dir),
            cwd=killed_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and process.poll() is None:
                if len(stored(killed_db)) >= total // 3:
                    break
                time.sleep(0.2)
            assert process.poll() is None, "the crawl ended before it could be killed"
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        partial = stored(killed_db)
        assert 0 < len(partial) < total, len(partial)
        assert (killed_dir / "jobs").is_dir(), "the killed crawl left its job directories"

        resumed = newsmon_crawl(mirror_url=mirror.url, database_url=killed_db, data_dir=killed_dir)
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr[-3000:]
        reference = newsmon_crawl(mirror_url=mirror.url, database_url=reference_db, data_dir=reference_dir)
        assert reference.returncode == 0, reference.stdout + reference.stderr[-3000:]

    after_kill = [a.canonical_url for a in stored(killed_db)]
    uninterrupted = [a.canonical_url for a in stored(reference_db)]
    assert not [url for url, n in Counter(after_kill).items() if n > 1], "stored twice"
    assert len(after_kill) == len(uninterrupted) == total
    assert set(after_kill) == set(uninterrupted)
    all_runs = runs(killed_db)
    killed_crawl, resumed_crawl = all_runs[: len(SOURCES)], all_runs[len(SOURCES) :]
    # The sources the kill caught mid-way (a small one may have finished before it) were closed as
    # failed when the next crawl found their job directories.
    interrupted = [run for run in killed_crawl if run.status != "finished"]
    assert interrupted, "the kill caught sources mid-way"
    assert all(run.status == "failed" and "without closing" in (run.message or "") for run in interrupted)
    # The next crawl's runs finished cleanly; what the killed one had stored was not fetched again.
    assert sorted(run.source_id for run in resumed_crawl) == sorted(SOURCES)
    assert all(run.status == "finished" for run in resumed_crawl)
    assert sum(run.articles_new for run in resumed_crawl) == total - len(partial)
    assert all(run.articles_updated == 0 and run.errors == 0 for run in resumed_crawl), [
        run.error_samples for run in resumed_crawl
    ]
    assert not (killed_dir / "jobs" / "mvd_ru").exists(), "a finished crawl removes its job directory"
