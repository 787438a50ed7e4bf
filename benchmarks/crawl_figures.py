"""The crawl part's headline figures (:mod:`benchmarks.figures`) from a run of the crawl suite:
the values of :func:`benchmarks.targets.figures` (the one place the four ratios are computed),
each with a few words on what was compared."""

from __future__ import annotations

from benchmarks.figures import Measured
from benchmarks.report import rate
from benchmarks.suite import PEER_SOURCES, Report
from benchmarks.targets import figures, marginal, ms, newsmon_memory_mb, peer_memory_mb, scrapy_alone_ms

PEER_FIGURES = ("cpu_per_article_vs_peer", "articles_per_s_vs_peer", "peak_rss_vs_peer")


def crawl_figures(report: Report) -> dict[str, Measured]:
    """newsmon against the peer (same sources, same mirror, one after the other) and against
    Scrapy alone + the floor (at the main size)."""
    values = figures(report)
    out: dict[str, Measured] = {}
    if report.peer and report.newsmon_peer_set and values["cpu_per_article_vs_peer"] is not None:
        peer, ours = report.peer, report.newsmon_peer_set
        sources = ", ".join(PEER_SOURCES)
        out["cpu_per_article_vs_peer"] = Measured(
            values["cpu_per_article_vs_peer"],
            f"{ms(ours.usage.cpu_s, ours.articles):.1f} vs {ms(peer.usage.cpu_s, peer.articles):.1f} ms "
            f"per article ({sources})",
        )
        out["articles_per_s_vs_peer"] = Measured(
            values["articles_per_s_vs_peer"],
            f"{rate(ours):.1f} vs {peer.articles / peer.usage.wall_s:.1f} articles/s",
        )
        out["peak_rss_vs_peer"] = Measured(
            values["peak_rss_vs_peer"],
            f"{newsmon_memory_mb(ours):.0f} vs {peer_memory_mb(report):.0f} MB (PSS of each process tree)",
        )
    else:
        for name in PEER_FIGURES:
            out[name] = Measured.missing("the peer was not run (--no-peer)")
    main = report.growth.get(report.main_size)
    ratio = values["cpu_vs_scrapy_plus_floor"]
    if main and report.floor and report.scrapy and ratio is not None:
        least = scrapy_alone_ms(report) + ms(report.floor.cpu_s, report.floor.pages)
        newsmon_ms = dict(marginal(report))[report.main_size]
        out["cpu_vs_scrapy_plus_floor"] = Measured(
            ratio, f"{newsmon_ms:.1f} ms per additional article vs {least:.1f} ms, {main.articles} articles"
        )
    else:
        out["cpu_vs_scrapy_plus_floor"] = Measured.missing(
            "the floor and Scrapy alone were not measured at two sizes"
        )
    return out
