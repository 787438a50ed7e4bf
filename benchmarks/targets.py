"""The crawl-cost targets against the peer (issue 22, part 1), and their figures by stable name.

* CPU per article ≤ the peer's (1.0×), although newsmon also tags, clusters and stores;
* articles/s ≥ 2× the peer's;
* peak memory ≤ 2× the peer's;
* CPU within 1.5× of "Scrapy alone + the floor".

All four compare measurements of one run: the peer and newsmon crawl the same sources of the
same mirror one right after the other; Scrapy alone and the floor are measured right after
newsmon's main crawl.
"""

from __future__ import annotations

from benchmarks.crawl import CrawlResult
from benchmarks.suite import Report

CPU_VS_PEER = 1.0
RATE_VS_PEER = 2.0
MEMORY_VS_PEER = 2.0
VS_SCRAPY_PLUS_FLOOR = 1.5


def ms(seconds: float, count: int) -> float:
    return seconds / count * 1000 if count else float("nan")


def sizes_run(report: Report) -> list[int]:
    return [size for size in report.sizes if size in report.growth]


def marginal(report: Report) -> list[tuple[int, float]]:
    """(size, CPU ms per article between the previous size and this one): start-up cancels out."""
    sizes = sizes_run(report)
    out = []
    for small, large in zip(sizes, sizes[1:], strict=False):
        a, b = report.growth[small], report.growth[large]
        if b.articles > a.articles:
            out.append((large, (b.usage.cpu_s - a.usage.cpu_s) / (b.articles - a.articles) * 1000))
    return out


def scrapy_alone_ms(report: Report) -> float:
    """Scrapy's own CPU per page fetched, start-up left out."""
    assert report.scrapy is not None
    return ms(report.scrapy.crawl_cpu_s, report.scrapy.pages)


def newsmon_memory_mb(result: CrawlResult) -> float:
    """newsmon's peak memory as the target compares it: the sampled PSS of the crawl process and
    its tagging worker together (the peaks of their RSS count the pages the forked worker shares
    with the crawl process twice); their RSS peaks added up where no PSS was sampled."""
    return result.usage.peak_pss_mb or result.peak_rss_mb


def peer_memory_mb(report: Report) -> float:
    assert report.peer is not None
    usage = report.peer.usage
    return usage.peak_pss_mb or usage.peak_rss_mb


def figures(report: Report) -> dict[str, float | None]:
    """``cpu_per_article_vs_peer``, ``articles_per_s_vs_peer``, ``peak_rss_vs_peer`` and
    ``cpu_vs_scrapy_plus_floor`` (None where the run did not measure it)."""
    out: dict[str, float | None] = dict.fromkeys(
        ("cpu_per_article_vs_peer", "articles_per_s_vs_peer", "peak_rss_vs_peer", "cpu_vs_scrapy_plus_floor")
    )
    if report.peer and report.newsmon_peer_set and report.peer.articles:
        peer, ours = report.peer, report.newsmon_peer_set
        peer_cpu = ms(peer.usage.cpu_s, peer.articles)
        out["cpu_per_article_vs_peer"] = round(ms(ours.usage.cpu_s, ours.articles) / peer_cpu, 3)
        peer_rate = peer.articles / peer.usage.wall_s
        out["articles_per_s_vs_peer"] = round(ours.articles / ours.usage.wall_s / peer_rate, 3)
        out["peak_rss_vs_peer"] = round(newsmon_memory_mb(ours) / peer_memory_mb(report), 3)
    extra = dict(marginal(report)).get(report.main_size)
    if report.floor and report.scrapy and extra is not None:
        least = scrapy_alone_ms(report) + ms(report.floor.cpu_s, report.floor.pages)
        out["cpu_vs_scrapy_plus_floor"] = round(extra / least, 3)
    return out


def verdicts(report: Report) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) rows of the four targets."""
    found = figures(report)
    rows: list[tuple[str, str, bool | None]] = []
    load = f" (load {report.loads['peer']:.1f})" if "peer" in report.loads else ""
    cpu, rate = found["cpu_per_article_vs_peer"], found["articles_per_s_vs_peer"]
    memory = found["peak_rss_vs_peer"]
    pair = report.newsmon_peer_set is not None and report.peer is not None
    if cpu is not None and rate is not None and memory is not None and pair:
        assert report.newsmon_peer_set is not None and report.peer is not None
        rows.append((f"CPU per article ≤ {CPU_VS_PEER:g}× the peer's", f"{cpu:.2f}× the peer's{load}",
                     cpu <= CPU_VS_PEER))
        rows.append((f"articles/s ≥ {RATE_VS_PEER:g}× the peer's", f"{rate:.2f}× the peer's{load}",
                     rate >= RATE_VS_PEER))
        ours, theirs = report.newsmon_peer_set, report.peer.usage
        rss = ours.peak_rss_mb / theirs.peak_rss_mb
        rows.append((
            f"peak memory ≤ {MEMORY_VS_PEER:g}× the peer's",
            f"{memory:.2f}× the peer's: {newsmon_memory_mb(ours):.0f} against "
            f"{peer_memory_mb(report):.0f} MB "
            f"(PSS of the process tree, sampled); the processes' RSS peaks added up: {ours.peak_rss_mb:.0f} "
            f"against {theirs.peak_rss_mb:.0f} MB, {rss:.2f}×",
            memory <= MEMORY_VS_PEER,
        ))
    ratio = found["cpu_vs_scrapy_plus_floor"]
    if ratio is not None:
        main_load = f" (load {report.loads['main']:.1f})" if "main" in report.loads else ""
        rows.append((f"CPU within {VS_SCRAPY_PLUS_FLOOR:g}× of Scrapy alone + the floor",
                     f"{ratio:.2f}× per additional article{main_load}", ratio <= VS_SCRAPY_PLUS_FLOOR))
    return rows
