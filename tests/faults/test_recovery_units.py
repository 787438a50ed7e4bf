"""The pieces the fault crawls rely on, one by one: job directories of killed crawls, the spool of
pages the database could not take, and run bookkeeping while the database is away."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from sqlalchemy.exc import OperationalError

import storage.article_store as article_store
from config import load_sources
from core.types import PageInput, TaggedArticle
from crawlers import jobs
from crawlers.pipelines import StoragePipeline
from crawlers.runs import RunBook
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.models import Article, CrawlRun
from storage.repository import start_run, sync_sources
from tests.factories import crawled_page, tagged_article
from tests.factories import storage_pipeline as make_storage_pipeline

URL = "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau/"


@pytest.fixture
def database(sqlite_url: str) -> Any:
    schema.upgrade(sqlite_url)
    with session_scope(sqlite_url) as session:
        sync_sources(session, load_sources())
    yield sqlite_url
    dispose_engines()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --- job directories ---------------------------------------------------------------------------


def test_a_job_directory_is_marked_while_in_use_and_kept_after_a_clean_stop(
    tmp_path: Path, database: str
) -> None:
    jobdir = tmp_path / "jobs" / "polisia_kz"
    assert jobs.claim(jobdir, "polisia_kz", database) is False
    marker = json.loads((jobdir / jobs.MARKER).read_text("utf-8"))
    assert marker["pid"] == os.getpid()
    (jobdir / "requests.queue").mkdir()
    jobs.release(jobdir)
    assert not (jobdir / jobs.MARKER).exists()
    assert jobs.claim(jobdir, "polisia_kz", database) is False  # resumable: kept as it is
    assert (jobdir / "requests.queue").is_dir()


def test_the_job_directory_of_a_killed_crawl_is_discarded_and_its_runs_closed(
    tmp_path: Path, database: str
) -> None:
    with session_scope(database) as session:
        orphan = start_run(session, "polisia_kz")
        other = start_run(session, "mvd_kg")
    jobdir = tmp_path / "jobs" / "polisia_kz"
    (jobdir / "requests.queue" / "polisia.kz-0").mkdir(parents=True)
    (jobdir / "requests.queue" / "polisia.kz-0" / "0").write_bytes(b"")  # half-written by the killed crawl
    (jobdir / jobs.MARKER).write_text(
        json.dumps({"pid": dead_pid(), "started_at": datetime.now(UTC).isoformat()}), "utf-8"
    )
    assert jobs.claim(jobdir, "polisia_kz", database) is True
    assert not (jobdir / "requests.queue").exists()
    assert (jobdir / jobs.MARKER).exists()
    with session_scope(database) as session:
        closed, untouched = session.get(CrawlRun, orphan), session.get(CrawlRun, other)
        assert closed.status == "failed" and "without closing" in closed.message
        assert closed.finished_at is not None
        assert untouched.status == "running"


def test_a_job_directory_in_use_by_a_live_process_is_refused_and_left_alone(
    tmp_path: Path, database: str
) -> None:
    jobdir = tmp_path / "jobs" / "polisia_kz"
    (jobdir / "requests.queue").mkdir(parents=True)
    (jobdir / jobs.MARKER).write_text(json.dumps({"pid": os.getppid()}), "utf-8")
    with pytest.raises(jobs.JobDirectoryInUse, match=f"in use by process {os.getppid()}"):
        jobs.claim(jobdir, "polisia_kz", database)
    assert (jobdir / "requests.queue").is_dir()


# --- the spool ---------------------------------------------------------------------------------


def fake_tagger(page: PageInput, source: Any = None) -> TaggedArticle:
    return tagged_article(page.url)


def storage_pipeline(database: str, tmp_path: Path, attempts: int = 2) -> tuple[StoragePipeline, RunBook]:
    return make_storage_pipeline(
        database, tmp_path / "spool", f"{__name__}.fake_tagger", NEWSMON_STORE_ATTEMPTS=attempts
    )


def page(url: str = URL) -> PageInput:
    return crawled_page(url)


def articles(database: str) -> list[str]:
    with session_scope(database) as session:
        return [a.url for a in session.query(Article).order_by(Article.id)]


def test_spooled_pages_are_stored_after_the_next_successful_store(
    database: str, tmp_path: Path, monkeypatch
) -> None:
    pipe, book = storage_pipeline(database, tmp_path)
    real = article_store.upsert_article
    down = True

    def flaky(session, tagged, run_id):  # type: ignore[no-untyped-def]
        if down:
            raise OperationalError("INSERT", {}, Exception("connection refused"))
        return real(session, tagged, run_id)

    monkeypatch.setattr(article_store, "upsert_article", flaky)
    first, second = URL, URL.replace("kokshetau", "kostanae")
    with pytest.raises(DropItem):
        asyncio.run(pipe.process_item(page(first)))
    spool = tmp_path / "spool" / "polisia_kz.jsonl"
    assert len(spool.read_text("utf-8").splitlines()) == 1
    down = False
    asyncio.run(pipe.process_item(page(second)))
    assert sorted(articles(database)) == sorted([first, second])
    assert not spool.exists() or spool.read_text("utf-8") == ""
    asyncio.run(pipe.close_spider())
    book.close("finished")
    with session_scope(database) as session:
        row = session.get(CrawlRun, book.run_id)
        assert row.articles_new == 2
        # Spooled, then stored by the same crawl: a note, no error (nothing was lost).
        assert row.errors_by_kind == {"spooled": 1} and row.errors == 0


def test_a_crawl_stores_what_an_earlier_crawl_spooled_and_closing_waits_for_the_database(
    database: str, tmp_path: Path, monkeypatch
) -> None:
    pipe, _ = storage_pipeline(database, tmp_path, attempts=1)
    monkeypatch.setattr(
        article_store,
        "upsert_article",
        lambda *args: (_ for _ in ()).throw(OperationalError("INSERT", {}, Exception("refused"))),
    )
    with pytest.raises(DropItem):
        asyncio.run(pipe.process_item(page()))
    asyncio.run(pipe.close_spider())  # still down: the page stays spooled
    spool = tmp_path / "spool" / "polisia_kz.jsonl"
    assert len(spool.read_text("utf-8").splitlines()) == 1
    assert articles(database) == []

    monkeypatch.undo()
    later, _ = storage_pipeline(database, tmp_path)  # the next crawl of the source
    asyncio.run(later.open_spider())
    assert articles(database) == [URL]
    assert not spool.exists() or spool.read_text("utf-8") == ""


def test_run_bookkeeping_survives_the_database_going_away(database: str, monkeypatch) -> None:
    book = RunBook("polisia_kz", database_url=database)
    book.open()
    import storage.runs as runs

    real = runs.repository.record_error
    monkeypatch.setattr(
        runs.repository,
        "record_error",
        lambda *args, **kwargs: (_ for _ in ()).throw(OperationalError("UPDATE", {}, Exception("refused"))),
    )
    book.error("http_5xx", "https://polisia.kz/ru/x/", "HTTP 500")  # does not raise
    book.error("timeout", "https://polisia.kz/ru/y/", "timed out")
    monkeypatch.setattr(runs.repository, "record_error", real)
    book.close("finished")  # the held-back errors are written first
    with session_scope(database) as session:
        row = session.get(CrawlRun, book.run_id)
        assert row.errors_by_kind == {"http_5xx": 1, "timeout": 1}
        assert [s["kind"] for s in row.error_samples] == ["http_5xx", "timeout"]


# --- articles that failed ----------------------------------------------------------------------


def test_failed_articles_are_retried_by_the_next_crawls_then_given_up() -> None:
    from crawlers.base import RETRY_CRAWLS
    from crawlers.spiders.mvd_kg import MvdKgSpider

    spider = MvdKgSpider()
    spider.book = RunBook("mvd_kg", dry=True)
    channel = spider.channels()[0]
    url = "https://mvd.gov.kg/rus/news/4038"
    spider.article_failed(url, channel, "http_404")  # gone: not worth another try
    assert spider.retries.failed == {}
    spider.article_failed(url, channel, "timeout")
    assert spider.retries.failed[url]["attempts"] == 1
    (request,) = spider.retry_requests()
    assert request.url == url and request.meta["nm_entry"].via == "retry"
    assert list(spider.retry_requests()) == [], "scheduled once per crawl"
    for _ in range(RETRY_CRAWLS - 1):
        spider.article_failed(url, channel, "http_5xx")
    assert spider.retries.failed[url]["attempts"] == RETRY_CRAWLS
    spider.article_failed(url, channel, "http_5xx")
    assert url not in spider.retries.failed, "given up after RETRY_CRAWLS crawls"
