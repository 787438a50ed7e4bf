"""The benchmark's tools on their own (the benchmark itself is ``make bench``, minutes long)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from benchmarks.__main__ import BEGIN, END, write_docs
from benchmarks.crawl import CrawlResult
from benchmarks.floor import FloorResult, fetch_pages, floor
from benchmarks.measure import Usage, child_env, run_measured
from benchmarks.probe_files import clear_probe, peak_rss_mb, read_totals
from benchmarks.report import markdown, verdicts
from benchmarks.scrapy_fetch import ScrapyFetchResult
from benchmarks.scrapy_fetch import measure as scrapy_fetch
from benchmarks.suite import (
    FIXTURE_ARTICLES,
    SITES,
    FloorRound,
    PeerResult,
    Report,
    median_round,
    synthetic_for,
)
from mirror import MirrorServer


def usage(wall: float, cpu: float, rss: float = 300.0) -> Usage:
    return Usage(wall_s=wall, cpu_s=cpu, peak_rss_mb=rss, returncode=0, stdout="", stderr="")


def result(articles: int, wall: float, cpu: float, **kwargs) -> CrawlResult:
    return CrawlResult(
        usage=usage(wall, cpu),
        articles=articles,
        new=kwargs.get("new", articles),
        errors={},
        requests=kwargs.get("requests", articles + 50),
        article_requests=kwargs.get("article_requests", articles),
        stages=kwargs.get("stages", {"extract": articles * 0.012, "store": articles * 0.004}),
    )


def test_a_child_is_measured_alone(tmp_path: Path) -> None:
    code = (
        "import time\nblock = bytearray(64 * 1024 * 1024)\n"
        "end = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    )
    measured = run_measured([sys.executable, "-c", code], env=child_env(), cwd=tmp_path)
    assert measured.returncode == 0
    assert measured.cpu_s >= 0.3
    assert measured.peak_rss_mb >= 64


def test_the_cpu_of_a_childs_worker_processes_is_measured_with_it(tmp_path: Path) -> None:
    code = (
        "import multiprocessing, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "def spin():\n"
        "    end = time.process_time() + 0.4\n"
        "    while time.process_time() < end: pass\n"
        "if __name__ == '__main__':\n"
        "    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('fork')) as pool:\n"
        "        pool.submit(spin).result()\n"
    )
    script = tmp_path / "worker.py"
    script.write_text(code, encoding="utf-8")
    measured = run_measured([sys.executable, str(script)], env=child_env(), cwd=tmp_path)
    assert measured.returncode == 0
    assert measured.cpu_s >= 0.4


def test_probe_files_of_the_crawl_and_its_workers_add_up(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    (tmp_path / "probe.100.json").write_text(
        json.dumps({"cpu_s": {"store": 2.0}, "counts": {}, "peak_rss_kb": 200 * 1024}), encoding="utf-8"
    )
    (tmp_path / "probe.101.json").write_text(
        json.dumps({"cpu_s": {"extract": 3.0, "store": 0.5}, "counts": {}, "peak_rss_kb": 100 * 1024}),
        encoding="utf-8",
    )
    assert read_totals(probe) == {"store": 2.5, "extract": 3.0}
    assert peak_rss_mb(probe) == 300
    clear_probe(probe)
    assert read_totals(probe) == {} and peak_rss_mb(probe) == 0


def test_the_peer_reaches_the_mirror_under_the_real_urls(tmp_path: Path) -> None:
    import trafilatura
    from trafilatura import downloads
    from trafilatura.settings import use_config

    from benchmarks.peer import MirrorPool, feed_links

    config = use_config()
    config.set("DEFAULT", "SSRF_PROTECTION", "off")
    saved = downloads.HTTP_POOL
    with MirrorServer() as mirror:
        try:
            downloads.HTTP_POOL = MirrorPool(mirror.url)
            links = feed_links("https://polisia.kz/ru/feed/", config)
            article = next(
                link for link in links if link.startswith("https://polisia.kz/ru/") and len(link) > 30
            )
            html = trafilatura.fetch_url(article, config=config)
            assert html and "<h1" in html
            assert trafilatura.fetch_url("https://polisia.kz/ru", config=config)  # 301 followed
        finally:
            downloads.HTTP_POOL = saved
        ru = [a for a in mirror.articles if a.source_id == "polisia_kz" and a.language == "ru"]
        assert {a.url for a in ru} <= set(links), "the paged feed lists every article"
        assert ("polisia.kz", "/ru/feed/?paged=2", 200) in mirror.requests


def test_the_floor_extracts_the_pages_held_in_memory() -> None:
    with MirrorServer() as mirror:
        pages = fetch_pages(mirror, [a.url for a in mirror.articles[:5]])
    measured = floor(pages)
    assert measured.pages == 5 and measured.cpu_s > 0 and measured.mean_page_kb > 1


def test_scrapy_alone_fetches_each_page_once_from_the_mirror_under_its_real_host(tmp_path: Path) -> None:
    with MirrorServer() as mirror:
        wanted = [a for a in mirror.articles if a.source_id in ("polisia_kz", "akn_tj")][:6]
        mirror.reset_log()
        measured = scrapy_fetch(mirror.url, [a.url for a in wanted], tmp_path)
        requests = mirror.requests
    assert measured.pages == 6
    assert measured.usage.cpu_s > measured.crawl_cpu_s > 0, "start-up is left out of the crawl's CPU"
    fetched = sorted((host, path) for host, path, status in requests if status == 200)
    assert fetched == sorted((a.host, urlsplit(a.url).path) for a in wanted)


def test_the_floor_table_shows_scrapy_alone_against_the_floor() -> None:
    report = Report(sizes=[1000], main_size=1000)
    report.growth = {1000: result(1001, 40, 38)}
    report.floor = FloorResult(pages=1001, cpu_s=10.0, wall_s=10.5, mean_page_kb=9)
    report.scrapy = ScrapyFetchResult(usage=usage(12, 9.0), pages=1001, crawl_cpu_s=8.0)
    text = markdown(report)
    assert (
        "| Scrapy alone: the same pages fetched, nothing else (start-up left out) | 1001 | 8.0 | 0.80× |"
        in text
    )
    assert "the least a Scrapy crawler extracting with trafilatura spends |  | 18.0 | 1.80× |" in text
    measured = {target: value for target, value, _ in verdicts(report)}
    assert measured["(withdrawn) CPU per article ≤ 2× the floor"].endswith(
        "Scrapy fetching the pages, nothing else: 0.80×"
    )


def test_the_floor_table_adds_newsmons_own_stages_to_scrapy_alone() -> None:
    report = Report(sizes=[500, 1000], main_size=1000)
    report.growth = {500: result(501, 25, 24), 1000: result(1001, 40, 38)}
    report.floor = FloorResult(pages=1000, cpu_s=10.0, wall_s=10.5, mean_page_kb=9)
    report.scrapy = ScrapyFetchResult(usage=usage(12, 9.0), pages=1000, crawl_cpu_s=8.0)
    # Per additional article: extract 12 ms and store 4 ms (see result()), Scrapy alone 8 ms.
    row = "newsmon before feeds, listings, resumable scheduler and politeness |  | 24.0 | 2.40× |"
    assert row in markdown(report)
    measured = {target: value for target, value, _ in verdicts(report)}
    floor_row = measured["(withdrawn) CPU per article ≤ 2× the floor"]
    assert floor_row.endswith("Scrapy alone + newsmon's own stages: 2.40×")


def test_report_tables_and_verdicts() -> None:
    report = Report(sizes=[500, 1000], main_size=1000)
    report.growth = {500: result(501, 25, 24), 1000: result(1001, 40, 38)}
    report.floor = FloorResult(pages=1001, cpu_s=10.0, wall_s=10.5, mean_page_kb=9)
    report.peer = PeerResult(usage=usage(20, 15, 170), links=510, articles=500, same_as_newsmon=500)
    report.newsmon_peer_set = result(501, 22, 21)
    report.unchanged = result(1001, 5, 5, new=0, requests=16, article_requests=0)
    report.fresh = result(1021, 6, 6, new=20, requests=39, article_requests=20)
    report.fresh_expected = 20
    text = markdown(report)
    assert "newsmon / floor" in text and "**3.80×**" in text
    assert "~500" in text and "~1000" in text
    met = {target: ok for target, _, ok in verdicts(report)}
    assert met["(withdrawn) CPU per article ≤ 2× the floor"] is None, "shown, not judged"
    assert met["articles/s ≥ 2× the peer's"] is False
    assert met["0 article re-fetches on an unchanged site"] is True
    assert met["the 20 new articles found, nothing else fetched"] is True
    assert met["memory flat in the number of articles"] is True
    assert synthetic_for(2000) * SITES + FIXTURE_ARTICLES in range(1995, 2006)


def test_the_tables_replace_what_is_between_the_markers(tmp_path: Path) -> None:
    docs = tmp_path / "benchmarks.md"
    docs.write_text(f"# Benchmarks\n\nprose\n\n{BEGIN}\nold\n{END}\n\nmore prose\n", "utf-8")
    write_docs(docs, "| new | table |")
    assert (
        docs.read_text("utf-8") == f"# Benchmarks\n\nprose\n\n{BEGIN}\n| new | table |\n{END}\n\nmore prose\n"
    )


def test_the_recorded_command_names_no_path_outside_the_repository() -> None:
    import argparse

    from benchmarks.__main__ import shown_arguments

    args = argparse.Namespace(
        quick=True,
        sizes=None,
        main_size=None,
        rounds=None,
        no_peer=False,
        no_scale=True,
        no_hosts=False,
        skip="",
        write_docs=Path("/somewhere/else/bench.md"),
        work=Path("/somewhere/work"),
    )
    assert shown_arguments(args) == ["--quick", "--no-scale", "--write-docs", "bench.md"]
    args.write_docs = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
    assert shown_arguments(args)[-1] == "docs/benchmarks.md"


def test_the_round_with_the_median_ratio_to_the_floor_is_reported() -> None:
    def round_of(newsmon_cpu: float, floor_cpu: float) -> FloorRound:
        return FloorRound(
            crawl=result(1000, 30, newsmon_cpu),
            floor=FloorResult(pages=1000, cpu_s=floor_cpu, wall_s=floor_cpu, mean_page_kb=9),
            scrapy=ScrapyFetchResult(usage=usage(10, 5), pages=1000, crawl_cpu_s=4.0),
        )

    slow_machine, fair, unlucky = round_of(30, 10), round_of(20, 6), round_of(40, 8)
    assert [r.ratio for r in (slow_machine, fair, unlucky)] == [3.0, pytest.approx(3.333, abs=1e-3), 5.0]
    assert median_round([unlucky, slow_machine, fair]) is fair


def test_the_floor_table_names_every_round() -> None:
    report = Report(sizes=[1000], main_size=1000, rounds=3)
    report.growth = {1000: result(1001, 40, 38)}
    report.floor = FloorResult(pages=1001, cpu_s=10.0, wall_s=10.5, mean_page_kb=9)
    report.round_ratios = [3.5, 3.8, 4.4]
    assert (
        "in 3 rounds of crawl, floor and Scrapy alone, each measured together: 3.50×, 3.80×, 4.40×"
        in markdown(report)
    )


def growth_report(cpu_s: dict[int, float], extract_ms: dict[int, float]) -> Report:
    """A growth series: each size's crawl CPU (s) and its extraction CPU per article (ms)."""
    report = Report(sizes=sorted(cpu_s), main_size=2000)
    for size, cpu in cpu_s.items():
        report.growth[size] = result(size, cpu, cpu, stages={"extract": extract_ms[size] * size / 1000})
    return report


def linear_time_row(report: Report) -> tuple[str, str, bool | None]:
    return {row[0]: row for row in verdicts(report)}["time linear in the number of articles"]


def test_a_machine_slowing_down_between_crawls_is_not_taken_for_worse_than_linear_growth() -> None:
    # 10 ms a marginal article at first, 15 ms at the end, while extraction went 2 → 3 ms an article.
    report = growth_report(
        {500: 10.0, 1000: 15.0, 2000: 27.0, 4000: 57.0}, {500: 2.0, 1000: 2.0, 2000: 2.4, 4000: 3.0}
    )
    _, measured, met = linear_time_row(report)
    assert "10.0 → 15.0 ms (1.50×)" in measured
    assert met is True, measured


def test_growth_worse_than_linear_on_a_steady_machine_is_reported() -> None:
    report = growth_report(
        {500: 10.0, 1000: 15.0, 2000: 27.0, 4000: 57.0}, dict.fromkeys((500, 1000, 2000, 4000), 2.0)
    )
    _, measured, met = linear_time_row(report)
    assert "in the crawl's own extraction CPU per article 5.00 → 7.50× (1.50×)" in measured
    assert met is False


def test_growth_without_the_probes_stage_times_is_judged_in_milliseconds() -> None:
    report = growth_report({500: 10.0, 1000: 15.0, 2000: 27.0}, dict.fromkeys((500, 1000, 2000), 2.0))
    for crawl in report.growth.values():
        crawl.stages = {}
    _, measured, met = linear_time_row(report)
    assert measured == "marginal CPU/article 10.0 → 12.0 ms (1.20×)" and met is True


def test_the_growth_table_shows_each_crawls_extraction_cpu() -> None:
    report = growth_report({500: 10.0, 1000: 15.0}, {500: 2.0, 1000: 2.5})
    assert "| ~1000 | 1000 | 15.0 | 66.7 | 15.0 | 2.50 | 10.0 | 2.00× | 300 |" in markdown(report)
