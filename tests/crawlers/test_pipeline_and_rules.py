"""The storage item pipeline (retries, spool), the incremental stop rule and id walking."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from sqlalchemy.exc import OperationalError

import storage.article_store as article_store
from config import load_sources
from core.types import PageInput, TaggedArticle
from crawlers.base import Channel, Walk
from crawlers.entries import Entry
from crawlers.pipelines import StoragePipeline
from crawlers.runs import RunBook
from crawlers.spiders.mvd_kg import MvdKgSpider
from crawlers.spiders.mvd_ru import MvdRuSpider
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.models import Article, CrawlRun
from storage.repository import sync_sources
from tests.factories import storage_pipeline as make_storage_pipeline
from tests.factories import tagged_article

URL = "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau/"


def fake_tagger(page: PageInput, source: Any = None) -> TaggedArticle:
    return tagged_article(page.url)


@pytest.fixture
def database(sqlite_url: str) -> str:
    schema.upgrade(sqlite_url)
    with session_scope(sqlite_url) as session:
        sync_sources(session, load_sources())
    yield sqlite_url
    dispose_engines()


def storage_pipeline(database: str, tmp_path: Path) -> tuple[StoragePipeline, RunBook]:
    return make_storage_pipeline(database, tmp_path / "spool", f"{__name__}.fake_tagger")


def page() -> PageInput:
    return PageInput(
        url=URL,
        source_id="polisia_kz",
        html="<html><body><p>x</p></body></html>",
        fetched_at=datetime.now(UTC),
    )


def run_row(database: str, run_id: int) -> CrawlRun:
    with session_scope(database) as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        session.expunge(run)
        return run


def test_a_database_hiccup_is_retried(database: str, tmp_path: Path, monkeypatch) -> None:
    pipe, book = storage_pipeline(database, tmp_path)
    real = article_store.upsert_article
    failures = iter([True, True])

    def flaky(session, tagged, run_id):  # type: ignore[no-untyped-def]
        if next(failures, False):
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return real(session, tagged, run_id)

    monkeypatch.setattr(article_store, "upsert_article", flaky)
    asyncio.run(pipe.process_item(page()))
    with session_scope(database) as session:
        assert session.query(Article).count() == 1
    assert run_row(database, book.run_id).articles_new == 1
    assert run_row(database, book.run_id).errors == 0


def test_a_lasting_database_error_is_recorded_and_the_page_kept(
    database: str, tmp_path: Path, monkeypatch
) -> None:
    pipe, book = storage_pipeline(database, tmp_path)

    def broken(session, tagged, run_id):  # type: ignore[no-untyped-def]
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(article_store, "upsert_article", broken)
    with pytest.raises(DropItem):
        asyncio.run(pipe.process_item(page()))
    run = run_row(database, book.run_id)
    assert run.errors_by_kind == {"spooled": 1} and run.errors == 0  # not lost yet: spooled
    assert "disk I/O error" in run.error_samples[0]["detail"]
    asyncio.run(pipe.close_spider())
    run = run_row(database, book.run_id)
    assert run.errors_by_kind == {"spooled": 1, "store": 1} and run.errors == 1  # still spooled at the end
    assert "the next crawl of the source stores it" in run.error_samples[1]["detail"]
    (line,) = (tmp_path / "spool" / "polisia_kz.jsonl").read_text("utf-8").splitlines()
    kept = json.loads(line)
    assert kept["url"] == URL and kept["html"] and "disk I/O error" in kept["error"]


def test_tagging_failures_and_empty_text_are_counted(database: str, tmp_path: Path) -> None:
    pipe, book = storage_pipeline(database, tmp_path)

    def failing(page, source=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    pipe.tag_page = failing
    with pytest.raises(DropItem):
        asyncio.run(pipe.process_item(page()))

    def empty(page, source=None):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        return replace(
            tagged_article(page.url), text="", extraction_status="no_text", extraction_reason="empty body"
        )

    pipe.tag_page = empty
    asyncio.run(pipe.process_item(page()))
    assert run_row(database, book.run_id).errors_by_kind == {"parse": 1, "no_text": 1}


# --- the incremental stop rule --------------------------------------------------------------

ZONE = "Europe/Moscow"
CHANNEL = Channel(
    key="xn--b1aew.xn--p1ai/news",
    host="xn--b1aew.xn--p1ai",
    listing="https://xn--b1aew.xn--p1ai/news",
    feed=None,
    language=None,
    timezone=ZONE,
)
MARK = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)


def spider(**kwargs: Any) -> MvdRuSpider:
    instance = MvdRuSpider(**kwargs)
    instance.book = RunBook("mvd_ru", dry=True)
    return instance


def at(days: float) -> datetime:
    return MARK + timedelta(days=days)


@pytest.mark.parametrize(
    ("case", "mark", "dates", "new", "known", "go_on"),
    [
        ("first crawl: no mark, all new", None, [at(-1), at(-2)], 10, 0, True),
        ("page above the mark", MARK, [at(1), at(0.5), at(0.1)], 3, 0, True),
        ("page mostly below the mark", MARK, [at(0.2), at(-1), at(-2), at(-3)], 1, 3, False),
        (
            "newest widget entries do not keep it going",
            MARK,
            [at(-1), at(-2), at(-3), at(2), at(1)],
            0,
            5,
            False,
        ),
        ("known entries above the mark (an interrupted crawl): go on", MARK, [at(0.5), at(0.4)], 0, 2, True),
        (
            "day-precision entries on the mark's day are not below it",
            MARK,
            [datetime(2025, 1, 10, tzinfo=ZoneInfo(ZONE))],
            0,
            1,
            True,
        ),
        ("empty page", MARK, [], 0, 0, False),
    ],
)
def test_incremental_stop(case, mark, dates, new, known, go_on) -> None:
    crawler = spider()
    if mark is not None:
        crawler.initial_channels = {CHANNEL.key: {"high_water": mark.isoformat(), "complete": True}}
    entries = max(len(dates), new + known)
    assert (
        crawler.should_continue(entries=entries, new=new, known=known, dates=dates, channel=CHANNEL) is go_on
    ), case


def test_undated_listings_stop_on_known_only_after_a_complete_crawl() -> None:
    crawler = spider()
    assert crawler.should_continue(entries=5, new=0, known=5, dates=[], channel=CHANNEL)
    crawler.initial_channels = {CHANNEL.key: {"complete": True}}
    assert not crawler.should_continue(entries=5, new=0, known=5, dates=[], channel=CHANNEL)
    assert crawler.should_continue(entries=5, new=1, known=4, dates=[], channel=CHANNEL)


def test_backfill_goes_on_until_the_pages_are_below_since() -> None:
    crawler = spider(since="2025-01-05", until="2025-01-09")
    inside = [datetime(2025, 1, 6, 12, tzinfo=UTC)] * 3
    before = [datetime(2025, 1, 3, 12, tzinfo=UTC)] * 4
    newest = [datetime(2025, 1, 20, tzinfo=UTC)] * 2  # a "latest news" widget on every page
    assert crawler.should_continue(entries=9, new=0, known=9, dates=inside + newest, channel=CHANNEL)
    assert crawler.should_continue(entries=9, new=0, known=0, dates=inside + before + newest, channel=CHANNEL)
    assert not crawler.should_continue(entries=6, new=0, known=0, dates=before + newest, channel=CHANNEL)


def test_schedule_entries_skips_known_scheduled_and_out_of_window() -> None:
    crawler = spider(since="2025-01-05", until="2025-01-09")
    crawler.crawler = get_crawler()
    crawler.book.add_known("https://xn--b1aew.xn--p1ai/news/item/1")
    entries = [
        Entry("https://xn--b1aew.xn--p1ai/news/item/1/", published=datetime(2025, 1, 6, tzinfo=UTC)),  # known
        Entry("https://xn--b1aew.xn--p1ai/news/item/2/", published=datetime(2025, 1, 6, tzinfo=UTC)),  # new
        Entry(
            "https://xn--b1aew.xn--p1ai/news/item/2", published=datetime(2025, 1, 6, tzinfo=UTC)
        ),  # same page
        Entry(
            "https://xn--b1aew.xn--p1ai/news/item/3/", published=datetime(2025, 1, 2, tzinfo=UTC)
        ),  # before
        Entry(
            "https://xn--b1aew.xn--p1ai/news/item/4/", published=datetime(2025, 1, 12, tzinfo=UTC)
        ),  # after
        Entry("https://xn--b1aew.xn--p1ai/news/item/5/"),  # undated: fetched, judged on its page
    ]
    generator = crawler.schedule_entries(entries, CHANNEL)
    requests = []
    try:
        while True:
            requests.append(next(generator))
    except StopIteration as stop:
        verdict = stop.value
    assert [r.url for r in requests] == [
        "https://xn--b1aew.xn--p1ai/news/item/2/",
        "https://xn--b1aew.xn--p1ai/news/item/5/",
    ]
    assert verdict.go_on  # dated entries inside and after the window: older pages may hold more
    assert verdict.top == datetime(2025, 1, 12, tzinfo=UTC)


def test_region_hosts_come_from_the_configuration() -> None:
    channels = MvdRuSpider().channels()
    source = load_sources().source("mvd_ru")
    hosts = {c.host: c for c in channels}
    for code in source.region_codes:
        regional = hosts[f"{code}.xn--b1aew.xn--p1ai"]
        assert regional.timezone == source.region_timezones.get(code, source.timezone)
        assert regional.feed == f"https://{code}.xn--b1aew.xn--p1ai/news/rss"
    assert hosts["xn--b1aew.xn--p1ai"].timezone == "Europe/Moscow"


# --- id walking ---------------------------------------------------------------------------------


def walker(**kwargs: Any) -> tuple[MvdKgSpider, Channel]:
    crawler = MvdKgSpider(**kwargs)
    crawler.book = RunBook("mvd_kg", dry=True)
    channel = next(c for c in crawler.channels() if c.listing and "/rus/" in c.listing)
    return crawler, channel


def test_a_walk_stops_after_consecutive_misses() -> None:
    crawler, channel = walker()
    template = crawler.walker.template_for(channel)
    assert template == "https://mvd.gov.kg/rus/news/{id}"
    walk = Walk(channel, template, next_id=100, step=1)
    (first,) = crawler.walk_next(walk, outcome="start")
    assert first.url == "https://mvd.gov.kg/rus/news/100"
    current = first.meta["nm_walk"]
    fetched = [first.url]
    for _ in range(crawler.walker.max_misses + 5):
        following = list(crawler.walk_next(current, outcome="miss"))
        if not following:
            break
        current = following[0].meta["nm_walk"]
        fetched.append(following[0].url)
    assert len(fetched) == crawler.walker.max_misses  # 100 and the 19 after it, all misses


def test_a_hit_resets_the_misses_and_known_ids_are_not_fetched() -> None:
    crawler, channel = walker()
    crawler.book.add_known("https://mvd.gov.kg/rus/news/99")
    walk = Walk(channel, "https://mvd.gov.kg/rus/news/{id}", next_id=101, step=-1, misses=5)
    (after_hit,) = crawler.walk_next(walk, outcome="hit")
    assert after_hit.url == "https://mvd.gov.kg/rus/news/100"
    assert after_hit.meta["nm_walk"].misses == 0
    # Walking down into stored items ends an incremental walk ...
    assert list(crawler.walk_next(after_hit.meta["nm_walk"], outcome="hit")) == []
    # ... but a backfill walks past them, and stops below its window.
    backfill, channel = walker(since="2025-01-01")
    backfill.book.add_known("https://mvd.gov.kg/rus/news/99")
    (skipping,) = backfill.walk_next(Walk(channel, walk.template, next_id=100, step=-1), outcome="hit")
    assert skipping.url == "https://mvd.gov.kg/rus/news/98"
    old = datetime(2024, 12, 20, tzinfo=UTC)
    assert list(backfill.walk_next(skipping.meta["nm_walk"], outcome="hit", published=old)) == []


def test_window_dates_are_inclusive_local_days() -> None:
    crawler = spider(since="2025-01-01", until="2025-01-15")
    zone = ZoneInfo(ZONE)
    # 2025-01-15 23:30 Moscow is 20:30 UTC: inside; 2025-01-16 00:10 Moscow is 2025-01-15 21:10 UTC: outside.
    assert crawler.in_window(datetime(2025, 1, 15, 20, 30, tzinfo=UTC), zone)
    assert not crawler.in_window(datetime(2025, 1, 15, 21, 10, tzinfo=UTC), zone)
    assert crawler.in_window(datetime(2024, 12, 31, 21, 0, tzinfo=UTC), zone)
    assert not crawler.in_window(datetime(2024, 12, 31, 20, 59, tzinfo=UTC), zone)
    assert crawler.in_window(None, zone)
    assert crawler.since == date(2025, 1, 1)


def test_a_page_repeating_the_previous_one_ends_the_chain() -> None:
    """A site that ignores ?page=N serves page 1 forever: the chain must not run to the page limit."""
    crawler = spider()
    crawler.crawler = get_crawler()
    entries = [Entry(f"https://xn--b1aew.xn--p1ai/news/item/{i}/") for i in range(3)]

    def verdict_of(previous: frozenset[str]):  # type: ignore[no-untyped-def]
        generator = crawler.schedule_entries(entries, CHANNEL, None, previous)
        try:
            while True:
                next(generator)
        except StopIteration as stop:
            return stop.value

    first = verdict_of(frozenset())
    assert first.go_on
    assert not verdict_of(first.keys).go_on


def test_a_body_the_site_selectors_did_not_give_is_noted_on_the_run_not_counted(
    database: str, tmp_path: Path
) -> None:
    from pipeline.runner import tag_page

    fixture = Path(__file__).resolve().parents[1] / "data" / "html" / "polisia_kz_article.html"
    html = fixture.read_text(encoding="utf-8").replace("entry-content", "post-body")
    pipe, book = storage_pipeline(database, tmp_path)
    pipe.tag_page = tag_page
    item = PageInput(url=URL, source_id="polisia_kz", html=html, fetched_at=datetime.now(UTC))
    asyncio.run(pipe.process_item(item))
    run = run_row(database, book.run_id)
    assert (run.errors_by_kind, run.errors) == ({"fallback_extract": 1}, 0)
