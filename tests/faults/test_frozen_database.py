"""A silent partition between the crawl and PostgreSQL (issue #23): the established connections
freeze, with no reset, and stay frozen for good (:meth:`TcpProxy.freeze`). A crawl must never wait
on such a connection for longer than its bound (``NEWSMON_DB_CALL_TIMEOUT_S``): it spools what it
cannot store, stores it once new connections get through, and still ends within its grace period
when it is stopped meanwhile."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mirror import MirrorServer
from storage.bounded import MAX_PROBE_INTERVAL_S, PROBE_TIMEOUT_S
from tests.faults.conftest import crawl_env, runs, stored
from tests.faults.tcp_proxy import TcpProxy
from tests.faults.test_database_outage import assert_all_stored_once, databases

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(600)]
__all__ = ["databases"]

LATENCY_S = 0.1
FREEZE_S = 10.0
KILL_GRACE_S = 20.0
"""How long the scheduler lets a crawl take to end after SIGTERM (``kill_grace_s``)."""
HANG_LIMIT_S = 240.0
"""A crawl that has not ended by then (a crawl of the mirror takes well under a minute) hangs."""


def start_crawl(proxied: str, data_dir: Path, mirror: MirrorServer, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsmon", "-q", "crawl", *args, "--mirror", mirror.url],
        env=crawl_env(proxied, data_dir),
        cwd=data_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_stored(process: subprocess.Popen[str], direct: str, count: int) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None and len(stored(direct)) < count:
        time.sleep(0.2)
    assert process.poll() is None, "the crawl ended before the freeze"


def test_a_frozen_connection_does_not_hang_the_crawl(
    databases: tuple[str, str, TcpProxy], tmp_path: Path
) -> None:
    direct, proxied, proxy = databases
    with MirrorServer(latency_s=LATENCY_S) as mirror:
        rows = [a.manifest_entry() for a in mirror.articles]
        process = start_crawl(proxied, tmp_path, mirror)
        try:
            wait_for_stored(process, direct, len(rows) // 5)
            proxy.freeze()
            time.sleep(FREEZE_S)
            proxy.thaw()
            thawed = time.monotonic()
            out, err = process.communicate(timeout=HANG_LIMIT_S)
            print(f"the crawl ended {time.monotonic() - thawed:.0f} s after the freeze ended")
        except subprocess.TimeoutExpired:
            pytest.fail(f"the crawl still hangs {HANG_LIMIT_S:.0f} s after the freeze ended")
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert process.returncode == 0, out + err[-4000:]
    assert "did not answer" in err, "the crawl never met the frozen connection"
    assert_all_stored_once(direct, rows)
    crawl_runs = runs(direct)
    assert all(run.status == "finished" for run in crawl_runs), [run.message for run in crawl_runs]
    spooled = sum((run.errors_by_kind or {}).get("spooled", 0) for run in crawl_runs)
    lost = sum((run.errors_by_kind or {}).get("store", 0) for run in crawl_runs)
    print(f"{spooled} pages spooled, then stored; {lost} left in the spool")
    assert lost == 0, "every page spooled during the freeze was stored once it thawed"
    # Calls were let through again by the first probe after the thaw, not after a refusal window
    # that grew while the database was frozen (it reached 60 s: the crawl ended 66 s after the thaw).
    refusals = [float(s) for s in re.findall(r"calls were refused for ([0-9.]+) s", err)]
    print(f"calls refused for {refusals} s")
    assert refusals, "the crawl never noticed the database answering again"
    assert max(refusals) <= FREEZE_S + MAX_PROBE_INTERVAL_S + PROBE_TIMEOUT_S


def test_sigterm_ends_a_crawl_on_a_frozen_connection_within_its_grace_period(
    databases: tuple[str, str, TcpProxy], tmp_path: Path
) -> None:
    direct, proxied, proxy = databases
    with MirrorServer(latency_s=LATENCY_S) as mirror:
        rows = [a.manifest_entry() for a in mirror.articles]
        process = start_crawl(proxied, tmp_path, mirror)
        try:
            wait_for_stored(process, direct, len(rows) // 5)
            proxy.freeze()
            time.sleep(2)  # the crawl is waiting on the frozen connection
            process.send_signal(signal.SIGTERM)
            sent = time.monotonic()
            try:
                process.communicate(timeout=KILL_GRACE_S)
            except subprocess.TimeoutExpired:
                process.kill()
                _, err = process.communicate()
                pytest.fail(f"SIGTERM did not end the crawl within {KILL_GRACE_S:.0f} s: {err[-3000:]}")
            print(f"SIGTERM ended the crawl in {time.monotonic() - sent:.1f} s")
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        # Nothing is lost. The partition heals (the frozen connections are reset: the server ends
        # the stopped crawl's sessions and so releases its locks, as keepalives would on a real
        # network); the next crawl resumes the stopped one's job directories, closes the runs it
        # could not close, and stores what was spooled and what was never fetched. (It used to
        # fetch nothing: the job directories' seen requests filtered out its own start pages.)
        proxy.stop()
        stopped_at = len(stored(direct))
        assert list((tmp_path / "jobs").iterdir()), "the stopped crawl left its job directories to resume"
        again = start_crawl(direct, tmp_path, mirror)  # resumes the stopped crawl's job directories
        out, err = again.communicate(timeout=HANG_LIMIT_S)
        print(f"{stopped_at} articles stored before the stop")
    assert again.returncode == 0, out + err[-3000:]
    assert_all_stored_once(direct, rows)
    assert not [run for run in runs(direct) if run.status == "running"]
