"""Benchmark: distributed crawling with 1, 2 and 3 workers against the mirror.

    python -m benchmarks.scale [--workers 1,2,3] [--latency-ms 50] [--synthetic 40]
                               [--concurrency N] [--no-local] [--repeat N]

Each measurement crawls the bundled mirror (with ``--synthetic`` generated articles per site, a
few hundred pages, and ``--latency-ms`` before every answer) into a fresh PostgreSQL schema,
through its own Redis key prefix: N ``newsmon worker`` processes are started and warmed up, then
``newsmon crawl --distributed`` seeds the runs. The crawl time runs from the first crawl-run row
(seeding) to the last run finished; process start-up (imports, models) is reported apart, since a
long-lived worker pays it once. A single-process ``newsmon crawl`` of the same mirror is measured
as well, for the cost of the Redis machinery. On a shared machine, ``--repeat 3`` keeps the
fastest of three interleaved measurements per case.

Needs the PostgreSQL of the tests (``NEWSMON_BENCH_POSTGRES``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) and Redis (``REDIS_URL``, default
``redis://127.0.0.1:6379/0``). :func:`main` returns the rows (one dict per measurement) after
printing them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

POSTGRES = os.environ.get("NEWSMON_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
READY_TIMEOUT_S = 180
CRAWL_TIMEOUT_S = 900


@contextmanager
def fresh_database() -> Iterator[str]:
    """A migrated schema of its own in the PostgreSQL, dropped afterwards."""
    from storage.scratch import scratch_schema

    with scratch_schema(POSTGRES, prefix="bench") as url:
        yield url


@contextmanager
def redis_prefix() -> Iterator[str]:
    import redis

    prefix = f"nmbench-{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        server = redis.Redis.from_url(REDIS)
        keys = list(server.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            server.delete(*keys)
        server.close()


def _environment(database_url: str, data_dir: Path, prefix: str | None) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "NEWSMON_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    for name in ("NEWSMON_MIRROR_URL", "NEWSMON_POLITENESS", "REDIS_URL", "NEWSMON_REDIS_PREFIX"):
        env.pop(name, None)
    if prefix is not None:
        env.update(REDIS_URL=REDIS, NEWSMON_REDIS_PREFIX=prefix)
    return env


def _newsmon(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsmon", "-q", *args]


def _crawl_figures(database_url: str) -> dict[str, Any]:
    """Crawl time (first run row created -> last run finished), articles and pages."""
    from storage.runs import all_crawl_runs, article_count

    runs = all_crawl_runs(database_url)
    articles = article_count(database_url)
    unfinished = [run.source_id for run in runs if run.status != "finished" or run.finished_at is None]
    if not runs or unfinished:
        raise RuntimeError(f"crawl runs did not finish: {unfinished or 'no run'}")
    finished = [r.finished_at for r in runs if r.finished_at is not None]  # all of them (checked above)
    seconds = (max(finished) - min(r.started_at for r in runs)).total_seconds()
    return {"crawl_s": seconds, "articles": articles, "pages": sum(r.pages_fetched for r in runs)}


def measure_local(mirror_url: str) -> dict[str, Any]:
    """One ``newsmon crawl`` process (no Redis)."""
    with fresh_database() as database_url, tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        result = subprocess.run(
            _newsmon("crawl", "--no-resume", "--mirror", mirror_url),
            env=_environment(database_url, Path(tmp), None),
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=CRAWL_TIMEOUT_S,
        )
        if result.returncode != 0:
            raise RuntimeError(f"newsmon crawl failed: {result.stderr[-2000:]}")
        wall = time.monotonic() - started
        return {"mode": "local crawl", "workers": 1, "wall_s": wall, **_crawl_figures(database_url)}


def measure_workers(count: int, mirror_url: str, concurrency: int | None) -> dict[str, Any]:
    """``count`` warmed-up workers crawl what one ``newsmon crawl --distributed`` seeds."""
    import redis

    with fresh_database() as database_url, redis_prefix() as prefix, tempfile.TemporaryDirectory() as tmp:
        env = _environment(database_url, Path(tmp), prefix)
        args = ["worker", "--idle-timeout", str(READY_TIMEOUT_S), "--mirror", mirror_url]
        if concurrency:
            args += ["--concurrency", str(concurrency)]
        started = time.monotonic()
        logs = [Path(tmp) / f"worker-{n}.log" for n in range(count)]
        workers = [
            subprocess.Popen(
                _newsmon(*args), env=env, cwd=tmp, stdout=log.open("w"), stderr=subprocess.STDOUT
            )
            for log in logs
        ]
        server = redis.Redis.from_url(REDIS)
        try:
            # Ready: every worker has opened its spiders (heartbeat registered) after warming up.
            deadline = time.monotonic() + READY_TIMEOUT_S
            while len(list(server.scan_iter(match=f"{prefix}:workers:*"))) < count:
                if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
                    raise RuntimeError(
                        "workers did not start: " + " | ".join(log.read_text()[-500:] for log in logs)
                    )
                time.sleep(0.1)
            ready = time.monotonic()
            seed = subprocess.run(
                _newsmon("crawl", "--distributed", "--mirror", mirror_url),
                env=env,
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=CRAWL_TIMEOUT_S,
            )
            if seed.returncode != 0:
                raise RuntimeError(f"seeding failed: {seed.stdout[-1000:]} {seed.stderr[-1000:]}")
            for worker in workers:
                worker.wait(timeout=CRAWL_TIMEOUT_S)
            failed = [
                log.read_text()[-1000:]
                for worker, log in zip(workers, logs, strict=True)
                if worker.returncode
            ]
            if failed:
                raise RuntimeError("a worker failed: " + " | ".join(failed))
            finished = time.monotonic()
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
            server.close()
        return {
            "mode": "workers",
            "workers": count,
            "startup_s": ready - started,
            "wall_s": finished - ready,
            **_crawl_figures(database_url),
        }


def table(rows: Sequence[dict[str, Any]]) -> str:
    """Plain-text table of the measurements, with articles/s and the ratio to one worker."""
    base = next((r for r in rows if r["mode"] == "workers" and r["workers"] == 1), None)
    header = (
        f"{'mode':<12} {'workers':>7} {'crawl s':>8} {'wall s':>7} {'start s':>8} "
        f"{'articles':>8} {'pages':>6} {'art/s':>7} {'speed-up':>8}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        ratio = f"{base['crawl_s'] / row['crawl_s']:.2f}x" if base and row["crawl_s"] else "-"
        startup = f"{row['startup_s']:.1f}" if "startup_s" in row else "-"
        lines.append(
            f"{row['mode']:<12} {row['workers']:>7} {row['crawl_s']:>8.1f} {row['wall_s']:>7.1f} "
            f"{startup:>8} {row['articles']:>8} {row['pages']:>6} {row['articles_per_s']:>7.1f} {ratio:>8}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2,3", help="worker counts to measure (default 1,2,3)")
    parser.add_argument(
        "--latency-ms", type=float, default=50.0, help="mirror latency per request (default 50)"
    )
    parser.add_argument("--synthetic", type=int, default=40, help="generated articles per site (default 40)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="requests in flight per host per worker (default: politeness off, 8)",
    )
    parser.add_argument("--no-local", action="store_true", help="skip the single-process newsmon crawl")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure each case this often, interleaved, and keep the fastest (default 1)",
    )
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",") if n.strip()]

    from mirror import MirrorServer

    cases: list[int] = ([] if args.no_local else [0]) + counts  # 0: the local crawl
    best: dict[int, dict[str, Any]] = {}
    with MirrorServer(latency_s=args.latency_ms / 1000, synthetic=args.synthetic) as mirror:
        print(
            f"mirror: {len(mirror.articles)} articles, {args.latency_ms:.0f} ms per request; "
            f"{os.cpu_count()} CPUs",
            flush=True,
        )
        for attempt in range(max(1, args.repeat)):
            for case in cases:
                if case == 0:
                    row, label = measure_local(mirror.url), "local crawl"
                else:
                    row, label = measure_workers(case, mirror.url, args.concurrency), f"{case} worker(s)"
                print(f"  {label} #{attempt + 1}: {row['crawl_s']:.1f} s", flush=True)
                if case not in best or row["crawl_s"] < best[case]["crawl_s"]:
                    best[case] = row
    rows = [best[case] for case in cases]
    for row in rows:
        row["articles_per_s"] = row["articles"] / row["crawl_s"] if row["crawl_s"] else 0.0
        row["latency_ms"] = args.latency_ms
    print()
    print(table(rows))
    return rows


if __name__ == "__main__":
    main()
