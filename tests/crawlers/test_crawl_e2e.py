"""End to end: ``newsmon crawl --mirror URL`` (a subprocess: Scrapy's reactor cannot restart in one
process) against the bundled mirror, into SQLite and into PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from core.urls import canonical_url
from crawlers.registry import site_ids
from mirror import MirrorServer, manifest
from storage import schema
from storage.db import dispose_engines
from storage.models import Article, CrawlRun

REPO = Path(__file__).resolve().parents[2]
SOURCES = tuple(site_ids())
CRAWL_TIMEOUT_S = 240

pytestmark = pytest.mark.slow


def newsmon(
    *args: str,
    database_url: str,
    data_dir: Path,
    timeout: float = CRAWL_TIMEOUT_S,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m newsmon ARGS`` in a fresh process on ``database_url``."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NEWSMON_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    environment.pop("NEWSMON_MIRROR_URL", None)
    environment.pop("NEWSMON_POLITENESS", None)
    return subprocess.run(
        [sys.executable, "-m", "newsmon", "-q", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=data_dir,
    )


def stored(database_url: str) -> list[Article]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(Article)))
    finally:
        engine.dispose()


def runs(database_url: str) -> list[CrawlRun]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    finally:
        engine.dispose()


def article_paths(rows: list[dict]) -> dict[tuple[str, str], dict]:
    """Manifest rows by the (host, path) the mirror logs for them."""
    from urllib.parse import urlsplit

    return {(row["host"], urlsplit(row["url"]).path): row for row in rows}


def local_day(row: dict) -> date | None:
    if not row["published"]:
        return None
    return datetime.fromisoformat(row["published"]).date()  # in the site's own offset


def assert_stored_like_manifest(articles: list[Article], rows: list[dict]) -> None:
    """Every manifest article stored exactly once, with its source, real URL, date and language."""
    by_key = Counter(a.canonical_url for a in articles)
    assert not [key for key, n in by_key.items() if n > 1]
    expected = {canonical_url(row["url"]): row for row in rows}
    got = {a.canonical_url: a for a in articles}
    assert sorted(set(expected) - set(got)) == [], "manifest articles not stored"
    assert sorted(set(got) - set(expected)) == [], "stored pages that are not manifest articles"
    for key, row in expected.items():
        article = got[key]
        assert article.source_id == row["source_id"], key
        assert article.url == row["url"], "the URL is stored as the site publishes it (real host)"
        assert article.host == row["host"]
        assert article.language == row["language"], key
        if row["published"] is None:
            # The site states no date: the spider hands none over (the pipeline decides the rest).
            assert article.site_published is None, key
            continue
        truth = datetime.fromisoformat(row["published"])
        assert not article.date_uncertain, key
        assert article.site_published is not None, f"{key}: the site states a date"
        if row["date_precision"] == "day":
            assert article.published_at.astimezone(truth.tzinfo).date() == truth.date(), key
        else:
            assert article.published_at == truth, key


@pytest.fixture
def crawl_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    return directory


def test_crawl_stores_every_article_once_then_fetches_nothing_again(
    migrated_db: str, mirror: MirrorServer, manifest_rows: list[dict], crawl_dir: Path
) -> None:
    dispose_engines()
    started = time.monotonic()
    first = newsmon("crawl", "--mirror", mirror.url, database_url=migrated_db, data_dir=crawl_dir)
    first_s = time.monotonic() - started
    assert first.returncode == 0, first.stderr[-3000:]
    for source_id in SOURCES:
        assert source_id in first.stdout

    assert_stored_like_manifest(stored(migrated_db), manifest_rows)
    first_runs = runs(migrated_db)
    assert [r.source_id for r in first_runs] == list(SOURCES)
    per_source = Counter(row["source_id"] for row in manifest_rows)
    undated = Counter(row["source_id"] for row in manifest_rows if row["published"] is None)
    for run in first_runs:
        assert run.status == "finished", run.message
        # No page lost; the only note allowed: a page that states no date has no date element.
        notes = dict(run.errors_by_kind or {})
        assert notes.pop("fallback_date", 0) <= undated[run.source_id], run.error_samples
        assert notes == {}, run.error_samples
        assert run.articles_new == per_source[run.source_id]
        assert run.articles_updated == 0
        assert run.pages_fetched > run.articles_new
        assert run.finished_at is not None
    # Robots.txt was asked for, through the mirror routing, once per host.
    robots_hosts = {host for host, path, _ in mirror.requests if path == "/robots.txt"}
    assert robots_hosts == {row["host"] for row in manifest_rows}, "every host the articles are on"
    assert not (crawl_dir / "jobs" / "polisia_kz").exists(), "a finished job leaves no job state"

    # Second crawl: incremental, nothing stored is fetched again.
    mirror.reset_log()
    started = time.monotonic()
    second = newsmon("crawl", "--mirror", mirror.url, database_url=migrated_db, data_dir=crawl_dir)
    second_s = time.monotonic() - started
    assert second.returncode == 0, second.stderr[-3000:]
    articles = article_paths(manifest_rows)
    refetched = [(host, path) for host, path, _ in mirror.requests if (host, path.split("?")[0]) in articles]
    assert refetched == []
    assert len(stored(migrated_db)) == len(manifest_rows)
    for run in runs(migrated_db)[len(SOURCES) :]:
        assert run.status == "finished" and run.articles_new == 0 and run.articles_updated == 0
        # Feeds and first listing pages only, of each host (мвд.рф's regional sites too); the
        # first listing page behind a feed is always read, as a check of the feed.
        hosts = {row["host"] for row in manifest_rows if row["source_id"] == run.source_id}
        assert run.pages_fetched <= max(8, 4 * len(hosts)), (run.source_id, run.pages_fetched)
    print(
        f"\nfirst crawl {first_s:.1f} s, second crawl {second_s:.1f} s, "
        f"{len(manifest_rows)} articles, second crawl requests: {len(mirror.requests)}"
    )


def test_since_until_bound_a_backfill(
    sqlite_url: str, mirror: MirrorServer, manifest_rows: list[dict], crawl_dir: Path
) -> None:
    schema.upgrade(sqlite_url)
    dispose_engines()
    since, until = date(2025, 1, 1), date(2025, 1, 15)
    result = newsmon(
        "crawl",
        "--since",
        since.isoformat(),
        "--until",
        until.isoformat(),
        "--mirror",
        mirror.url,
        database_url=sqlite_url,
        data_dir=crawl_dir,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    inside = [row for row in manifest_rows if local_day(row) and since <= local_day(row) <= until]
    undated = [row for row in manifest_rows if local_day(row) is None]
    got = {a.canonical_url: a for a in stored(sqlite_url)}
    # Everything of the window, nothing dated outside it (undated pages cannot be placed).
    assert {canonical_url(r["url"]) for r in inside} <= set(got)
    assert set(got) <= {canonical_url(r["url"]) for r in inside + undated}
    # Articles dated outside the window were not even fetched.
    articles = article_paths(manifest_rows)
    fetched = [
        articles[(h, p.split("?")[0])] for h, p, _ in mirror.requests if (h, p.split("?")[0]) in articles
    ]
    outside = [row["url"] for row in fetched if local_day(row) and not since <= local_day(row) <= until]
    assert outside == []
    for run in runs(sqlite_url):
        assert run.options["since"] == "2025-01-01" and run.options["until"] == "2025-01-15"
        assert run.status == "finished" and run.errors == 0, run.error_samples
    # Backfills use the date archives where a site has them.
    assert any(
        path.startswith("/news?year=2025&month=1&day=")
        for host, path, _ in mirror.requests
        if host == "22.xn--b1aew.xn--p1ai"
    )
    assert any(path == "/ru/2025/01/" for host, path, _ in mirror.requests if host == "akn.tj")


def test_challenges_errors_and_robots_are_recorded_not_stored(
    sqlite_url: str, mirror: MirrorServer, manifest_rows: list[dict], crawl_dir: Path
) -> None:
    schema.upgrade(sqlite_url)
    dispose_engines()
    kg = sorted(
        row["url"] for row in manifest_rows if row["source_id"] == "mvd_kg" and row["language"] == "ru"
    )
    challenged, forbidden = kg[0].split("mvd.gov.kg")[1], kg[1].split("mvd.gov.kg")[1]
    mirror.set_faults(
        {
            f"//mvd\\.gov\\.kg{challenged}$": "challenge",
            f"//mvd\\.gov\\.kg{forbidden}$": "robots-forbid",
            "^/rus/news\\?page=2$": "503-burst:2",  # retried with back-off, then served
            "^/ru/feed/$": "429:retry_after=1,n=1",  # polisia.kz and akn.tj: Retry-After honoured
        }
    )
    started = time.monotonic()
    result = newsmon(
        "crawl", "mvd_kg", "polisia_kz", "--mirror", mirror.url, database_url=sqlite_url, data_dir=crawl_dir
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    by_source = {run.source_id: run for run in runs(sqlite_url)}
    kg_run = by_source["mvd_kg"]
    losses = {kind: n for kind, n in kg_run.errors_by_kind.items() if not kind.startswith("fallback_")}
    assert losses == {"challenge": 1, "robots": 1}, kg_run.error_samples
    assert kg_run.errors == 2
    kinds = {(sample["kind"], sample["url"]) for sample in kg_run.error_samples}
    assert ("challenge", kg[0]) in kinds and ("robots", kg[1]) in kinds
    urls = {a.url for a in stored(sqlite_url)}
    assert kg[0] not in urls and kg[1] not in urls
    # The forbidden page was never requested; the 503s and the 429 were retried.
    assert not [p for h, p, _ in mirror.requests if h == "mvd.gov.kg" and p == forbidden]
    statuses = [(p, s) for h, p, s in mirror.requests if p in ("/rus/news?page=2", "/ru/feed/")]
    assert statuses.count(("/rus/news?page=2", 503)) == 2 and ("/rus/news?page=2", 200) in statuses
    assert ("/ru/feed/", 429) in statuses and ("/ru/feed/", 200) in statuses
    assert by_source["polisia_kz"].errors == 0
    assert elapsed >= 1.0  # the Retry-After second was waited


def test_a_stopped_crawl_resumes(sqlite_url: str, crawl_dir: Path) -> None:
    schema.upgrade(sqlite_url)
    dispose_engines()
    # The crawl stops itself as Ctrl-C does once 5 article pages are fetched (NEWSMON_STOP_AFTER_ITEMS):
    # what is in flight then (at most the 16 concurrent requests) finishes, and the rest of the 71
    # articles waits for the next crawl, however fast or loaded the machine.
    slow = MirrorServer(latency_s=0.3, synthetic=40).start()
    try:
        env = {
            **os.environ,
            "DATABASE_URL": sqlite_url,
            "NEWSMON_DATA_DIR": str(crawl_dir),
            "NEWSMON_STOP_AFTER_ITEMS": "5",
        }
        env.pop("NEWSMON_POLITENESS", None)
        process = subprocess.run(
            [sys.executable, "-m", "newsmon", "-q", "crawl", "mvd_ru", "--mirror", slow.url],
            env=env,
            cwd=crawl_dir,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert process.returncode != 0, "an interrupted crawl is not a success"
        first = runs(sqlite_url)[0]
        assert first.status == "interrupted", first.message
        partial = len(stored(sqlite_url))
        expected = [row for row in manifest(synthetic=40) if row["source_id"] == "mvd_ru"]
        assert 0 < partial < len(expected)
        assert (crawl_dir / "jobs" / "mvd_ru").is_dir(), "the stopped job keeps its state"

        again = newsmon("crawl", "mvd_ru", "--mirror", slow.url, database_url=sqlite_url, data_dir=crawl_dir)
        assert again.returncode == 0, again.stderr[-3000:]
        assert_stored_like_manifest(stored(sqlite_url), expected)
        assert runs(sqlite_url)[-1].status == "finished"
        assert not (crawl_dir / "jobs" / "mvd_ru").exists()
    finally:
        slow.stop()


def test_scrapy_list_shows_the_four_spiders() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(SOURCES)


def test_sources_check_against_the_mirror(mirror: MirrorServer, tmp_path: Path) -> None:
    result = newsmon(
        "sources",
        "check",
        "--mirror",
        mirror.url,
        database_url=f"sqlite:///{tmp_path}/x.sqlite",
        data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if any(s in line for s in SOURCES)]
    assert len([line for line in lines if "ok" in line]) == len(SOURCES), result.stdout
    assert not (tmp_path / "x.sqlite").exists() or os.path.getsize(tmp_path / "x.sqlite") == 0


def test_crawl_rejects_bad_arguments(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.sqlite"
    assert "unknown source" in newsmon("crawl", "nope", database_url=url, data_dir=tmp_path).stderr
    bad = newsmon(
        "crawl", "--since", "2025-02-01", "--until", "2025-01-01", database_url=url, data_dir=tmp_path
    )
    assert bad.returncode == 2 and "after --until" in bad.stderr
    assert (
        "must be a date"
        in newsmon("crawl", "--since", "yesterday", database_url=url, data_dir=tmp_path).stderr
    )


def test_redirects_to_the_real_host_are_followed(
    sqlite_url: str, mirror: MirrorServer, manifest_rows: list[dict], crawl_dir: Path, tmp_path: Path
) -> None:
    """www.polisia.kz answers 301 to polisia.kz: followed through the mirror, stored under the target."""
    import shutil

    from config import PACKAGED_CONFIG_DIR

    config = tmp_path / "config"
    shutil.copytree(PACKAGED_CONFIG_DIR, config, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    sources = (config / "sources.toml").read_text("utf-8")
    sources = sources.replace(
        'start_urls = ["https://polisia.kz/ru/", "https://polisia.kz/", "https://polisia.kz/en/"]',
        'start_urls = ["https://www.polisia.kz/ru"]',
    )
    sources = sources.replace(
        'feeds = ["https://polisia.kz/ru/feed/", "https://polisia.kz/feed/", "https://polisia.kz/en/feed/"]',
        "feeds = []",
    )
    assert "https://www.polisia.kz/ru" in sources and "feeds = []" in sources
    (config / "sources.toml").write_text(sources, "utf-8")
    schema.upgrade(sqlite_url)
    dispose_engines()
    result = newsmon(
        "crawl",
        "polisia_kz",
        "--mirror",
        mirror.url,
        database_url=sqlite_url,
        data_dir=crawl_dir,
        env={"NEWSMON_CONFIG_DIR": str(config)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert ("www.polisia.kz", "/ru", 301) in mirror.requests
    assert ("polisia.kz", "/ru/", 200) in mirror.requests
    expected = [row for row in manifest_rows if row["source_id"] == "polisia_kz" and row["language"] == "ru"]
    urls = {a.url for a in stored(sqlite_url)}
    assert {row["url"] for row in expected} <= urls
    assert all(url.startswith("https://polisia.kz/ru/") for url in urls)


def test_broken_answers_are_counted_by_kind_and_mislabelled_pages_repaired(
    sqlite_url: str, mirror: MirrorServer, manifest_rows: list[dict], crawl_dir: Path
) -> None:
    from urllib.parse import urlsplit

    rows = sorted((r for r in manifest_rows if r["host"] == "22.xn--b1aew.xn--p1ai"), key=lambda r: r["url"])
    faults = [
        "empty",
        "garbage",
        "cp1251-as-utf8",
        "utf8-as-cp1251",
        "404",
        "500",
        "redirect-loop",
        "truncated",
        "reset",
    ]
    assert len(rows) >= len(faults)
    paths = {fault: urlsplit(row["url"]).path for fault, row in zip(faults, rows, strict=False)}
    mirror.set_faults({f"//22\\.xn--b1aew\\.xn--p1ai{path}$": fault for fault, path in paths.items()})
    schema.upgrade(sqlite_url)
    dispose_engines()
    result = newsmon("crawl", "mvd_ru", "--mirror", mirror.url, database_url=sqlite_url, data_dir=crawl_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = runs(sqlite_url)
    assert run.status == "finished"
    assert run.errors_by_kind == {
        "soft_404": 1,
        "parse": 1,
        "http_404": 1,
        "http_5xx": 1,
        "redirect": 1,
        "truncated": 1,
        "connection": 1,
    }, run.error_samples
    got = {a.url: a for a in stored(sqlite_url)}
    failed = {rows[i]["url"] for i, fault in enumerate(faults) if "as" not in fault}
    expected = [r for r in manifest_rows if r["source_id"] == "mvd_ru" and r["url"] not in failed]
    assert set(got) == {r["url"] for r in expected}
    for fault in ("cp1251-as-utf8", "utf8-as-cp1251"):
        row = rows[faults.index(fault)]
        assert got[row["url"]].title == row["title"], fault
        assert "\ufffd" not in got[row["url"]].text and "Ð" not in got[row["url"]].text
