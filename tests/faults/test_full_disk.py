"""The disk under the SQLite database fills up in the middle of a crawl (issue #23).

The database sits on a small filesystem of its own (a tmpfs with a size limit, mounted by the
test: the tests run as root, so a file's mode would not stop a write), the spool on another disk.
Once a fifth of the articles are stored, the test fills the small filesystem, and every write of
the crawl fails with "database or disk is full". The crawl must still end by itself, say so in
plain lines (no traceback), exit non-zero, and keep every page it fetched in the spool. Its runs
end ``failed``: closed by the crawl when a close still gets through, otherwise (nothing can be
written) by the scheduler, which no longer skips the sources as "still running" once the disk has
room again. A crawl then stores everything once.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawlers.registry import site_ids
from mirror import MirrorServer
from newsmon.scheduler.crawl import CrawlSupervisor
from storage import schema
from storage.db import dispose_engines
from tests.faults.conftest import crawl_env, runs, stored
from tests.faults.test_database_outage import assert_all_stored_once
from tests.ops.helpers import fake_command

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

DISK_MB = 48
LATENCY_S = 0.1


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of :data:`DISK_MB` MB (skipped where mounting is not permitted)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command: a small filesystem for the database cannot be made here")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(mount)],
                          capture_output=True, text=True, timeout=30)
    if made.returncode != 0:
        pytest.skip(f"mounting a small tmpfs for the database is not permitted here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        dispose_engines()
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=30)


def fill(disk: Path) -> Path:
    """Write a file until the filesystem is full; returns it (deleting it frees the disk)."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    block = b"\0" * (1 << 16)
    try:
        while True:
            os.write(descriptor, block)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC, exc
    finally:
        os.close(descriptor)
    return filler


def test_a_full_disk_ends_the_crawl_in_plain_lines_loses_nothing_and_leaves_no_run_running(
    small_disk: Path, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{small_disk / 'newsmon.sqlite'}"
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    schema.upgrade(database_url)
    dispose_engines()
    with MirrorServer(latency_s=LATENCY_S) as mirror:
        rows = [a.manifest_entry() for a in mirror.articles]
        process = subprocess.Popen(
            [sys.executable, "-m", "newsmon", "-q", "crawl", "--mirror", mirror.url],
            env=crawl_env(database_url, data_dir), cwd=data_dir,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and process.poll() is None:
                if len(stored(database_url)) >= len(rows) // 5:
                    break
                time.sleep(0.2)
            assert process.poll() is None, "the crawl ended before the disk filled"
            filler = fill(small_disk)
            out, err = process.communicate(timeout=300)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        print(err[-3000:])
        assert process.returncode != 0, "a crawl that could not store its pages is no success"
        assert "Traceback" not in out + err, err[-5000:]
        assert "database or disk is full" in err, err[-3000:]
        spool = data_dir / "spool"
        spooled = [line for path in spool.glob("*.jsonl") for line in path.read_text("utf-8").splitlines()]
        assert spooled, "the pages the database could not take are kept in the spool"
        print(f"{len(stored(database_url))} articles stored, {len(spooled)} pages spooled at the end")

        filler.unlink()  # the operator makes room
        supervisor = CrawlSupervisor(database_url=database_url, command=fake_command("ok"))
        for source_id in site_ids():
            outcome = supervisor.run(source_id, time_limit_s=600)
            assert outcome.status == "finished", f"{source_id}: {outcome.status}: {outcome.reason}"
        full_disk_runs = [run for run in runs(database_url) if run.trigger != "schedule"]
        assert len(full_disk_runs) == len(site_ids())
        statuses = [(run.source_id, run.status, run.message) for run in full_disk_runs]
        print(statuses)
        # None left running; a source whose crawl had ended before the disk filled finished.
        assert {run.status for run in full_disk_runs} <= {"failed", "finished"}, statuses
        assert "failed" in {run.status for run in full_disk_runs}, statuses

        again = subprocess.run(
            [sys.executable, "-m", "newsmon", "-q", "crawl", "--mirror", mirror.url],
            env=crawl_env(database_url, data_dir), cwd=data_dir, capture_output=True, text=True, timeout=300,
        )
    assert again.returncode == 0, again.stdout + again.stderr[-3000:]
    assert_all_stored_once(database_url, rows)
