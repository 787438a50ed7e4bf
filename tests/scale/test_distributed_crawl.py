"""End to end, against the running Redis and PostgreSQL: three ``newsmon worker`` processes crawl
the mirror at once after ``newsmon crawl --distributed`` seeded the runs. They store exactly what a
single-process ``newsmon crawl`` stores, fetch no URL twice, and a worker killed with SIGKILL in
the middle loses nothing: the others finish its work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from scrapy_redis import picklecompat
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from crawlers.registry import site_ids
from mirror import MirrorServer
from storage.models import Article, CrawlRun
from tests.scale.conftest import migrated_schema
from tests.services import redis_server_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

SOURCES = tuple(site_ids())
LATENCY_S = 0.05
"""Per-request latency of the mirror: the crawl lasts long enough to kill a worker in it."""
WORKERS = 3
TIMEOUT_S = 180


@dataclass
class Crawl:
    articles: dict[str, tuple]
    events: set[frozenset[str]]
    runs: list[CrawlRun]
    requests: list[tuple[str, str, int | None]]
    outputs: list[str]
    seconds: float


def environment(database_url: str, data_dir: Path, prefix: str | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NEWSMON_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",
    }
    for name in ("NEWSMON_MIRROR_URL", "NEWSMON_POLITENESS", "REDIS_URL", "NEWSMON_REDIS_PREFIX"):
        env.pop(name, None)
    if prefix is not None:
        env["REDIS_URL"] = redis_server_url()
        env["NEWSMON_REDIS_PREFIX"] = prefix
    return env


def newsmon(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsmon", "-q", *args]


def stored(database_url: str) -> tuple[dict[str, tuple], set[frozenset[str]], list[CrawlRun]]:
    """Per canonical URL what the crawl stored, the events as sets of URLs, and the runs."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            articles = list(session.scalars(select(Article)))
            runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    finally:
        engine.dispose()
    by_url = {
        a.canonical_url: (
            a.source_id,
            a.url,
            a.published_at,
            a.date_uncertain,
            a.site_published,
            a.language,
            a.title,
            a.country,
        )
        for a in articles
    }
    events: dict[int | None, set[str]] = {}
    for article in articles:
        events.setdefault(article.event_id, set()).add(article.canonical_url)
    return by_url, {frozenset(urls) for urls in events.values()}, runs


def page_counts(requests: list[tuple[str, str, int | None]]) -> Counter[tuple[str, str]]:
    """How often each URL was fetched (robots.txt is asked once per worker and host)."""
    return Counter((host, path) for host, path, _ in requests if path != "/robots.txt")


def worker_pages(output: str) -> int:
    """Pages a worker fetched, summed from its table (the ``this worker: pages`` column, read at
    the header's position: the table leaves out columns the terminal has no room for)."""
    header = "this worker: pages"
    column: int | None = None
    total = 0
    for line in output.splitlines():
        if header in line:
            column = line.index(header)
            continue
        words = line.split()
        if column is not None and words and words[0] in SOURCES:
            cell = line[column : column + len(header)].split()
            if cell and cell[0].isdigit():
                total += int(cell[0])
    return total


@pytest.fixture(scope="module")
def mirror() -> Iterator[MirrorServer]:
    with MirrorServer(latency_s=LATENCY_S) as server:
        yield server


@pytest.fixture(scope="module")
def single_process(mirror: MirrorServer, tmp_path_factory) -> Iterator[Crawl]:
    """``newsmon crawl`` of the mirror in one process: what the workers must match."""
    data_dir = tmp_path_factory.mktemp("single")
    with migrated_schema() as database_url:
        mirror.reset_log()
        started = time.monotonic()
        result = subprocess.run(
            newsmon("crawl", "--no-resume", "--mirror", mirror.url),
            env=environment(database_url, data_dir),
            cwd=data_dir,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        seconds = time.monotonic() - started
        assert result.returncode == 0, result.stderr[-3000:]
        articles, events, runs = stored(database_url)
        yield Crawl(articles, events, runs, mirror.requests, [result.stdout], seconds)


def distributed_crawl(
    mirror: MirrorServer,
    database_url: str,
    prefix: str,
    data_dir: Path,
    *,
    kill_after: int | None = None,
    wait: bool = False,
) -> tuple[Crawl, dict[str, bytes]]:
    """Start three workers, seed the runs once they are up (``--wait``: the seeder waits for the
    end of the runs) and let the workers crawl; with ``kill_after``, SIGKILL the first worker once
    it has taken that many requests of a source and holds some. Returns the crawl and the killed
    worker's leases (Redis key and lease id -> leased request) at the moment it died."""
    mirror.reset_log()
    env = environment(database_url, data_dir, prefix)
    started = time.monotonic()
    logs = [data_dir / f"worker-{n}.out" for n in range(WORKERS)]
    workers = []
    for log in logs:
        with log.open("w") as handle:
            workers.append(
                subprocess.Popen(
                    newsmon("worker", "--idle-timeout", "30", "--lease-ttl", "3", "--mirror", mirror.url),
                    env=env,
                    cwd=data_dir,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
    killed: dict[str, bytes] = {}
    try:
        wait_for_workers(workers, prefix)
        seed = subprocess.run(
            newsmon("crawl", "--distributed", "--mirror", mirror.url, *(["--wait"] if wait else [])),
            env=env,
            cwd=data_dir,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        assert seed.returncode == 0, seed.stdout + seed.stderr[-3000:]
        assert seed.stdout.count("seeded") == len(SOURCES), seed.stdout
        if wait:
            assert seed.stdout.count("finished") == len(SOURCES), "--wait prints the finished runs"
        if kill_after is not None:
            killed = kill_when_busy(workers[0], prefix, kill_after)
        for worker in workers:
            worker.wait(timeout=TIMEOUT_S)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    seconds = time.monotonic() - started
    outputs = [log.read_text() for log in logs]
    survivors = workers[1:] if kill_after is not None else workers
    for worker, output in zip(workers, outputs, strict=True):
        if worker in survivors:
            assert worker.returncode == 0, output[-3000:]
    articles, events, runs = stored(database_url)
    return Crawl(articles, events, runs, mirror.requests, outputs, seconds), killed


def wait_for_workers(workers: list[subprocess.Popen], prefix: str) -> None:
    """Until every worker has started its spiders (its heartbeat is in Redis)."""
    server = redis.Redis.from_url(redis_server_url())
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while len(list(server.scan_iter(match=f"{prefix}:workers:*"))) < len(workers):
            assert all(worker.poll() is None for worker in workers), "a worker ended early"
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)
    finally:
        server.close()


def kill_when_busy(worker: subprocess.Popen, prefix: str, taken: int) -> dict[str, bytes]:
    """SIGKILL ``worker`` once it has taken ``taken`` requests of a source and holds some."""
    server = redis.Redis.from_url(redis_server_url())
    marker = f":{worker.pid}:"
    lease_keys = [f"{prefix}:{source}:leases" for source in SOURCES]
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            assert worker.poll() is None, "the worker ended before it could be killed"
            held = [
                field.decode()
                for key in lease_keys
                for field in server.hkeys(key)
                if marker in field.decode()
            ]
            if any(int(lease.rsplit("|", 1)[1]) >= taken for lease in held):
                break
            time.sleep(0.02)
        else:
            pytest.fail("the worker never got busy")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        leases = {}
        for key in lease_keys:  # lease ids count per source: keep the source in the key
            for field, value in server.hgetall(key).items():
                if marker in field.decode():
                    leases[f"{key} {field.decode()}"] = value
        return leases
    finally:
        server.close()


def leased_path(value: bytes) -> tuple[str, str]:
    from urllib.parse import urlsplit

    url = picklecompat.loads(value.partition(b"\n")[2])["url"]
    parts = urlsplit(url)
    return parts.hostname or "", parts.path + (f"?{parts.query}" if parts.query else "")


def assert_same_articles(got: Crawl, expected: Crawl) -> None:
    assert set(got.articles) == set(expected.articles), (
        f"missing {sorted(set(expected.articles) - set(got.articles))[:5]}, "
        f"extra {sorted(set(got.articles) - set(expected.articles))[:5]}"
    )
    different = [url for url, row in expected.articles.items() if got.articles[url] != row]
    assert different == [], [(url, got.articles[url], expected.articles[url]) for url in different[:3]]
    assert got.events == expected.events, "the same stories are the same candidate events"


def assert_runs_finished(crawl: Crawl, expected: Crawl) -> None:
    assert sorted(run.source_id for run in crawl.runs) == sorted(SOURCES), "one run per source"
    per_source = Counter(row[0] for row in expected.articles.values())
    for run in crawl.runs:
        assert run.status == "finished", (run.source_id, run.message)
        assert run.finished_at is not None and run.errors == 0, run.error_samples
        assert run.articles_new == per_source[run.source_id], run.source_id
        assert run.pages_fetched >= run.articles_new


def assert_redis_clean(prefix: str) -> None:
    server = redis.Redis.from_url(redis_server_url())
    try:
        left = [k.decode() for k in server.scan_iter(match=f"{prefix}:*") if b":workers:" not in k]
    finally:
        server.close()
    assert left == [], "a finished run leaves no queue, duplicate filter, lease or record"


def test_three_workers_store_what_one_process_stores_and_fetch_no_url_twice(
    mirror: MirrorServer, single_process: Crawl, redis_prefix: str, tmp_path: Path
) -> None:
    assert len(single_process.articles) >= 100
    with migrated_schema() as database_url:
        crawl, _ = distributed_crawl(mirror, database_url, redis_prefix, tmp_path, wait=True)

    assert_same_articles(crawl, single_process)
    assert_runs_finished(crawl, single_process)
    fetched = page_counts(crawl.requests)
    assert [(url, n) for url, n in fetched.items() if n > 1] == [], "no URL is fetched twice"
    assert set(fetched) == set(page_counts(single_process.requests)), "the same pages as one process"
    shares = [worker_pages(output) for output in crawl.outputs]
    assert all(share > 0 for share in shares), f"every worker took part: {shares}"
    assert_redis_clean(redis_prefix)
    print(
        f"\nsingle process {single_process.seconds:.1f} s; {WORKERS} workers {crawl.seconds:.1f} s "
        f"(pages per worker {shares})"
    )


def test_a_worker_killed_mid_crawl_loses_nothing(
    mirror: MirrorServer, single_process: Crawl, redis_prefix: str, tmp_path: Path
) -> None:
    with migrated_schema() as database_url:
        crawl, killed = distributed_crawl(mirror, database_url, redis_prefix, tmp_path, kill_after=8)

    assert killed, "the killed worker held requests when it died"
    assert_same_articles(crawl, single_process)
    assert_runs_finished(crawl, single_process)
    # Only what the dead worker held unfinished may have been fetched again, and once.
    fetched = page_counts(crawl.requests)
    again = {url for url, n in fetched.items() if n > 1}
    assert all(n <= 2 for n in fetched.values())
    held = {leased_path(value) for value in killed.values()}
    assert again <= held, sorted(again - held)
    assert set(fetched) == set(page_counts(single_process.requests))
    requeued = [line for output in crawl.outputs[1:] for line in output.splitlines() if "re-queued" in line]
    assert requeued, "the other workers took the dead worker's requests back"
    assert_redis_clean(redis_prefix)
    print(
        f"\nkilled a worker holding {len(killed)} requests; {len(again)} pages fetched again; "
        f"crawl {crawl.seconds:.1f} s"
    )


def test_a_worker_without_a_crawl_run_stops_after_the_idle_timeout(redis_prefix: str, tmp_path: Path) -> None:
    with migrated_schema() as database_url:
        started = time.monotonic()
        result = subprocess.run(
            newsmon("worker", "--idle-timeout", "0.5", "akn_tj"),
            env=environment(database_url, tmp_path, redis_prefix),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "idle" in result.stdout and "-" in result.stdout
    assert time.monotonic() - started < 60
