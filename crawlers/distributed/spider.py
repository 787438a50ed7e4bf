"""The spider side of distributed crawling: the mix-in that seeds a run (``newsmon crawl
--distributed``) or joins one (``newsmon worker``), and the run book of one worker's share of a
run (see :mod:`crawlers.distributed`)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scrapy import Request

from core.urls import InvalidURL, canonical_url
from crawlers.distributed.control import RunControl
from crawlers.distributed.leases import CLAIM_META, REQUEUED_META, WORKER_ID, SharedScheduled
from crawlers.distributed.settings import DEFAULT_PREFIX
from crawlers.runs import RunBook
from storage.crawl_state import merge_crawl_state, stored_urls_of_source
from storage.runs import DATABASE_ERRORS, finish_shared_crawl_run

logger = logging.getLogger(__name__)


class SharedRunBook(RunBook):
    """The bookkeeping of one worker's share of a run: it joins the run the seeder started,
    merges crawl state instead of overwriting it, and never finishes the run row itself."""

    pages_total = 0

    def attach(self, run_id: int, state: dict[str, Any]) -> None:
        self.run_id = run_id
        self.state = json.loads(json.dumps(state))
        self._known = stored_urls_of_source(self.database_url, self.source_id)

    def page(self) -> None:
        self.pages_total += 1
        super().page()

    def merge_state(
        self, *, channels: dict[str, Any] | None = None, walk: dict[str, int] | None = None
    ) -> None:
        if self.run_id is None or self.dry:
            return
        try:
            merge_crawl_state(self.database_url, self.source_id, channels=channels, walk=walk)
        except DATABASE_ERRORS:
            logger.exception("could not save the crawl state of %s", self.source_id)

    def close(self, status: str, message: str | None = None) -> None:
        self.flush_pages()

    def finish(self) -> None:
        """Finish the run row from what all workers counted into it."""
        if self.run_id is None:
            return
        self.flush_pages()
        finish_shared_crawl_run(self.database_url, self.run_id)


class DistributedSpider:
    """Mixed into a :class:`crawlers.base.NewsSpider` subclass for ``newsmon crawl
    --distributed`` (mode ``seed``) and ``newsmon worker`` (mode ``work``)."""

    distributed_mode: str = "work"
    control: RunControl
    seed_report: dict[str, Any]

    if TYPE_CHECKING:  # what the NewsSpider it is mixed into provides
        name: str
        book: SharedRunBook

        @property
        def backfill(self) -> bool: ...

        def channel_state(self, channel: Any) -> dict[str, Any]: ...

        def start_requests_for_channels(self) -> Iterator[Request]: ...

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        settings = crawler.settings
        spider.distributed_mode = settings.get("NEWSMON_DISTRIBUTED") or "work"
        old = spider.book
        spider.book = SharedRunBook(
            spider.name, database_url=old.database_url, trigger=old.trigger, options=old.options, dry=old.dry
        )
        from scrapy_redis.connection import get_redis_from_settings

        server = get_redis_from_settings(settings)
        spider.control = RunControl(
            server, settings.get("NEWSMON_REDIS_PREFIX") or DEFAULT_PREFIX, spider.name
        )
        spider.scheduled = SharedScheduled(server, spider.control.dupefilter_key)
        spider.seed_report = {}
        spider._attached = False
        return spider

    # --- seeding (newsmon crawl --distributed) -------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        if self.distributed_mode == "seed":
            for request in self.seed_requests():
                yield request
            if self.seed_report.get("seeded"):
                self.control.mark_running()
            return
        self.attach()  # or later, once a run is seeded

    def seed_requests(self) -> list[Request]:
        """Open the run (once per run: the ``HSETNX`` on the record decides) and list its start
        requests; they are pushed into Redis as they are yielded."""
        record = self.control.claim_seeding(WORKER_ID)
        if record is None:
            current = self.control.record()
            self.seed_report = {
                "seeded": False,
                "run_id": current.run_id if current else None,
                "state": current.state if current else None,
                "queued": self.control.queued(),
                "leased": self.control.leased(),
            }
            return []
        book = self.book
        if record.run_id is not None:  # taking over a seeding whose seeder died
            book.attach(record.run_id, record.state_before)
            self.apply_options(record.options)
        else:
            book.open()
            assert book.run_id is not None
            before = json.loads(json.dumps(book.state))
            self.control.publish(book.run_id, self.shared_options(), before)
        self.walk_state = dict(book.state.get("walk", {}))
        self.initial_channels = {k: dict(v) for k, v in book.state.get("channels", {}).items()}
        requests = list(self.start_requests_for_channels())
        # "chain started" marks, saved before any worker can finish a chain.
        book.merge_state(channels=dict(book.state.get("channels", {})))
        self._attached = True
        self.seed_report = {"seeded": True, "run_id": book.run_id, "requests": len(requests)}
        return requests

    def shared_options(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "refetch": self.refetch,
            "discovery": self.discovery,
        }

    def apply_options(self, options: dict[str, Any]) -> None:
        from crawlers.base import _as_bool, _as_date

        self.since = _as_date(options.get("since"), "since")
        self.until = _as_date(options.get("until"), "until")
        self.refetch = _as_bool(options.get("refetch") or False)
        self.discovery = options.get("discovery") or "auto"

    # --- working (newsmon worker) --------------------------------------------------------------

    def attached(self) -> bool:
        return self._attached

    def attach(self) -> bool:
        """Join the source's current run, if one is seeded: its run row, options and the crawl
        state from before it (high-water marks)."""
        if self._attached:
            return True
        record = self.control.record()
        if record is None or record.run_id is None or record.state not in ("seeding", "running"):
            return False
        self.apply_options(record.options)
        self.book.attach(record.run_id, record.state_before)
        self.walk_state = dict(record.state_before.get("walk", {}))
        self.initial_channels = {k: dict(v) for k, v in record.state_before.get("channels", {}).items()}
        self._attached = True
        logger.info("%s: working on crawl run %s", self.name, record.run_id)
        return True

    def article_request(self, entry: Any, channel: Any, **meta: Any) -> Request:
        request = super().article_request(entry, channel, **meta)  # type: ignore[misc]
        try:
            request.meta[CLAIM_META] = canonical_url(entry.url)
        except InvalidURL:
            pass
        return request

    def redundant(self, request: Request) -> bool:
        """A re-queued article (its worker died) that was stored meanwhile is not fetched again."""
        meta = request.meta
        if not meta.get(REQUEUED_META) or meta.get("nm_role") != "article" or meta.get("nm_walk"):
            return False
        if self.refetch:
            return False
        try:
            key = canonical_url(request.url)
        except InvalidURL:
            return False
        return bool(self.book.refresh_known([key]))

    def chain_finished(self, channel: Any, top: datetime | None) -> None:
        super().chain_finished(channel, top)  # type: ignore[misc]
        if self.backfill or self.distributed_mode != "work":
            return
        # Written at once: a worker may die, and its channels are not its own.
        self.book.merge_state(channels={channel.key: self.channel_state(channel)})

    def finish_run(self) -> None:
        self.book.merge_state(walk=self.walk_state)
        self.book.finish()

    def _spider_closed(self, spider: Any, reason: str) -> None:
        if spider is not self or self.book is None or self.book.run_id is None:
            return
        self.book.flush_pages()
        if self.distributed_mode == "work" and self.walk_state:
            self.book.merge_state(walk=self.walk_state)


_CLASSES: dict[type, type] = {}


def distributed_spider(spidercls: type) -> type:
    """``spidercls`` with :class:`DistributedSpider` mixed in (same name, same callbacks)."""
    if issubclass(spidercls, DistributedSpider):
        return spidercls
    if spidercls not in _CLASSES:
        _CLASSES[spidercls] = type(f"Distributed{spidercls.__name__}", (DistributedSpider, spidercls), {})
    return _CLASSES[spidercls]
