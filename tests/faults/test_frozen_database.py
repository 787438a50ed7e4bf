"""A silent partition between the crawl and PostgreSQL (issue #23): the established connections
freeze, with no reset, and stay frozen for good (:meth:`TcpProxy.freeze`). A crawl must never wait
on such a connection for longer than its bound (``NEWSMON_DB_CALL_TIMEOUT_S``): it spools what it
cannot store, stores it once new connections get through, and still ends within its grace period
when it is stopped meanwhile."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mirror import MirrorServer
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
    assert all(run.status == "finished" for run in runs(direct)), [run.message for run in runs(direct)]
    spooled = sum((run.errors_by_kind or {}).get("store", 0) for run in runs(direct))
    print(f"{spooled} pages spooled, then stored")


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
        # network); the next crawl closes the runs the stopped one could not close, and stores
        # what was spooled and what was never fetched.
        proxy.stop()
        again = start_crawl(direct, tmp_path, mirror, "--no-resume")
        out, err = again.communicate(timeout=HANG_LIMIT_S)
    assert again.returncode == 0, out + err[-3000:]
    assert_all_stored_once(direct, rows)
    assert not [run for run in runs(direct) if run.status == "running"]
