"""The thin item pipeline: a spider's PageInput -> tagging runner -> storage.

All tagging is :func:`pipeline.runner.tag_page`, run in the tagging worker processes of
:mod:`crawlers.tagging` while the crawl goes on; all writing is :mod:`storage.article_store`
(:func:`storage.repository.upsert_article` underneath), in the crawl process. What happens here is
bookkeeping: an extraction that found no text is counted as a ``no_text`` error (the article is
still stored, flagged), a failed tagging as ``parse``, and a database error is retried with back-off
(``NEWSMON_STORE_ATTEMPTS`` attempts, waits doubling from ``NEWSMON_STORE_BACKOFF_S`` up to
``NEWSMON_STORE_MAX_WAIT_S``; the crawl goes on meanwhile). When the database stays unavailable the
page is appended to a spool file (``<data dir>/spool/<source>.jsonl``) and the run records a
``spooled`` note (no error: :data:`crawlers.runs.NOTE_KINDS`). Spooled pages are stored as soon as
the database answers again: after the next successful store, when the crawl closes (waiting for the
database once more), or by the next crawl of the source. A page this crawl spooled and could not
store before it ended is a ``store`` error of its run.

Pages tagged at about the same time are stored together, in one transaction (a group commit,
:class:`StoreBatcher`, shared by the spiders of a process): a commit costs more than storing an
article (on SQLite each commit writes the database pages the article touched to the WAL again; on
PostgreSQL it is a round trip and a flush). A page waits at most ``NEWSMON_STORE_BATCH_WAIT_S``
(0 stores each page on its own) and a batch holds at most ``NEWSMON_STORE_BATCH_MAX`` pages. When a
batch's transaction fails, each of its pages is stored on its own, with the retries above, so one
page the database refuses never costs the others theirs. Distributed workers store each page on its
own (:func:`crawlers.distributed.settings.distributed_settings`): their leases end only when pages
are stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import weakref
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.asyncio import sleep
from scrapy.utils.misc import load_object

from config import load_sources
from core.types import PageInput, TaggedArticle
from crawlers import tagging
from crawlers.markup import EXTRACT_FALLBACK
from crawlers.runs import SPOOLED
from storage.article_store import store_article, store_batch
from storage.bounded import bounded
from storage.db import data_dir
from storage.repository import StoreResult
from storage.runs import DATABASE_ERRORS

logger = logging.getLogger(__name__)

CLOSE_REPLAY_ATTEMPTS = 6
"""Storing the spooled pages when a crawl closes waits for the database up to 0.5 + 1 + … + 8 s."""


def load_tagger(settings: Any) -> Callable[..., TaggedArticle]:
    """The tagging function: ``NEWSMON_TAGGER`` (a dotted path), by default the pipeline runner."""
    return load_object(settings.get("NEWSMON_TAGGER") or "pipeline.runner.tag_page")


@dataclass(frozen=True, slots=True)
class _Waiting:
    tagged: TaggedArticle
    run_id: int | None
    stored: asyncio.Future[StoreResult | None]


class StoreBatcher:
    """Stores the pages handed to it within ``wait_s`` of each other in one transaction."""

    def __init__(self, database_url: str | None, wait_s: float, max_size: int) -> None:
        self.database_url = database_url
        self.wait_s = wait_s
        self.max_size = max(1, max_size)
        self._waiting: list[_Waiting] = []
        self._timer: asyncio.TimerHandle | None = None
        self.batches = 0
        """Transactions committed (for tests and logs)."""
        self._tasks: set[asyncio.Future[None]] = set()

    async def store(self, tagged: TaggedArticle, run_id: int | None) -> StoreResult | None:
        """The article as stored, or None when its batch could not be stored (the caller then
        stores it on its own)."""
        loop = asyncio.get_running_loop()
        waiting = _Waiting(tagged, run_id, loop.create_future())
        self._waiting.append(waiting)
        if len(self._waiting) >= self.max_size:
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.wait_s, self.flush)
        return await waiting.stored

    def flush(self) -> None:
        """Store what waits, in one transaction (in the background: see :mod:`storage.bounded`)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._waiting = self._waiting, []
        if batch:
            task = asyncio.ensure_future(self._store(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _store(self, batch: list[_Waiting]) -> None:
        results: list[StoreResult | None]
        try:
            articles = [(waiting.tagged, waiting.run_id) for waiting in batch]
            results = list(await bounded(self.database_url).acall(store_batch, self.database_url, articles))
            self.batches += 1
        except Exception as exc:  # each page is stored on its own then, and its error is its own
            logger.info("storing %d pages together failed (%s); storing them one by one", len(batch), exc)
            results = [None] * len(batch)
        for waiting, result in zip(batch, results, strict=True):
            if not waiting.stored.done():
                waiting.stored.set_result(result)


_BatcherKey = tuple[str | None, float, int]
_batchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[_BatcherKey, StoreBatcher]]
_batchers = weakref.WeakKeyDictionary()


def shared_batcher(database_url: str | None, wait_s: float, max_size: int) -> StoreBatcher:
    """The batcher of the running event loop for this database (the spiders of one crawl process
    share it, so their pages are committed together)."""
    per_loop = _batchers.setdefault(asyncio.get_running_loop(), {})
    key = (database_url, wait_s, max_size)
    if key not in per_loop:
        per_loop[key] = StoreBatcher(database_url, wait_s, max_size)
    return per_loop[key]


class StoragePipeline:
    """Tag each page and upsert it; count the outcome on the crawl run."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.database_url: str | None = settings.get("NEWSMON_DATABASE_URL") or None
        self.attempts = max(1, settings.getint("NEWSMON_STORE_ATTEMPTS", 4))
        self.backoff_s = settings.getfloat("NEWSMON_STORE_BACKOFF_S", 0.5)
        self.max_wait_s = settings.getfloat("NEWSMON_STORE_MAX_WAIT_S", 10.0)
        self.batch_wait_s = settings.getfloat("NEWSMON_STORE_BATCH_WAIT_S", 0.25)
        self.batch_max = settings.getint("NEWSMON_STORE_BATCH_MAX", 50)
        self.spool_dir = Path(settings.get("NEWSMON_SPOOL_DIR") or data_dir() / "spool")
        self.tag_page = load_tagger(settings)
        self.tag_processes = tagging.tag_processes(settings.get("NEWSMON_TAG_PROCESSES"))
        self.pool: tagging.TaggingPool | None = None
        """Worker processes tagging pages while the crawl goes on (from open to close)."""
        self._spooled: set[str] = set()
        """Sources with pages in their spool file (as far as this process knows)."""
        self._unstored: dict[str, Path] = {}
        """URL -> spool file of the pages this crawl spooled and has not stored yet."""
        self._replaying = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> StoragePipeline:
        return cls(crawler)

    @property
    def book(self) -> Any:
        return self.crawler.spider.book

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageInput):
            return item
        source = load_sources().source(item.source_id) if item.source_id else None
        try:
            tagged = await self.pool.tag(item, source) if self.pool else self.tag_page(item, source)
        except Exception as exc:  # a tagging bug must not stop the crawl; it is recorded
            logger.exception("tagging failed for %s", item.url)
            self.error("parse", item.url, f"tagging failed: {type(exc).__name__}: {exc}")
            raise DropItem(f"tagging failed: {exc}") from exc
        if tagged.extraction_status == "no_text":
            self.error("no_text", item.url, tagged.extraction_reason or "no text extracted")
        if tagged.extraction_fallback:
            detail = f"body selectors not used ({tagged.extraction_fallback}); body extracted by trafilatura"
            self.error(EXTRACT_FALLBACK, item.url, detail)
        try:
            await self.store_batched(tagged)
        except DATABASE_ERRORS as exc:
            spooled = self.spool(item, exc)
            self._unstored[item.url] = spooled
            self.error(SPOOLED, item.url, f"{type(exc).__name__}: {exc}; page kept in {spooled}")
            raise DropItem(f"could not store {item.url}: {exc}") from exc
        if self._spooled and not self._replaying:
            await self.replay(attempts=1)  # the database answers again: store what waits
        return item

    async def store_batched(self, tagged: TaggedArticle) -> StoreResult:
        """Store ``tagged`` with the pages tagged meanwhile (:class:`StoreBatcher`); on its own,
        with retries, when that fails or batching is off."""
        if self.batch_wait_s > 0:
            batcher = shared_batcher(self.database_url, self.batch_wait_s, self.batch_max)
            result = await batcher.store(tagged, self.book.run_id)
            if result is not None:
                self.count(result)
                return result
        return await self.store(tagged, self.attempts)

    def count(self, result: StoreResult) -> None:
        self.crawler.stats.inc_value("newsmon/articles/new" if result.created else "newsmon/articles/updated")

    async def store(self, tagged: TaggedArticle, attempts: int) -> StoreResult:
        """Upsert ``tagged``, retrying database errors with back-off; the last error is raised."""
        for attempt in range(1, attempts + 1):
            try:
                result = await bounded(self.database_url).acall(
                    store_article, self.database_url, tagged, self.book.run_id
                )
                break
            except DATABASE_ERRORS as exc:
                if attempt == attempts or self.stopping:
                    raise  # a crawl being stopped spools at once: it has a grace period to end in
                wait = min(self.backoff_s * 2 ** (attempt - 1), self.max_wait_s)
                logger.warning(
                    "storing %s failed (%s), attempt %d of %d, retrying in %.1f s",
                    tagged.page.url,
                    exc,
                    attempt,
                    attempts,
                    wait,
                )
                await self._back_off(wait)
        self.count(result)
        return result

    @property
    def stopping(self) -> bool:
        """The crawl is being stopped (SIGTERM, Ctrl-C): Scrapy's crawler no longer crawls."""
        return not self.crawler.crawling

    async def _back_off(self, wait: float) -> None:
        """Wait ``wait`` seconds before the next attempt, less if the crawl is stopped meanwhile."""
        deadline = time.monotonic() + wait
        while not self.stopping and (left := deadline - time.monotonic()) > 0:
            await sleep(min(left, 0.25))

    async def open_spider(self, spider: Any = None) -> None:
        """Start the tagging workers; pages an earlier crawl of this source had to spool are
        stored first."""
        if self.tag_processes and self.pool is None:
            settings = self.crawler.settings
            self.pool = tagging.acquire(
                settings.get("NEWSMON_TAGGER"), self.tag_processes, settings.get("NEWSMON_TAGGER_WARM_UP")
            )
        if self.spool_path(self.source_id).exists():
            self._spooled.add(self.source_id)
            await self.replay(attempts=1)

    async def close_spider(self, spider: Any = None) -> None:
        """Before the run closes, store what is spooled (waiting for the database once more,
        unless the crawl is being stopped: it has a grace period to end in, and the spool keeps
        the pages for the next crawl)."""
        try:
            if self._spooled:
                await self.replay(attempts=1 if self.stopping else max(self.attempts, CLOSE_REPLAY_ATTEMPTS))
            for url, path in self._unstored.items():  # lost to this run: the next crawl stores them
                self.error("store", url, f"still spooled in {path}: the next crawl of the source stores it")
            self._unstored.clear()
        finally:
            if self.pool is not None:
                tagging.release(self.pool)
                self.pool = None

    @property
    def source_id(self) -> str:
        return str(getattr(self.crawler.spider, "name", None) or "unknown")

    def spool_path(self, source_id: str | None) -> Path:
        return self.spool_dir / f"{source_id or 'unknown'}.jsonl"

    async def replay(self, attempts: int) -> int:
        """Store the pages of this source's spool file; those that fail again stay spooled.
        Returns how many were stored."""
        path = self.spool_path(self.source_id)
        if self._replaying or not path.exists():
            self._spooled.discard(self.source_id)
            return 0
        self._replaying = True
        # Taken aside first: pages spooled meanwhile (here or by another crawler) go to a new file.
        taken = path.with_name(f"{path.name}.{os.getpid()}.replay")
        try:
            path.replace(taken)
            self._spooled.discard(self.source_id)
            lines = taken.read_text("utf-8").splitlines()
            stored = 0
            for index, line in enumerate(lines):
                page = _page_from_spool(line)
                if page is None:
                    continue
                try:
                    source = load_sources().source(page.source_id) if page.source_id else None
                    await self.store(self.tag_page(page, source), attempts)
                    self._unstored.pop(page.url, None)
                    stored += 1
                except DATABASE_ERRORS as exc:
                    for rest in lines[index:]:  # the database is still away: keep them all
                        if (again := _page_from_spool(rest)) is not None:
                            self.spool(again, exc)
                    break
                except Exception:  # a page that cannot be tagged is recorded, not kept forever
                    logger.exception("a spooled page of %s could not be tagged", page.url)
                    self.error("parse", page.url, "spooled page: tagging failed")
            if stored:
                logger.info("%s: %d spooled pages stored", self.source_id, stored)
            return stored
        finally:
            taken.unlink(missing_ok=True)
            self._replaying = False

    def error(self, kind: str, url: str, detail: str) -> None:
        self.crawler.stats.inc_value(f"newsmon/errors/{kind}")
        self.book.error(kind, url, detail)

    def spool(self, page: PageInput, exc: BaseException) -> Path:
        """Append the page to the source's spool file (JSON lines) and return the file."""
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        path = self.spool_path(page.source_id)
        record = {key: _jsonable(value) for key, value in asdict(page).items()}
        record["error"] = f"{type(exc).__name__}: {exc}"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._spooled.add(page.source_id or "unknown")
        return path


_PAGE_FIELDS = {f.name for f in fields(PageInput)}


def _page_from_spool(line: str) -> PageInput | None:
    """The page of one spool line (None for a line that cannot be read)."""
    try:
        record = json.loads(line)
        values = {key: value for key, value in record.items() if key in _PAGE_FIELDS}
        for key in ("site_published", "fetched_at"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return PageInput(**values)
    except (ValueError, TypeError):
        logger.error("unreadable spool line skipped: %.200s", line)
        return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return dict(value)
    return value


class CheckPipeline:
    """``newsmon sources check``: tag the one article a spider fetched and report, store nothing."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.tag_page = load_tagger(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CheckPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageInput):
            return item
        report = self.crawler.spider.check_report
        source = load_sources().source(item.source_id) if item.source_id else None
        try:
            tagged = self.tag_page(item, source)
        except Exception as exc:  # reported, not raised: the check must cover every source
            report["article"] = {"url": item.url, "error": f"{type(exc).__name__}: {exc}"}
            return item
        report["article"] = {
            "url": item.url,
            "site_date": item.site_published.isoformat() if item.site_published else None,
            "published": tagged.published_at.isoformat(),
            "date_uncertain": tagged.date_uncertain,
            "language": tagged.language,
            "title": tagged.title,
            "text_chars": len(tagged.text),
            "extraction": tagged.extraction_status,
            "extraction_method": tagged.extraction_method,
        }
        return item
