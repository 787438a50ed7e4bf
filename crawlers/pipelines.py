"""The thin item pipeline: a spider's PageInput -> tagging runner -> storage.

All tagging is :func:`pipeline.runner.tag_page`; all writing is
:func:`storage.repository.upsert_article`. What happens here is bookkeeping: an extraction that
found no text is counted as a ``no_text`` error (the article is still stored, flagged), a failed
tagging as ``parse``, and a database error is retried with back-off. When the database stays
unavailable the page is appended to a spool file (``<data dir>/spool/<source>.jsonl``) and the
run records a ``store`` error, so no page is lost silently.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.asyncio import sleep
from scrapy.utils.misc import load_object
from sqlalchemy.exc import SQLAlchemyError

from config import load_sources
from pipeline.types import PageInput, TaggedArticle
from storage.db import DatabaseUnavailable, data_dir, session_scope
from storage.repository import upsert_article

logger = logging.getLogger(__name__)


def load_tagger(settings: Any) -> Callable[..., TaggedArticle]:
    """The tagging function: ``NEWSMON_TAGGER`` (a dotted path), by default the pipeline runner."""
    return load_object(settings.get("NEWSMON_TAGGER") or "pipeline.runner.tag_page")


class StoragePipeline:
    """Tag each page and upsert it; count the outcome on the crawl run."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.database_url: str | None = settings.get("NEWSMON_DATABASE_URL") or None
        self.attempts = max(1, settings.getint("NEWSMON_STORE_ATTEMPTS", 4))
        self.backoff_s = settings.getfloat("NEWSMON_STORE_BACKOFF_S", 0.5)
        self.spool_dir = Path(settings.get("NEWSMON_SPOOL_DIR") or data_dir() / "spool")
        self.tag_page = load_tagger(settings)

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
            tagged = self.tag_page(item, source)
        except Exception as exc:  # a tagging bug must not stop the crawl; it is recorded
            logger.exception("tagging failed for %s", item.url)
            self.error("parse", item.url, f"tagging failed: {type(exc).__name__}: {exc}")
            raise DropItem(f"tagging failed: {exc}") from exc
        if tagged.extraction_status == "no_text":
            self.error("no_text", item.url, tagged.extraction_reason or "no text extracted")

        for attempt in range(1, self.attempts + 1):
            try:
                with session_scope(self.database_url) as session:
                    result = upsert_article(session, tagged, self.book.run_id)
                break
            except (SQLAlchemyError, DatabaseUnavailable) as exc:
                if attempt == self.attempts:
                    spooled = self.spool(item, exc)
                    self.error("store", item.url, f"{type(exc).__name__}: {exc}; page kept in {spooled}")
                    raise DropItem(f"could not store {item.url}: {exc}") from exc
                wait = self.backoff_s * 2 ** (attempt - 1)
                logger.warning(
                    "storing %s failed (%s), attempt %d of %d, retrying in %.1f s",
                    item.url,
                    exc,
                    attempt,
                    self.attempts,
                    wait,
                )
                await sleep(wait)
        stats = self.crawler.stats
        stats.inc_value("newsmon/articles/new" if result.created else "newsmon/articles/updated")
        return item

    def error(self, kind: str, url: str, detail: str) -> None:
        self.crawler.stats.inc_value(f"newsmon/errors/{kind}")
        self.book.error(kind, url, detail)

    def spool(self, page: PageInput, exc: BaseException) -> Path:
        """Append the page to the source's spool file (JSON lines) and return the file."""
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        path = self.spool_dir / f"{page.source_id or 'unknown'}.jsonl"
        record = {key: _jsonable(value) for key, value in asdict(page).items()}
        record["error"] = f"{type(exc).__name__}: {exc}"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return path


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
        }
        return item
