"""мвд.рф's regional sites: each crawled on its own host, in its own zone, politely per host and
concurrently across hosts; hosts the mirror does not serve are not crawled through it."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pytest

from config import load_sources
from core.urls import canonical_url
from mirror import MirrorServer
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.repository import sync_sources
from tests.crawlers.test_crawl_e2e import newsmon, stored

pytestmark = pytest.mark.slow

KAMCHATKA_COURIER = "https://41.xn--b1aew.xn--p1ai/news/item/59602318/"
ADYGEA_SEIZURE = "https://01.xn--b1aew.xn--p1ai/news/item/59512240/"


@pytest.fixture(scope="module")
def regional_crawl(tmp_path_factory: pytest.TempPathFactory):
    """One polite crawl of мвд.рф (configured delays, one request at a time per host) into a
    fresh SQLite database."""
    data = tmp_path_factory.mktemp("data")
    url = f"sqlite:///{data / 'newsmon.sqlite'}"
    schema.upgrade(url)
    with session_scope(url) as session:
        sync_sources(session, load_sources())
    dispose_engines()
    with MirrorServer(latency_s=0.05) as mirror:
        result = newsmon("crawl", "mvd_ru", "--mirror", mirror.url, "--politeness", "config",
                         database_url=url, data_dir=data)
        assert result.returncode == 0, result.stderr[-3000:]
        log = mirror.log_entries()
    return {article.canonical_url: article for article in stored(url)}, log


def test_a_morning_in_kamchatka_is_dated_there_and_falls_in_its_period(regional_crawl) -> None:
    articles, _ = regional_crawl
    article = articles[canonical_url(KAMCHATKA_COURIER)]
    # 08:40 on 16 January in UTC+12 is 23:40 on 15 January in Moscow: the second January period.
    assert article.published_at.astimezone(UTC) == datetime(2025, 1, 15, 20, 40, tzinfo=UTC)
    assert (article.period_year, article.period_number) == (2025, 2)
    assert not article.date_uncertain


def test_a_region_below_ten_keeps_its_leading_zero(regional_crawl) -> None:
    articles, _ = regional_crawl
    article = articles[canonical_url(ADYGEA_SEIZURE)]
    assert article.url == ADYGEA_SEIZURE and article.host == "01.xn--b1aew.xn--p1ai"
    assert article.published_at.astimezone(UTC) == datetime(2024, 12, 27, 8, 20, tzinfo=UTC)


def test_only_the_hosts_the_mirror_serves_are_asked(regional_crawl) -> None:
    _, log = regional_crawl
    hosts = {entry.host for entry in log}
    assert hosts == {"xn--b1aew.xn--p1ai", "01.xn--b1aew.xn--p1ai", "22.xn--b1aew.xn--p1ai",
                     "41.xn--b1aew.xn--p1ai"}
    assert len(load_sources().source("mvd_ru").regions) > len(hosts)


def test_one_request_at_a_time_per_host_and_hosts_crawled_side_by_side(regional_crawl) -> None:
    _, log = regional_crawl
    spans: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for entry in log:
        if entry.duration_s is not None:
            spans[entry.host].append((entry.time, entry.time + entry.duration_s))
    for host, intervals in spans.items():
        intervals.sort()
        pairs = zip(intervals, intervals[1:], strict=False)
        assert all(end <= start_next for (_, end), (start_next, _) in pairs), host
    everything = sorted((start, end, host) for host, intervals in spans.items() for start, end in intervals)
    side_by_side = sum(
        1 for (start, end, host), (start_next, _, host_next) in zip(everything, everything[1:], strict=False)
        if host != host_next and start_next < end
    )
    assert side_by_side > 0, "regional hosts are crawled concurrently, not one after another"

