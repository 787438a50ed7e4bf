"""The benchmark tables (Markdown) and the verdicts against the targets."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime

from benchmarks.crawl import CrawlResult
from benchmarks.suite import PEER_SOURCES, Report
from benchmarks.targets import marginal, ms, scrapy_alone_ms, sizes_run
from benchmarks.targets import verdicts as peer_verdicts

STAGES = ("extract", "language", "country", "period", "relevance", "topic", "facts", "cluster", "store")
TARGET_FLOOR_RATIO = 2.0
LINEAR_TOLERANCE = 1.3
"""The marginal CPU per article of the largest step may exceed the first step's by this factor
and still count as linear growth."""
FLAT_MEMORY_TOLERANCE = 1.25


def row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def rate(result: CrawlResult) -> float:
    return result.articles / result.usage.wall_s


def in_extractions(result: CrawlResult) -> float | None:
    """The crawl's CPU in articles' worth of its own extraction CPU (None without the probe's
    extract stage): a measure of the crawl's work that the machine's speed cancels out of,
    extraction being the same work per article and timed during the same crawl."""
    extract_s = result.stages.get("extract", 0.0)
    if extract_s <= 0 or not result.articles:
        return None
    return result.usage.cpu_s / (extract_s / result.articles)


def marginal_extractions(report: Report) -> list[tuple[int, float]]:
    """(size, CPU per article between the previous size and this one, as a multiple of one
    article's extraction in the same crawl). Crawls of the growth series are minutes apart and
    the machine's speed drifts by tens of percent meanwhile: in milliseconds a machine that
    slowed down passes for growth worse than linear, in this unit it does not. Empty without the
    extract stage's times."""
    sizes = sizes_run(report)
    out = []
    for small, large in zip(sizes, sizes[1:], strict=False):
        a, b = report.growth[small], report.growth[large]
        units_a, units_b = in_extractions(a), in_extractions(b)
        if units_a is None or units_b is None or b.articles <= a.articles:
            return []
        out.append((large, (units_b - units_a) / (b.articles - a.articles)))
    return out


def marginal_stages(report: Report) -> dict[str, float] | None:
    """Per-stage CPU ms per article between the main size and the size before it."""
    sizes = sizes_run(report)
    if report.main_size not in sizes or sizes.index(report.main_size) == 0:
        return None
    small = report.growth[sizes[sizes.index(report.main_size) - 1]]
    large = report.growth[report.main_size]
    count = large.articles - small.articles
    if count <= 0:
        return None
    out = {stage: ms(large.stages.get(stage, 0.0) - small.stages.get(stage, 0.0), count) for stage in STAGES}
    out["total"] = ms(large.usage.cpu_s - small.usage.cpu_s, count)
    return out


def required_parts_ms(report: Report) -> float | None:
    """Scrapy alone plus newsmon's own stages (extract, tags, MinHash, store) per additional
    article: what newsmon's design costs before discovery (feeds, listings), the resumable
    scheduler and politeness, none of which a floor-relative budget can make room for."""
    split = marginal_stages(report)
    if report.scrapy is None or split is None:
        return None
    return scrapy_alone_ms(report) + sum(split[stage] for stage in STAGES)


def verdicts(report: Report) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) rows."""
    rows: list[tuple[str, str, bool | None]] = peer_verdicts(report)
    main = report.growth.get(report.main_size)
    if main and report.floor:
        floor_ms = ms(report.floor.cpu_s, report.floor.pages)
        ratio = ms(main.usage.cpu_s, main.articles) / floor_ms
        measured = f"{ratio:.2f}× (start-up included)"
        steps = dict(marginal(report))
        if report.main_size in steps:
            measured += f"; {steps[report.main_size] / floor_ms:.2f}× per additional article"
        if report.scrapy:
            alone = scrapy_alone_ms(report) / floor_ms
            measured += f" — Scrapy fetching the pages, nothing else: {alone:.2f}×"
        required = required_parts_ms(report)
        if required is not None:
            measured += f"; Scrapy alone + newsmon's own stages: {required / floor_ms:.2f}×"
        rows.append((f"(withdrawn) CPU per article ≤ {TARGET_FLOOR_RATIO:g}× the floor", measured, None))
    sizes = sizes_run(report)
    if len(sizes) >= 2:
        first, last = report.growth[sizes[0]], report.growth[sizes[-1]]
        rows.append(_linear_time(report))
        memory = last.peak_rss_mb / first.peak_rss_mb
        rows.append(
            (
                "memory flat in the number of articles",
                f"peak RSS {first.peak_rss_mb:.0f} → {last.peak_rss_mb:.0f} MB "
                f"({memory:.2f}× for {last.articles / max(first.articles, 1):.1f}× the articles)",
                memory <= FLAT_MEMORY_TOLERANCE,
            )
        )
    if report.unchanged:
        rows.append(
            (
                "0 article re-fetches on an unchanged site",
                f"{report.unchanged.article_requests} article requests",
                report.unchanged.article_requests == 0,
            )
        )
    if report.fresh:
        fresh = report.fresh
        rows.append(
            (
                f"the {report.fresh_expected} new articles found, nothing else fetched",
                f"{fresh.new} stored, {fresh.article_requests} article requests",
                fresh.new == report.fresh_expected and fresh.article_requests == report.fresh_expected,
            )
        )
    return rows


def _linear_time(report: Report) -> tuple[str, str, bool]:
    """The growth of the marginal CPU per article from the first step to the last, judged in
    multiples of the crawls' own extraction CPU when the probe timed it (milliseconds otherwise)."""
    target = "time linear in the number of articles"
    steps = marginal(report)
    raw_growth = steps[-1][1] / steps[0][1] if len(steps) >= 2 else 1.0
    measured = f"marginal CPU/article {steps[0][1]:.1f} → {steps[-1][1]:.1f} ms ({raw_growth:.2f}×)"
    relative = marginal_extractions(report)
    if len(relative) < 2:
        return target, measured, raw_growth <= LINEAR_TOLERANCE
    growth = relative[-1][1] / relative[0][1]
    measured += (
        f"; in the crawl's own extraction CPU per article {relative[0][1]:.2f} → {relative[-1][1]:.2f}× "
        f"({growth:.2f}×)"
    )
    return target, measured, growth <= LINEAR_TOLERANCE


def _crawl_row(label: str, r: CrawlResult) -> str:
    u = r.usage
    return row(
        label,
        r.articles,
        f"{u.wall_s:.1f}",
        f"{rate(r):.1f}",
        f"{u.cpu_s:.1f}",
        f"{ms(u.cpu_s, r.articles):.1f}",
        f"{r.peak_rss_mb:.0f}",
        f"{r.requests / max(r.articles, 1):.2f}",
    )


def markdown(report: Report) -> str:
    lines: list[str] = []
    add = lines.append
    when = datetime.fromtimestamp(report.finished or report.started, UTC).strftime("%Y-%m-%d %H:%M UTC")
    minutes = ((report.finished or report.started) - report.started) / 60
    add(
        f"Measured {when} on {os.cpu_count()} cores ({platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}) by `{report.command or 'python -m benchmarks'}` "
        f"in {minutes:.1f} min. The machine is shared, so absolute times are noisy; ratios compare "
        "measurements of the same run."
    )
    add("")
    main = report.growth.get(report.main_size)
    steps = dict(marginal(report))
    if main:
        add(
            f"**newsmon**: full crawl + pipeline + SQLite store of the mirror, "
            f"{main.articles} articles of the four sites"
        )
        add("")
        add(
            row(
                "crawl",
                "articles",
                "wall s",
                "articles/s",
                "CPU s",
                "CPU ms/article",
                "peak RSS MB",
                "requests/article",
            )
        )
        add(row(*["---"] * 8))
        add(_crawl_row("`newsmon crawl --mirror URL`", main))
        add("")
        add(
            "CPU is the crawl process's and its tagging worker processes' (`crawlers/tagging.py`); "
            "peak RSS adds up the peaks of those processes."
        )
        add("")
    if main and report.floor:
        fl = report.floor
        newsmon_ms, floor_ms = ms(main.usage.cpu_s, main.articles), ms(fl.cpu_s, fl.pages)
        add("**Floor**: bare `trafilatura.bare_extraction(html)` over the same pages, held in memory")
        add("")
        add(row("", "pages", "CPU ms/article", "newsmon / floor"))
        add(row(*["---"] * 4))
        add(row(f"floor ({fl.mean_page_kb:.0f} KB pages)", fl.pages, f"{floor_ms:.1f}", ""))
        ratio = f"**{newsmon_ms / floor_ms:.2f}×**"
        add(row("newsmon, start-up included", main.articles, f"{newsmon_ms:.1f}", ratio))
        if report.main_size in steps:
            extra = steps[report.main_size]
            add(row("newsmon, per additional article", "", f"{extra:.1f}", f"{extra / floor_ms:.2f}×"))
        if report.scrapy:
            alone = scrapy_alone_ms(report)
            add(
                row(
                    "Scrapy alone: the same pages fetched, nothing else (start-up left out)",
                    report.scrapy.pages,
                    f"{alone:.1f}",
                    f"{alone / floor_ms:.2f}×",
                )
            )
            add(
                row(
                    "Scrapy alone + the floor: the least a Scrapy crawler extracting with trafilatura spends",
                    "",
                    f"{alone + floor_ms:.1f}",
                    f"{(alone + floor_ms) / floor_ms:.2f}×",
                )
            )
        required = required_parts_ms(report)
        if required is not None:
            add(
                row(
                    "Scrapy alone + newsmon's own stages per additional article (extract, language, tags, "
                    "MinHash, store): newsmon before feeds, listings, resumable scheduler and politeness",
                    "",
                    f"{required:.1f}",
                    f"{required / floor_ms:.2f}×",
                )
            )
        add("")
        if len(report.round_ratios) > 1:
            shown = ", ".join(f"{ratio:.2f}×" for ratio in report.round_ratios)
            add(
                f"newsmon / floor in {len(report.round_ratios)} rounds of crawl, floor and Scrapy alone, "
                f"each measured together: {shown}; the round with the median is shown."
            )
            add("")
        if report.scrapy:
            add(
                "Scrapy alone is a bare spider given the article URLs (`benchmarks/scrapy_fetch.py`: "
                "Scrapy's defaults, no robots.txt, no delay, 16 requests at once, no feeds, listings, "
                "parsing, storing or job state), measured right after the floor."
            )
            add("")
    split = marginal_stages(report)
    if main and main.stages:
        add("**Where newsmon's CPU goes**")
        add("")
        header = ["stage", "ms/article (main run)", "share"]
        if split:
            header += ["ms per additional article", "share"]
        add(row(*header))
        add(row(*["---"] * len(header)))
        total = main.usage.cpu_s
        for stage in STAGES:
            seconds = main.stages.get(stage, 0.0)
            cells = [stage, f"{ms(seconds, main.articles):.2f}", f"{seconds / total:.0%}"]
            if split:
                cells += [f"{split[stage]:.2f}", f"{split[stage] / split['total']:.0%}"]
            add(row(*cells))
        rest = total - sum(main.stages.get(stage, 0.0) for stage in STAGES)
        cells = ["crawling: Scrapy, feeds/listings/pages, routing, bookkeeping, start-up"]
        cells += [f"{ms(rest, main.articles):.2f}", f"{rest / total:.0%}"]
        if split:
            rest_split = split["total"] - sum(split[stage] for stage in STAGES)
            cells += [f"{rest_split:.2f}", f"{rest_split / split['total']:.0%}"]
        add(row(*cells))
        cells = ["**total**", f"**{ms(total, main.articles):.2f}**", "100%"]
        if split:
            cells += [f"**{split['total']:.2f}**", "100%"]
        add(row(*cells))
        add("")
        add(
            "Stage times of the main run include loading models and lexicons on first use (and the "
            "crawling row includes the process start-up); the columns per additional article are the "
            "difference to the next smaller run, where those cancel out."
        )
        add("")
    if report.peer and report.newsmon_peer_set:
        peer, ours = report.peer, report.newsmon_peer_set
        add(
            "**Peer**: trafilatura's own feed discovery + `fetch_url` (16 threads) + "
            "`extract(with_metadata)`, "
            f"against newsmon on the same sources ({', '.join(PEER_SOURCES)}) of the same mirror"
        )
        add("")
        columns = ("articles", "wall s", "articles/s", "CPU s", "CPU ms/article", "peak RSS MB")
        add(row("", *columns, "peak PSS MB"))
        add(row(*["---"] * 8))
        peer_rate = peer.articles / peer.usage.wall_s
        add(
            row(
                "peer (trafilatura)",
                peer.articles,
                f"{peer.usage.wall_s:.1f}",
                f"{peer_rate:.1f}",
                f"{peer.usage.cpu_s:.1f}",
                f"{ms(peer.usage.cpu_s, peer.articles):.1f}",
                f"{peer.usage.peak_rss_mb:.0f}",
                f"{peer.usage.peak_pss_mb:.0f}",
            )
        )
        add(
            row(
                "newsmon",
                ours.articles,
                f"{ours.usage.wall_s:.1f}",
                f"{rate(ours):.1f}",
                f"{ours.usage.cpu_s:.1f}",
                f"{ms(ours.usage.cpu_s, ours.articles):.1f}",
                f"{ours.peak_rss_mb:.0f}",
                f"{ours.usage.peak_pss_mb:.0f}",
            )
        )
        cpu = ms(ours.usage.cpu_s, ours.articles) / ms(peer.usage.cpu_s, peer.articles)
        ratios = (f"**{rate(ours) / peer_rate:.2f}×**", "", f"**{cpu:.2f}×**", "", "")
        add(row("**newsmon / peer**", "", "", *ratios))
        add("")
        add(
            f"The peer found {peer.links} links in the feeds and extracted {peer.articles} mirror articles, "
            f"{peer.same_as_newsmon} of them among the {ours.articles} newsmon stored."
        )
        add("")
    sizes = sizes_run(report)
    if sizes:
        add("**Growth**")
        add("")
        relative = dict(marginal_extractions(report))
        add(
            row(
                "mirror",
                "articles",
                "wall s",
                "articles/s",
                "CPU ms/article",
                "extraction ms/article",
                "marginal CPU ms/article",
                "marginal, in extractions",
                "peak RSS MB",
            )
        )
        add(row(*["---"] * 9))
        for size in sizes:
            r = report.growth[size]
            extract_s = r.stages.get("extract", 0.0)
            add(
                row(
                    f"~{size}",
                    r.articles,
                    f"{r.usage.wall_s:.1f}",
                    f"{rate(r):.1f}",
                    f"{ms(r.usage.cpu_s, r.articles):.1f}",
                    f"{ms(extract_s, r.articles):.2f}" if extract_s else "–",
                    f"{steps[size]:.1f}" if size in steps else "–",
                    f"{relative[size]:.2f}×" if size in relative else "–",
                    f"{r.peak_rss_mb:.0f}",
                )
            )
        add("")
        if relative:
            add(
                "The machine's speed drifts by tens of percent between crawls minutes apart, so growth is "
                "judged in multiples of each crawl's own extraction CPU per article (timed in the same "
                "crawl, the same work per article at every size), not in milliseconds."
            )
            add("")
    if report.unchanged or report.fresh:
        add(f"**Incremental crawls** of the ~{report.main_size}-article database")
        add("")
        add(
            row("crawl", "requests", "article requests", "per stored article", "new articles stored", "CPU s")
        )
        add(row(*["---"] * 6))
        if report.unchanged:
            u = report.unchanged
            add(
                row(
                    "the same mirror again",
                    u.requests,
                    u.article_requests,
                    f"{u.article_requests / max(u.articles, 1):.3f}",
                    u.new,
                    f"{u.usage.cpu_s:.1f}",
                )
            )
        if report.fresh:
            f = report.fresh
            add(
                row(
                    f"after {report.fresh_expected} new articles appeared",
                    f.requests,
                    f.article_requests,
                    f"{f.article_requests / max(report.stored_before_fresh, 1):.3f}",
                    f.new,
                    f"{f.usage.cpu_s:.1f}",
                )
            )
        add("")
    rows = verdicts(report)
    if rows:
        add("**Targets**")
        add("")
        add(row("target", "measured", "met"))
        add(row(*["---"] * 3))
        for target, measured, met in rows:
            add(row(target, measured, "yes" if met else "no" if met is not None else "–"))
        add("")
    errors = {size: r.errors for size, r in report.growth.items() if r.errors}
    if errors:
        add(f"Crawl errors recorded: {errors}.")
        add("")
    return "\n".join(lines)
