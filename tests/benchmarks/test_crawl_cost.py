"""The crawl-cost targets against the peer, the sampled memory of a process tree and the
many-hosts figures (issue 22, parts 1 and 5); no timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.crawl import CrawlResult
from benchmarks.floor import FloorResult
from benchmarks.hosts import HostStep, cpu_bound_at
from benchmarks.hosts import figures as host_figures
from benchmarks.hosts import markdown as hosts_markdown
from benchmarks.measure import Usage, child_env, run_measured
from benchmarks.scrapy_fetch import ScrapyFetchResult
from benchmarks.suite import PeerResult, Report
from benchmarks.targets import figures, verdicts


def usage(wall: float, cpu: float, rss: float, pss: float = 0.0) -> Usage:
    return Usage(wall_s=wall, cpu_s=cpu, peak_rss_mb=rss, returncode=0, stdout="", stderr="", peak_pss_mb=pss)


def crawl(articles: int, wall: float, cpu: float, rss: float = 500.0, pss: float = 0.0) -> CrawlResult:
    return CrawlResult(usage=usage(wall, cpu, rss, pss), articles=articles, new=articles, errors={},
                       requests=articles, article_requests=articles)


def test_the_memory_of_a_child_and_its_forked_worker_is_sampled_together(tmp_path: Path) -> None:
    code = (
        "import multiprocessing, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "def hold():\n"
        "    block = bytearray(48 * 1024 * 1024)\n"
        "    time.sleep(1.0)\n"
        "    return len(block)\n"
        "if __name__ == '__main__':\n"
        "    mine = bytearray(48 * 1024 * 1024)\n"
        "    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('fork')) as pool:\n"
        "        pool.submit(hold).result()\n"
    )
    script = tmp_path / "tree.py"
    script.write_text(code, encoding="utf-8")
    measured = run_measured([sys.executable, str(script)], env=child_env(), cwd=tmp_path)
    assert measured.returncode == 0
    assert measured.peak_pss_mb >= 90, "both processes' blocks, counted once each"


def _report() -> Report:
    report = Report(sizes=[500, 1000], main_size=1000)
    report.growth = {500: crawl(500, 10, 6.0), 1000: crawl(1000, 15, 10.0)}
    report.floor = FloorResult(pages=1000, cpu_s=4.0, wall_s=4.0, mean_page_kb=9)
    report.scrapy = ScrapyFetchResult(usage=usage(5, 3, 100), pages=1000, crawl_cpu_s=2.0)
    report.peer = PeerResult(usage=usage(20, 5.0, 160, 150), links=500, articles=500, same_as_newsmon=500)
    report.newsmon_peer_set = crawl(500, 8, 4.0, rss=450, pss=300)
    report.loads = {"main": 1.5, "peer": 2.5}
    return report


def test_the_four_targets_compare_newsmon_with_the_peer_and_with_scrapy_plus_the_floor() -> None:
    found = figures(_report())
    assert found["cpu_per_article_vs_peer"] == 0.8  # 8 ms against 10 ms per article
    assert found["articles_per_s_vs_peer"] == 2.5  # 62.5 against 25 articles/s
    assert found["peak_rss_vs_peer"] == 2.0  # PSS 300 against 150 MB
    assert found["cpu_vs_scrapy_plus_floor"] == 1.333  # 8 ms per additional article against 2 + 4
    met = {target: ok for target, _, ok in verdicts(_report())}
    assert met == {
        "CPU per article ≤ 1× the peer's": True,
        "articles/s ≥ 2× the peer's": True,
        "peak memory ≤ 2× the peer's": True,
        "CPU within 1.5× of Scrapy alone + the floor": True,
    }


def test_memory_is_compared_by_rss_where_no_pss_was_sampled_and_the_load_is_shown() -> None:
    report = _report()
    report.newsmon_peer_set = crawl(500, 8, 6.0, rss=480)
    report.peer = PeerResult(usage=usage(20, 5.0, 160), links=500, articles=500, same_as_newsmon=500)
    rows = {target: (measured, ok) for target, measured, ok in verdicts(report)}
    assert rows["peak memory ≤ 2× the peer's"][1] is False  # 480 against 160 MB
    assert rows["CPU per article ≤ 1× the peer's"] == ("1.20× the peer's (load 2.5)", False)


def steps() -> list[HostStep]:
    return [
        HostStep(hosts=1, articles=20, wall_s=50, cpu_s=3.0, load=1.0),
        HostStep(hosts=8, articles=50, wall_s=50, cpu_s=3.3, load=1.0),
        HostStep(hosts=32, articles=150, wall_s=50, cpu_s=4.3, load=1.0),
        HostStep(hosts=85, articles=360, wall_s=60, cpu_s=6.4, load=1.2),
    ]


def test_the_cpu_takes_over_where_the_hosts_articles_would_keep_the_cores_busy() -> None:
    # 10 ms per additional article; at 85 hosts 6 articles/s, so 0.0706 articles/s per host:
    # two cores are busy at 2 / (0.0706 × 0.010) ≈ 2833 hosts.
    assert round(cpu_bound_at(steps()) or 0) == 2833
    assert cpu_bound_at(steps()[:1]) is None


def test_the_many_hosts_figures_and_table_name_every_step() -> None:
    found = host_figures(steps())
    assert found["many_hosts_articles_per_s"] == {"1": 0.4, "8": 1.0, "32": 3.0, "85": 6.0}
    assert found["many_hosts_cpu_utilisation"]["85"] == round(6.4 / 60, 3)
    table = hosts_markdown(steps())
    assert "| 85 | 360 | 60.0 | 6.00 | 6.4 | 17.8 | 0.11 | 1.20 |" in table
    assert "about **2833 hosts**" in table
