"""Group commit: pages tagged at about the same time are stored in one transaction, and a page the
database refuses costs the others nothing (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

import storage.article_store as article_store
from core.types import PageInput, TaggedArticle
from crawlers.pipelines import StoragePipeline
from crawlers.runs import RunBook
from storage.db import get_engine, session_scope
from storage.models import Article, CrawlRun
from tests.factories import crawled_page, tagged_article
from tests.factories import storage_pipeline as make_storage_pipeline

BASE = "https://polisia.kz/ru/news-{}/"


def tag_without_work(page: PageInput, source: Any = None) -> TaggedArticle:
    """Each page its own story, tagged instantly."""
    number = page.url.rstrip("/").rsplit("-", 1)[-1]
    return tagged_article(page.url, text=f"Сообщение номер {number} о задержании наркокурьера {number}.")


def storage_pipeline(database: str, tmp_path: Path, **settings: Any) -> tuple[StoragePipeline, RunBook]:
    defaults = {"NEWSMON_TAG_PROCESSES": 0, "NEWSMON_STORE_ATTEMPTS": 2}
    tagger = settings.pop("NEWSMON_TAGGER", f"{__name__}.tag_without_work")
    return make_storage_pipeline(database, tmp_path / "spool", tagger, **{**defaults, **settings})


def page(number: int) -> PageInput:
    return crawled_page(BASE.format(number))


def stored_urls(database: str) -> list[str]:
    with session_scope(database) as session:
        return sorted(a.url for a in session.query(Article))


class Commits:
    """Counts the transactions committed on a database."""

    def __init__(self, database: str) -> None:
        self.engine = get_engine(database)
        self.count = 0
        event.listen(self.engine, "commit", self.committed)

    def committed(self, connection: Any) -> None:
        self.count += 1

    def stop(self) -> None:
        event.remove(self.engine, "commit", self.committed)


def store_together(pipe: StoragePipeline, numbers: list[int]) -> list[Any]:
    """Hand the pages over at once, as a crawl's concurrent items are; each page's outcome."""

    async def crawl() -> list[Any]:
        return await asyncio.gather(*(pipe.process_item(page(n)) for n in numbers), return_exceptions=True)

    return asyncio.run(crawl())


def test_pages_handed_over_together_are_stored_in_one_transaction(migrated_db: str, tmp_path: Path) -> None:
    pipe, book = storage_pipeline(migrated_db, tmp_path)
    commits = Commits(migrated_db)
    outcomes = store_together(pipe, list(range(1, 9)))
    commits.stop()

    assert all(isinstance(outcome, PageInput) for outcome in outcomes)
    assert stored_urls(migrated_db) == sorted(BASE.format(n) for n in range(1, 9))
    assert commits.count == 1
    assert pipe.crawler.stats.get_value("newsmon/articles/new") == 8
    book.close("finished")
    with session_scope(migrated_db) as session:
        assert session.get(CrawlRun, book.run_id).articles_new == 8


def test_a_full_batch_is_stored_without_waiting(migrated_db: str, tmp_path: Path) -> None:
    pipe, _ = storage_pipeline(
        migrated_db, tmp_path, NEWSMON_STORE_BATCH_MAX=3, NEWSMON_STORE_BATCH_WAIT_S=60
    )
    commits = Commits(migrated_db)
    outcomes = store_together(pipe, list(range(1, 7)))  # would wait a minute if a full batch waited
    commits.stop()
    assert all(isinstance(outcome, PageInput) for outcome in outcomes)
    assert commits.count == 2
    assert len(stored_urls(migrated_db)) == 6


def test_without_batching_each_page_has_its_own_transaction(migrated_db: str, tmp_path: Path) -> None:
    pipe, _ = storage_pipeline(migrated_db, tmp_path, NEWSMON_STORE_BATCH_WAIT_S=0)
    commits = Commits(migrated_db)
    store_together(pipe, [1, 2, 3])
    commits.stop()
    assert commits.count == 3
    assert len(stored_urls(migrated_db)) == 3


def test_a_page_the_database_refuses_costs_the_others_nothing(
    migrated_db: str, tmp_path: Path, monkeypatch
) -> None:
    pipe, book = storage_pipeline(migrated_db, tmp_path)
    refused = BASE.format(2)
    real = article_store.upsert_article

    def refusing(session, tagged, run_id):  # type: ignore[no-untyped-def]
        if tagged.page.url == refused:
            raise IntegrityError("INSERT", {}, Exception("value too long for the column"))
        return real(session, tagged, run_id)

    monkeypatch.setattr(article_store, "upsert_article", refusing)
    outcomes = store_together(pipe, [1, 2, 3, 4])

    assert [isinstance(outcome, DropItem) for outcome in outcomes] == [False, True, False, False]
    assert stored_urls(migrated_db) == sorted(BASE.format(n) for n in (1, 3, 4))
    spooled = (tmp_path / "spool" / "polisia_kz.jsonl").read_text("utf-8").splitlines()
    assert len(spooled) == 1 and refused in spooled[0]
    asyncio.run(pipe.close_spider())
    book.close("finished")
    with session_scope(migrated_db) as session:
        run = session.get(CrawlRun, book.run_id)
        assert run.articles_new == 3
        assert run.errors_by_kind == {"spooled": 1, "store": 1} and run.errors == 1


def test_two_versions_of_one_story_in_a_batch_share_an_event(migrated_db: str, tmp_path: Path) -> None:
    """The second article of a batch is clustered against the first, stored but not yet committed."""
    pipe, _ = storage_pipeline(migrated_db, tmp_path, NEWSMON_TAGGER=f"{__name__}.tag_as_one_story")
    store_together(pipe, [1, 2])
    with session_scope(migrated_db) as session:
        events = {a.event_id for a in session.query(Article)}
    assert len(events) == 1 and None not in events


def tag_as_one_story(page: PageInput, source: Any = None) -> TaggedArticle:
    return tagged_article(page.url, text="В Кокшетау задержан наркокурьер с крупной партией гашиша.")


def test_a_distributed_worker_stores_each_page_on_its_own(migrated_db: str, tmp_path: Path) -> None:
    """Its leases end only when their pages are stored: pages must not wait for a batch."""
    from crawlers.distributed.settings import distributed_settings

    worker = distributed_settings("work", "redis://127.0.0.1:6379/0")
    pipe, _ = storage_pipeline(
        migrated_db, tmp_path, NEWSMON_STORE_BATCH_WAIT_S=worker["NEWSMON_STORE_BATCH_WAIT_S"]
    )
    commits = Commits(migrated_db)
    store_together(pipe, [1, 2, 3])
    commits.stop()
    assert commits.count == 3
