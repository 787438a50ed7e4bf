"""``newsmon retag`` on one worker against two: ``python -m benchmarks.retag [--size N] [--rounds R]``.

A crawl of the generated mirror fills a SQLite store (as ``make bench`` does); each round copies
it twice and retags every article of one copy with one process (``--workers 1``: the serial
retag) and of the other with two worker processes, each as a child process of its own. The
speedup is the serial retag's wall time over the parallel one's, the median of the rounds; the
two runs of a round are measured one right after the other, in alternating order, and the
machine's load average is recorded beside them, since on a shared machine other processes take
cores from the parallel run first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.figures import Measured
from benchmarks.measure import Usage, child_env, run_measured

WORKER_COUNTS = (1, 2)


@dataclass(frozen=True)
class RetagRun:
    workers: int
    """Worker processes asked for (1: the retag process tags by itself)."""
    articles: int
    retag_s: float
    """Wall time of the retag itself (selection, tagging, writing), start-up left out."""
    usage: Usage
    """The whole child process: start-up, warm-up and retag; CPU with its workers'."""
    load_before: float
    """1-minute load average just before the run."""
    own_cpu_s: float = 0.0
    """CPU of the retag process alone (reading, writing; tagging too with one process)."""
    startup_cpu_s: float = 0.0
    """CPU of the child before the retag began (interpreter and imports)."""

    @property
    def retag_cpu_s(self) -> float:
        """CPU of the retag process and of its workers during the retag."""
        return self.usage.cpu_s - self.startup_cpu_s


@dataclass
class RetagResult:
    articles: int
    rounds: list[tuple[RetagRun, RetagRun]] = field(default_factory=list)
    """(one worker, two workers) of every round."""

    @property
    def speedups(self) -> list[float]:
        return [serial.retag_s / parallel.retag_s for serial, parallel in self.rounds]

    @property
    def speedup(self) -> float:
        """The median round's speedup (the higher middle one of an even count)."""
        return sorted(self.speedups)[len(self.speedups) // 2]

    @property
    def load(self) -> float:
        """The highest 1-minute load average seen before a run."""
        return max(run.load_before for pair in self.rounds for run in pair)


def build_store(size: int, directory: Path, log: Callable[[str], None]) -> str:
    """A SQLite store of about ``size`` articles, crawled from the generated mirror."""
    from benchmarks.crawl import crawl, prepare
    from benchmarks.suite import synthetic_for
    from mirror import MirrorServer

    with MirrorServer(synthetic=synthetic_for(size)) as mirror:
        database = prepare(directory)
        log(f"retag: crawling {len(mirror.articles)} articles into a store …")
        result = crawl(mirror, directory, database)
        log(f"retag: {result.articles} articles stored")
    return database


def retag_once(store: str, workers: int, work: Path) -> RetagRun:
    """Retag every article of a copy of the SQLite ``store`` with ``workers`` processes."""
    copy = work / f"retag-{workers}.sqlite"
    _copy_database(store.removeprefix("sqlite:///"), copy)
    load_before = os.getloadavg()[0]
    usage = run_measured(
        [sys.executable, "-m", "benchmarks.retag", "--child", f"sqlite:///{copy}", "--workers", str(workers)],
        env=child_env(),
        cwd=work,
    )
    _remove_database(copy)
    if usage.returncode != 0:
        raise RuntimeError(f"retag with {workers} worker(s) failed:\n{usage.stderr[-4000:]}")
    outcome = json.loads(usage.stdout.strip().splitlines()[-1])
    if outcome["failed"] or outcome["workers"] != workers:
        raise RuntimeError(f"retag with {workers} worker(s) did not run as asked: {outcome}")
    return RetagRun(workers=workers, articles=outcome["retagged"], retag_s=outcome["seconds"], usage=usage,
                    load_before=load_before, own_cpu_s=outcome["own_cpu_s"],
                    startup_cpu_s=outcome["startup_cpu_s"])


def _copy_database(source: str, target: Path) -> None:
    """A consistent copy of a SQLite database (its write-ahead log included, which a file copy
    would leave behind)."""
    _remove_database(target)
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
    original.close()
    copy.close()


def _remove_database(path: Path) -> None:
    """The database file and what SQLite keeps beside it (a log left there would be replayed
    into the next copy of the same name)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def measure(
    size: int, rounds: int, *, work: Path | None = None, log: Callable[[str], None] = print
) -> RetagResult:
    """Build a store of about ``size`` articles and retag it ``rounds`` times with 1 and 2 workers."""
    base = Path(work or tempfile.mkdtemp(prefix="newsmon-retag-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        store = build_store(size, base / "store", log)
        result = RetagResult(articles=0)
        for number in range(rounds):
            order = WORKER_COUNTS if number % 2 == 0 else WORKER_COUNTS[::-1]
            runs = {workers: retag_once(store, workers, base) for workers in order}
            serial, parallel = runs[1], runs[2]
            result.articles = serial.articles
            result.rounds.append((serial, parallel))
            log(f"retag round {number + 1} of {rounds}: {serial.articles} articles, one worker "
                f"{serial.retag_s:.1f} s, two {parallel.retag_s:.1f} s: {result.speedups[-1]:.2f}× "
                f"(load {serial.load_before:.1f} / {parallel.load_before:.1f})")
        return result
    finally:
        if work is None:
            shutil.rmtree(base, ignore_errors=True)


def idle_bound(serial: RetagRun, parallel: RetagRun) -> float:
    """The speedup two idle cores would allow at most, from the CPU the runs used: the parallel
    retag needs at least its retag process's CPU, and at least half of all its CPU, in wall time."""
    return serial.retag_cpu_s / max(parallel.own_cpu_s, parallel.retag_cpu_s / 2)


def figures(result: RetagResult) -> dict[str, Measured]:
    """``retag_speedup_2_cores``, with the rounds, the CPU and the machine's load beside it."""
    serial, parallel = sorted(result.rounds, key=lambda pair: pair[0].retag_s / pair[1].retag_s)[
        len(result.rounds) // 2
    ]
    shown = ", ".join(f"{speedup:.2f}×" for speedup in result.speedups)
    detail = (
        f"{result.articles} articles; one process {serial.retag_s:.1f} s, "
        f"two workers {parallel.retag_s:.1f} s "
        f"(CPU {serial.retag_cpu_s:.1f} s vs {parallel.retag_cpu_s:.1f} s, {parallel.own_cpu_s:.1f} s of it "
        f"in the retag process: at most {idle_bound(serial, parallel):.2f}× on two idle cores); "
        f"rounds {shown}; load average up to {result.load:.1f} on {os.cpu_count()} cores"
    )
    return {"retag_speedup_2_cores": Measured(result.speedup, detail)}


def _child(database_url: str, workers: int) -> int:
    """In the measured child: the retag, timed from its start to its last commit."""
    from newsmon.retag import retag

    startup_cpu = time.process_time()
    started = time.perf_counter()
    report = retag(database_url=database_url, workers=workers, everything=True)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "retagged": report.retagged, "failed": report.failed,
                      "workers": report.workers, "startup_cpu_s": startup_cpu,
                      "own_cpu_s": time.process_time() - startup_cpu}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.retag", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="articles in the store (default 2000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of 1 and 2 workers (default 3)")
    parser.add_argument("--child", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, args.workers)
    result = measure(args.size, args.rounds, log=lambda line: print(line, file=sys.stderr, flush=True))
    shown = ", ".join(f"{speedup:.2f}×" for speedup in result.speedups)
    print(f"retag_speedup_2_cores: {result.speedup:.2f}× on {result.articles} articles (rounds: {shown}; "
          f"load average up to {result.load:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
