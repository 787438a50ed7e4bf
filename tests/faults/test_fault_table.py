"""Every fault the mirror can inject, in one crawl of the four sources (``newsmon crawl``).

Each row of :data:`FAULT_TABLE` breaks one URL: an article page, a feed or a listing page. After
the crawl, per row: the crawl finished, a transient fault was retried and the article stored, a
lasting one is recorded on the crawl run with its kind and URL (``errors_by_kind``,
``error_samples``) and nothing of it stored, a broken feed falls back to its listing, and a page
robots.txt forbids was never requested. Across rows: every other article is stored exactly once,
the runs count exactly the table's errors, and a second crawl stores nothing twice and retries
the articles whose failure may pass (5xx, timeout, reset, truncated body, challenge).

One crawl carries all the faults (one crawl per fault would take minutes): they target different
URLs, so they do not interfere. ``docs/faults.md`` is the table in prose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from config import load_sources
from core.urls import canonical_url
from crawlers.base import RETRY_KINDS
from mirror import MirrorServer, manifest
from storage import schema
from storage.db import dispose_engines
from tests.faults.conftest import host_path_pattern, newsmon_crawl, runs, stored

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@dataclass(frozen=True)
class FaultCase:
    name: str
    fault: str
    """The mirror's fault mode (``mirror/faults.py``)."""
    source: str
    target: str
    """The real URL the fault breaks."""
    role: str
    """``article``, ``feed`` or ``listing``."""
    kind: str | None
    """Error kind the crawl run records for the target; None: the fault is recovered from."""
    never_requested: bool = False


def _rows() -> list[dict[str, Any]]:
    return manifest()


def fault_table() -> list[FaultCase]:
    rows = _rows()
    kg = sorted(r["url"] for r in rows if r["source_id"] == "mvd_kg" and r["language"] == "ru")
    ru = sorted(r["url"] for r in rows if r["host"] == "xn--b1aew.xn--p1ai")
    articles = [
        # Retried, then stored.
        ("500 once", "500:n=1", "mvd_kg", kg[0], None),
        ("503 burst", "503-burst:2", "mvd_kg", kg[1], None),
        ("429 Retry-After", "429:retry_after=1,n=1", "mvd_kg", kg[2], None),
        # Decoded in the charset the bytes are really in, then stored.
        ("cp1251 sent as utf-8", "cp1251-as-utf8", "mvd_kg", kg[3], None),
        ("utf-8 sent as cp1251", "utf8-as-cp1251", "mvd_kg", kg[4], None),
        # Recorded, not stored.
        ("500 always", "500", "mvd_kg", kg[5], "http_5xx"),
        ("404", "404", "mvd_kg", kg[6], "http_404"),
        ("slow past the timeout", "slow:10", "mvd_kg", kg[7], "timeout"),
        ("connection reset", "reset", "mvd_ru", ru[0], "connection"),
        ("truncated body", "truncated", "mvd_ru", ru[1], "truncated"),
        ("empty body", "empty", "mvd_ru", ru[2], "soft_404"),
        ("20 MB page", "huge:20", "mvd_ru", ru[3], "too_large"),
        ("redirect loop", "redirect-loop", "mvd_ru", ru[4], "redirect"),
        ("garbage bytes", "garbage", "mvd_ru", ru[5], "parse"),
        ("bot challenge", "challenge", "mvd_ru", ru[6], "challenge"),
        ("robots.txt forbids", "robots-forbid", "mvd_ru", ru[7], "robots"),
    ]
    channels = [
        # A broken feed: recorded, and its listing read instead.
        ("feed 500", "500", "polisia_kz", "https://polisia.kz/en/feed/", "feed", "http_5xx"),
        ("feed truncated", "truncated", "polisia_kz", "https://polisia.kz/feed/", "feed", "truncated"),
        ("feed slow", "slow:10", "akn_tj", "https://akn.tj/tj/feed/", "feed", "timeout"),
        ("feed forbidden", "robots-forbid", "akn_tj", "https://akn.tj/ru/feed/", "feed", "robots"),
        ("feed garbage", "garbage", "mvd_ru", "https://xn--b1aew.xn--p1ai/news/rss", "feed", "parse"),
        ("feed empty", "empty", "mvd_ru", "https://22.xn--b1aew.xn--p1ai/news/rss", "feed", "parse"),
        # A listing page in a 503 burst: retried, the chain goes on.
        ("listing 503 burst", "503-burst:2", "mvd_kg", "https://mvd.gov.kg/rus/news?page=2", "listing", None),
    ]
    table = [
        FaultCase(name, fault, source, url, "article", kind, never_requested=fault == "robots-forbid")
        for name, fault, source, url, kind in articles
    ]
    table += [
        FaultCase(name, fault, source, url, role, kind, never_requested=fault == "robots-forbid")
        for name, fault, source, url, role, kind in channels
    ]
    assert len({case.target for case in table}) == len(table)
    return table


FAULT_TABLE = fault_table()


@dataclass
class CrawlOutcome:
    returncode: int
    output: str
    articles: list[Any]
    runs: dict[str, Any]
    requests: list[tuple[str, str, int | None]]


def _outcome(result: Any, database_url: str, mirror: MirrorServer, first_run: int = 0) -> CrawlOutcome:
    return CrawlOutcome(
        returncode=result.returncode,
        output=result.stdout + result.stderr[-4000:],
        articles=stored(database_url),
        runs={run.source_id: run for run in runs(database_url) if run.id > first_run},
        requests=mirror.requests,
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, fault_config: Path) -> Iterator[dict[str, Any]]:
    """One crawl of the four sources with every fault of the table; then one without faults."""
    directory = tmp_path_factory.mktemp("faults")
    database_url = f"sqlite:///{directory / 'newsmon.sqlite'}"
    schema.upgrade(database_url)
    dispose_engines()
    faults = {host_path_pattern(case.target): case.fault for case in FAULT_TABLE}
    with MirrorServer(faults=faults) as mirror:
        result = newsmon_crawl(
            mirror_url=mirror.url, database_url=database_url, data_dir=directory, config_dir=fault_config
        )
        first = _outcome(result, database_url, mirror)
        assert not mirror.errors, mirror.errors
        last_run = max(run.id for run in first.runs.values()) if first.runs else 0
        mirror.set_faults({})
        mirror.reset_log()
        result = newsmon_crawl(
            mirror_url=mirror.url, database_url=database_url, data_dir=directory, config_dir=fault_config
        )
        second = _outcome(result, database_url, mirror, first_run=last_run)
    yield {"first": first, "second": second}


def _requests_for(outcome: CrawlOutcome, url: str) -> list[int | None]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return [status for h, p, status in outcome.requests if h == host and p == path]


def _samples(outcome: CrawlOutcome, source: str) -> set[tuple[str, str]]:
    return {(s["kind"], s["url"]) for s in outcome.runs[source].error_samples or []}


@pytest.mark.parametrize("case", FAULT_TABLE, ids=[case.name for case in FAULT_TABLE])
def test_fault(case: FaultCase, crawled: dict[str, Any]) -> None:
    outcome: CrawlOutcome = crawled["first"]
    assert outcome.returncode == 0, outcome.output
    run = outcome.runs[case.source]
    assert run.status == "finished", run.message
    by_url = Counter(article.canonical_url for article in outcome.articles)
    statuses = _requests_for(outcome, case.target)
    rows = _rows()

    if case.never_requested:
        assert statuses == [], f"{case.target} is forbidden by robots.txt but was requested"
    if case.kind is not None:
        assert (case.kind, case.target) in _samples(outcome, case.source), run.error_samples
    else:
        assert case.target not in {url for _, url in _samples(outcome, case.source)}, run.error_samples

    if case.role == "article":
        key = canonical_url(case.target)
        if case.kind is None:
            assert by_url[key] == 1, f"{case.target} stored {by_url[key]} times"
            (row,) = [r for r in rows if r["url"] == case.target]
            (article,) = [a for a in outcome.articles if a.canonical_url == key]
            assert article.title == row["title"]
            assert "\ufffd" not in article.text and "Ð" not in article.text
        else:
            assert by_url[key] == 0, f"{case.target} ({case.fault}) was stored"
        if case.fault.startswith(("500:n", "503-burst", "429")):
            assert statuses[-1] == 200 and len(statuses) >= 2, statuses  # failed first, then retried
        if case.fault == "500":
            assert statuses == [500] * (load_sources().crawler.retry_times + 1), statuses
    else:
        # Every article of the channel is still stored (a broken feed falls back to its listing).
        parts = urlsplit(case.target)
        section = parts.path.rsplit("/feed/", 1)[0] + "/" if "/feed/" in parts.path else "/"
        channel = [
            r
            for r in rows
            if r["host"] == parts.hostname
            and r["source_id"] == case.source
            and (section == "/" or urlsplit(r["url"]).path.startswith(section))
        ]
        assert channel
        missing = [r["url"] for r in channel if by_url[canonical_url(r["url"])] == 0]
        failed = {c.target for c in FAULT_TABLE if c.role == "article" and c.kind}
        assert [url for url in missing if url not in failed] == []
        if case.kind is None:
            assert statuses.count(503) == 2 and statuses[-1] == 200, statuses


def test_every_other_article_is_stored_exactly_once_and_the_runs_count_the_faults(
    crawled: dict[str, Any],
) -> None:
    outcome: CrawlOutcome = crawled["first"]
    assert outcome.returncode == 0, outcome.output
    failed = {canonical_url(c.target) for c in FAULT_TABLE if c.role == "article" and c.kind}
    expected = {canonical_url(r["url"]) for r in _rows()} - failed
    keys = [a.canonical_url for a in outcome.articles]
    assert len(keys) == len(set(keys)), "an article was stored twice"
    assert set(keys) == expected
    for source, run in outcome.runs.items():
        assert run.status == "finished", run.message
        wanted = Counter(c.kind for c in FAULT_TABLE if c.source == source and c.kind)
        assert dict(run.errors_by_kind or {}) == dict(wanted), (source, run.error_samples)
        assert run.errors == sum(wanted.values())
        assert run.articles_updated == 0
    assert sum(run.articles_new for run in outcome.runs.values()) == len(keys)


def test_a_second_crawl_stores_nothing_twice(crawled: dict[str, Any]) -> None:
    first: CrawlOutcome = crawled["first"]
    second: CrawlOutcome = crawled["second"]
    assert second.returncode == 0, second.output
    keys = [a.canonical_url for a in second.articles]
    assert len(keys) == len(set(keys))
    before = {a.canonical_url for a in first.articles}
    # Nothing stored is fetched again; what is new can only be an article that failed before.
    stored_paths = {(urlsplit(a.url).hostname, urlsplit(a.url).path) for a in first.articles}
    assert [(h, p) for h, p, _ in second.requests if (h, p) in stored_paths] == []
    failed = {canonical_url(c.target) for c in FAULT_TABLE if c.role == "article" and c.kind}
    assert set(keys) - before <= failed
    # The articles that failed in a way worth another try were retried, wherever they are listed.
    retryable = {
        canonical_url(c.target) for c in FAULT_TABLE if c.role == "article" and c.kind in RETRY_KINDS
    }
    assert retryable and retryable <= set(keys) - before
    for run in second.runs.values():
        assert run.status == "finished" and run.errors == 0, run.error_samples
        assert run.articles_updated == 0
