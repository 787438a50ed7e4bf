"""The benchmark run: growth series, floor, peer and incremental crawls, in one process.

Every figure of one report comes from the same run on the same machine, so ratios are fair even
when the machine is busy (absolute times on a shared machine are not). The mirror runs in this
process; the crawls and the peer run as child processes, whose CPU and memory are measured alone.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.crawl import CrawlResult, crawl, prepare
from benchmarks.floor import FloorResult, fetch_pages, floor
from benchmarks.measure import Usage, child_env, run_measured
from benchmarks.scrapy_fetch import ScrapyFetchResult
from benchmarks.scrapy_fetch import measure as scrapy_fetch
from core.urls import canonical_url
from mirror import MirrorServer, articles
from mirror.synthetic import synthetic_sources

FIXTURE_ARTICLES = len(articles())
SITES = len(synthetic_sources())
"""Sites that get synthetic articles (the police sites; the outlets have fixtures only)."""
PEER_SOURCES = ("polisia_kz", "akn_tj")
"""The sources whose feeds page through every article: the peer reads those."""
FRESH_PER_SITE = 5


def synthetic_for(size: int) -> int:
    """Synthetic articles per site for a mirror of about ``size`` articles."""
    return max(0, round((size - FIXTURE_ARTICLES) / SITES))


@dataclass
class PeerResult:
    usage: Usage
    links: int
    articles: int
    """Extracted documents that are articles of the mirror."""
    same_as_newsmon: int
    """Of those, articles newsmon stored in its crawl of the same sources."""


@dataclass
class Report:
    sizes: list[int]
    main_size: int
    growth: dict[int, CrawlResult] = field(default_factory=dict)
    floor: FloorResult | None = None
    scrapy: ScrapyFetchResult | None = None
    """Scrapy alone fetching the floor's pages: the least a Scrapy crawler spends besides extracting."""
    peer: PeerResult | None = None
    newsmon_peer_set: CrawlResult | None = None
    unchanged: CrawlResult | None = None
    fresh: CrawlResult | None = None
    fresh_expected: int = 0
    stored_before_fresh: int = 0
    rounds: int = 1
    """Rounds of newsmon's crawl, the floor and Scrapy alone at the main size (the median is reported)."""
    round_ratios: list[float] = field(default_factory=list)
    """newsmon / floor of every round."""
    loads: dict[str, float] = field(default_factory=dict)
    """The machine's 1-minute load average right after the main round (``main``) and the peer
    pair (``peer``): the machine is shared, and its load says how much the figures may drift."""
    started: float = field(default_factory=time.time)
    finished: float = 0.0
    command: str = ""


def run(
    sizes: Sequence[int],
    main_size: int,
    *,
    peer: bool = True,
    rounds: int = 1,
    work: Path | None = None,
    log: Callable[[str], None] = print,
) -> Report:
    report = Report(sizes=sorted(sizes), main_size=main_size, rounds=max(1, rounds))
    base = Path(work or tempfile.mkdtemp(prefix="newsmon-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        for size in report.sizes:
            _size_run(report, size, base, peer=peer, log=log)
    finally:
        if work is None:
            shutil.rmtree(base, ignore_errors=True)
    report.finished = time.time()
    return report


def _size_run(report: Report, size: int, base: Path, *, peer: bool, log: Callable[[str], None]) -> None:
    synthetic = synthetic_for(size)
    with MirrorServer(synthetic=synthetic) as mirror:
        directory = base / f"crawl-{size}"
        database = prepare(directory)
        log(f"[{size}] newsmon crawl of {len(mirror.articles)} articles …")
        result = crawl(mirror, directory, database)
        report.growth[size] = result
        log(
            f"[{size}] {result.articles} stored in {result.usage.wall_s:.1f} s, "
            f"{result.usage.cpu_s:.1f} s CPU"
        )
        if size != report.main_size:
            return
        _floor_rounds(report, mirror, base, log)
        log(f"[{size}] incremental: the same mirror again …")
        report.unchanged = crawl(mirror, directory, database)
        if peer:
            _peer_pair(report, mirror, base, log)
    report.stored_before_fresh = report.unchanged.articles if report.unchanged else 0
    with MirrorServer(synthetic=synthetic, fresh=FRESH_PER_SITE) as fresh:
        old = {a.url for a in articles(synthetic)}
        assert old <= {a.url for a in fresh.articles}, "the fresh mirror keeps every old article"
        report.fresh_expected = len(fresh.articles) - len(old)
        log(f"[{size}] incremental: {report.fresh_expected} articles published since …")
        report.fresh = crawl(fresh, directory, database)


@dataclass
class FloorRound:
    """newsmon's crawl, the floor and Scrapy alone, measured one right after the other."""

    crawl: CrawlResult
    floor: FloorResult
    scrapy: ScrapyFetchResult

    @property
    def ratio(self) -> float:
        """newsmon's CPU per article over the floor's."""
        return (self.crawl.usage.cpu_s / self.crawl.articles) / (self.floor.cpu_s / self.floor.pages)


def median_round(rounds: Sequence[FloorRound]) -> FloorRound:
    """The round whose newsmon / floor ratio is the median (the higher middle one of an even count)."""
    return sorted(rounds, key=lambda r: r.ratio)[len(rounds) // 2]


def _floor_rounds(report: Report, mirror: MirrorServer, base: Path, log: Callable[[str], None]) -> None:
    """``report.rounds`` rounds of (crawl, floor, Scrapy alone) at the main size; the round with
    the median ratio to the floor is the one reported. The machine's speed drifts by tens of
    percent within minutes when it is shared: each ratio compares measurements taken together,
    and the median of several keeps one unlucky minute out of the verdict."""
    size, urls = report.main_size, [a.url for a in mirror.articles]
    pages = fetch_pages(mirror)
    measured: list[FloorRound] = []
    for number in range(report.rounds):
        if number == 0:
            newsmon = report.growth[size]
        else:
            log(f"[{size}] round {number + 1} of {report.rounds}: newsmon crawl …")
            directory = base / f"crawl-{size}-round-{number + 1}"
            newsmon = crawl(mirror, directory, prepare(directory))
        log(f"[{size}] floor: bare_extraction over the same {len(pages)} pages …")
        floor_result = floor(pages)
        log(f"[{size}] Scrapy alone: fetching the same {len(urls)} pages …")
        alone = scrapy_fetch(mirror.url, urls, base / f"scrapy-fetch-{number + 1}")
        measured.append(FloorRound(crawl=newsmon, floor=floor_result, scrapy=alone))
        log(f"[{size}] round {number + 1}: newsmon / floor {measured[-1].ratio:.2f}×")
    report.round_ratios = [r.ratio for r in measured]
    report.loads["main"] = os.getloadavg()[0]
    chosen = median_round(measured)
    report.growth[size], report.floor, report.scrapy = chosen.crawl, chosen.floor, chosen.scrapy


def _peer_pair(report: Report, mirror: MirrorServer, base: Path, log: Callable[[str], None]) -> None:
    """The peer and newsmon on the same sources of the same mirror, one after the other."""
    from config import load_sources

    feeds = [feed for source in PEER_SOURCES for feed in load_sources().source(source).feeds]
    directory = base / "peer"
    directory.mkdir(exist_ok=True)
    output = directory / "peer.jsonl"
    log(f"peer: trafilatura on the feeds of {', '.join(PEER_SOURCES)} …")
    usage = run_measured(
        [sys.executable, "-m", "benchmarks.peer", "--mirror", mirror.url, "--output", str(output)]
        + [arg for feed in feeds for arg in ("--feed", feed)],
        env=child_env(),
        cwd=directory,
    )
    if usage.returncode != 0:
        raise RuntimeError(f"peer failed:\n{usage.stderr[-4000:]}")
    summary: dict[str, Any] = json.loads(usage.stdout.strip().splitlines()[-1])
    known = {canonical_url(a.url) for a in mirror.articles}
    extracted = set()
    for line in output.read_text("utf-8").splitlines():
        url = canonical_url(json.loads(line)["url"])
        if url in known:
            extracted.add(url)
    log(f"newsmon: crawl of {', '.join(PEER_SOURCES)} …")
    own = base / "newsmon-peer-set"
    result = crawl(mirror, own, prepare(own), sources=PEER_SOURCES)
    report.newsmon_peer_set = result
    report.loads["peer"] = os.getloadavg()[0]
    stored = _stored_urls(own / "newsmon.sqlite")
    report.peer = PeerResult(
        usage=usage,
        links=int(summary["links"]),
        articles=len(extracted),
        same_as_newsmon=len(extracted & stored),
    )


def _stored_urls(path: Path) -> set[str]:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT canonical_url FROM articles")}
