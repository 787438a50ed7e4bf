"""PostgreSQL unreachable for a few seconds in the middle of a crawl (``newsmon crawl`` talks to it
through a TCP proxy that the test cuts and restores, so the shared server is not restarted): the
crawl waits and retries its writes, and every article ends up stored exactly once.

* A short outage is waited out: nothing is spooled, nothing recorded as an error.
* An outage longer than the crawl's patience (``NEWSMON_STORE_ATTEMPTS=2``) spools the pages it
  could not store; they are stored as soon as the database answers again. The runs record them as
  ``spooled`` notes, not errors (nothing was lost), and the sources stay healthy.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from config import load_sources
from core.urls import canonical_url
from crawlers.registry import site_ids
from mirror import MirrorServer
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.health import source_health
from storage.repository import sync_sources
from tests.faults.conftest import crawl_env, runs, stored
from tests.faults.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(600)]

LATENCY_S = 0.1
OUTAGE_S = 6.0


@pytest.fixture
def databases(postgres_url: str) -> Iterator[tuple[str, str, TcpProxy]]:
    """(direct URL, URL through the proxy, the proxy) of a fresh migrated schema."""
    schema.upgrade(postgres_url)
    with session_scope(postgres_url) as session:
        sync_sources(session, load_sources())
    dispose_engines()
    url = make_url(postgres_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432)).start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        yield postgres_url, proxied, proxy
    finally:
        proxy.stop()
        dispose_engines()


def crawl_through_an_outage(
    direct: str, proxied: str, proxy: TcpProxy, data_dir: Path, **env: str
) -> tuple[subprocess.CompletedProcess[str], int, list[dict]]:
    """Crawl the four sources; cut the database off once a fifth of the articles are stored."""
    with MirrorServer(latency_s=LATENCY_S) as mirror:
        rows = [a.manifest_entry() for a in mirror.articles]
        process = subprocess.Popen(
            [sys.executable, "-m", "newsmon", "-q", "crawl", "--mirror", mirror.url],
            env=crawl_env(proxied, data_dir, **env),
            cwd=data_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 180
            while (
                time.monotonic() < deadline
                and process.poll() is None
                and len(stored(direct)) < len(rows) // 5
            ):
                time.sleep(0.2)
            assert process.poll() is None, "the crawl ended before the outage"
            before = len(stored(direct))
            proxy.cut()
            time.sleep(OUTAGE_S)
            proxy.restore()
            out, err = process.communicate(timeout=300)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), before, rows


def assert_all_stored_once(direct: str, rows: list[dict]) -> None:
    keys = [a.canonical_url for a in stored(direct)]
    assert not [key for key, n in Counter(keys).items() if n > 1], "stored twice"
    assert set(keys) == {canonical_url(row["url"]) for row in rows}


def test_a_short_outage_is_waited_out(databases: tuple[str, str, TcpProxy], tmp_path: Path) -> None:
    direct, proxied, proxy = databases
    result, before, rows = crawl_through_an_outage(direct, proxied, proxy, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert before < len(rows)
    assert "retrying" in result.stderr, "the crawl never met the outage"
    assert_all_stored_once(direct, rows)
    crawl_runs = runs(direct)
    assert len(crawl_runs) == len(site_ids()) and all(run.status == "finished" for run in crawl_runs)
    assert all(run.errors == 0 for run in crawl_runs), [run.error_samples for run in crawl_runs]
    assert not list((tmp_path / "spool").glob("*.jsonl")), "nothing had to be spooled"


def test_a_longer_outage_spools_the_pages_and_stores_them_when_the_database_is_back(
    databases: tuple[str, str, TcpProxy], tmp_path: Path
) -> None:
    direct, proxied, proxy = databases
    result, before, rows = crawl_through_an_outage(
        direct, proxied, proxy, tmp_path, NEWSMON_STORE_ATTEMPTS="2"
    )
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    assert_all_stored_once(direct, rows)
    crawl_runs = runs(direct)
    assert all(run.status == "finished" for run in crawl_runs), [run.message for run in crawl_runs]
    spooled = sum((run.errors_by_kind or {}).get("spooled", 0) for run in crawl_runs)
    assert spooled > 0, "the outage was longer than the patience: pages were spooled"
    samples = [s for run in crawl_runs for s in run.error_samples or [] if s["kind"] == "spooled"]
    assert samples and all("page kept in" in s["detail"] for s in samples)
    # Spooled, then stored by the same crawl: notes, not losses (there used to be a `store` error
    # per page, and the sources with most of them were reported unhealthy after they recovered).
    assert {s["kind"] for run in crawl_runs for s in run.error_samples or []} == {"spooled"}
    assert all(run.errors == 0 for run in crawl_runs), [run.errors_by_kind for run in crawl_runs]
    with session_scope(direct) as session:
        health = source_health(session)
    assert [(h.source_id, h.summary) for h in health if not h.healthy] == []
    # Spooled pages were stored later in the same crawl: the spool is empty again.
    assert all(path.stat().st_size == 0 for path in (tmp_path / "spool").glob("*.jsonl"))
