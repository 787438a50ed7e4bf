"""The crawl part's headline figures (:mod:`benchmarks.figures`) from a run of the crawl suite."""

from __future__ import annotations

from benchmarks.figures import Measured
from benchmarks.report import marginal, ms, rate, scrapy_alone_ms
from benchmarks.suite import PEER_SOURCES, Report

PEER_FIGURES = ("cpu_per_article_vs_peer", "articles_per_s_vs_peer", "peak_rss_vs_peer")


def crawl_figures(report: Report) -> dict[str, Measured]:
    """newsmon against the peer (same sources, same mirror, one after the other) and against
    Scrapy alone + the floor (at the main size)."""
    out: dict[str, Measured] = {}
    if report.peer and report.newsmon_peer_set:
        peer, ours = report.peer, report.newsmon_peer_set
        peer_rate = peer.articles / peer.usage.wall_s
        sources = ", ".join(PEER_SOURCES)
        out["cpu_per_article_vs_peer"] = Measured(
            ms(ours.usage.cpu_s, ours.articles) / ms(peer.usage.cpu_s, peer.articles),
            f"{ms(ours.usage.cpu_s, ours.articles):.1f} vs {ms(peer.usage.cpu_s, peer.articles):.1f} ms "
            f"per article ({sources})",
        )
        out["articles_per_s_vs_peer"] = Measured(
            rate(ours) / peer_rate, f"{rate(ours):.1f} vs {peer_rate:.1f} articles/s"
        )
        out["peak_rss_vs_peer"] = Measured(
            ours.peak_rss_mb / peer.usage.peak_rss_mb,
            f"{ours.peak_rss_mb:.0f} vs {peer.usage.peak_rss_mb:.0f} MB",
        )
    else:
        for name in PEER_FIGURES:
            out[name] = Measured.missing("the peer was not run (--no-peer)")
    main = report.growth.get(report.main_size)
    if main and report.floor and report.scrapy:
        least = scrapy_alone_ms(report) + ms(report.floor.cpu_s, report.floor.pages)
        steps = dict(marginal(report))
        if report.main_size in steps:
            newsmon_ms, which = steps[report.main_size], "per additional article"
        else:
            newsmon_ms, which = ms(main.usage.cpu_s, main.articles), "start-up included (one size only)"
        out["cpu_vs_scrapy_plus_floor"] = Measured(
            newsmon_ms / least, f"{newsmon_ms:.1f} ms {which} vs {least:.1f} ms, {main.articles} articles"
        )
    else:
        out["cpu_vs_scrapy_plus_floor"] = Measured.missing("the floor and Scrapy alone were not measured")
    return out
