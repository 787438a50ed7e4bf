"""The lifecycle of a source's crawl: construction from config + spec, the run book, the chain
state (high-water marks, stop rule, window), failure bookkeeping and the closing of the run.

:class:`crawlers.base.NewsSpider` adds discovery and the hand-over of articles on top.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import scrapy
from scrapy import Request, signals
from scrapy.http import Response
from twisted.python.failure import Failure

from config import SourceConfig, load_sources
from core.urls import ascii_host
from crawlers.articles import ArticleReader
from crawlers.chains import Window, as_bool, as_date, continues, finish_chain
from crawlers.channels import Channel, source_channels
from crawlers.discovery.archive import ArchiveBackfill
from crawlers.discovery.feed import FeedDiscovery
from crawlers.discovery.listing import ListingDiscovery
from crawlers.discovery.walk import IdWalk
from crawlers.failures import RetryList
from crawlers.mirroring import mirrored_hosts
from crawlers.runs import CLOSE_ATTEMPTS, STOPPING_CLOSE_ATTEMPTS, RunBook
from crawlers.spec import SiteSpec
from storage.runs import DATABASE_ERRORS

logger = logging.getLogger(__name__)

class SpiderCore(scrapy.Spider):
    """One configured source's crawl run (``name`` = the source id) and its bookkeeping."""

    spec: ClassVar[SiteSpec] = SiteSpec(article_patterns=())
    """The site's particulars (override in the site spider)."""
    custom_settings: dict[str, Any] | None = None

    # --- construction ---------------------------------------------------------------------------

    def __init__(
        self,
        *args: Any,
        since: str | date | None = None,
        until: str | date | None = None,
        refetch: str | bool = False,
        trigger: str = "manual",
        discovery: str = "auto",
        check: str | bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source: SourceConfig = load_sources().source(self.name)
        self.site = self.spec_for(self.source)
        self.since = as_date(since, "since")
        self.until = as_date(until, "until")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since {self.since} is after until {self.until}")
        self.refetch = as_bool(refetch)
        self.discovery = discovery
        self.trigger = trigger
        self.listings = ListingDiscovery(self.site)
        self.feeds = FeedDiscovery(self.site, self.listings)
        self.archives = ArchiveBackfill(self.site.archive)
        self.walker = IdWalk(self.site.walk)
        self.reader = ArticleReader(self.site, self.source, self.walker)
        self.scheduled: set[str] = set()
        self.body_sizes: list[int] = []
        self.max_listing_pages = 500
        self.book: RunBook | None = None
        self.walk_state: dict[str, int] = {}
        self.archive_fallbacks: set[str] = set()
        self.initial_channels: dict[str, dict[str, Any]] = {}
        self.check = as_bool(check)
        self.check_report: dict[str, Any] = {}
        self._channels: list[Channel] | None = None

    @classmethod
    def spec_for(cls, source: SourceConfig) -> SiteSpec:
        """The spec of the configured source this spider crawls (the class's own by default)."""
        return cls.spec

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SpiderCore:
        spider: SpiderCore = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_listing_pages = settings.getint("NEWSMON_MAX_LISTING_PAGES", 500)
        spider.book = RunBook(
            spider.name,
            database_url=settings.get("NEWSMON_DATABASE_URL") or None,
            trigger=spider.trigger,
            options=spider.run_options(settings),
            dry=spider.check or settings.getbool("NEWSMON_DRY_RUN"),
        )
        crawler.signals.connect(spider._response_received, signal=signals.response_received)
        crawler.signals.connect(spider._spider_error, signal=signals.spider_error)
        crawler.signals.connect(spider._spider_closed, signal=signals.spider_closed)
        return spider

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Per-source politeness from the configuration (``NEWSMON_POLITENESS=off`` disables it);
        the mirror's download handler when crawling the mirror."""
        super().update_settings(settings)
        from crawlers.mirroring import route_to_mirror
        from crawlers.settings import apply_source_politeness

        apply_source_politeness(settings, cls.name)
        route_to_mirror(settings)

    def run_options(self, settings: Any) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "refetch": self.refetch,
            "mirror": settings.get("NEWSMON_MIRROR_URL") or None,
            "discovery": self.discovery,
        }

    @property
    def window(self) -> Window:
        return Window(self.since, self.until, self.refetch)

    @property
    def backfill(self) -> bool:
        """Bounded by dates or refetching: incremental stopping is off."""
        return self.window.backfill

    def channels(self) -> list[Channel]:
        """The sections to read (:func:`crawlers.channels.source_channels`); through a mirror,
        those on the hosts it serves."""
        if self._channels is None:
            self._channels = source_channels(self.site, self.source)
            mirror = self.settings.get("NEWSMON_MIRROR_URL") if hasattr(self, "crawler") else None
            served = mirrored_hosts(mirror) if mirror else None
            if served is not None:
                kept = [channel for channel in self._channels if channel.host.removeprefix("www.") in served
                        or channel.host in served]
                if len(kept) < len(self._channels):
                    logger.info("%s: %d of %d channels are on hosts the mirror does not serve: not crawled",
                                self.name, len(self._channels) - len(kept), len(self._channels))
                self._channels = kept
        return self._channels

    def own_hosts(self) -> set[str]:
        """The hosts of this source (ASCII, without ``www.``): its configured hosts and its
        channels' hosts. A redirect elsewhere is not followed (``offsite_redirect``)."""
        hosts = [*self.source.hosts, *(channel.host for channel in self.channels())]
        return {ascii_host(host).removeprefix("www.") for host in hosts}

    @property
    def retries(self) -> RetryList:
        assert self.book is not None
        return RetryList(self.book.state)

    def article_failed(self, url: str, channel: Channel, kind: str) -> None:
        if not self.check and self.book is not None:
            self.retries.note(url, channel.key, kind)

    def should_continue(
        self,
        *,
        entries: int,
        new: int,
        known: int,
        dates: Sequence[datetime],
        channel: Channel,
        repeats_previous: bool = False,
    ) -> bool:
        """Whether to read the next page of a chain (:func:`crawlers.chains.continues`)."""
        return continues(
            self.window,
            self.previous_state(channel),
            entries=entries,
            new=new,
            known=known,
            dates=dates,
            channel=channel,
            repeats_previous=repeats_previous,
        )

    # --- per-channel crawl state ----------------------------------------------------------------

    def previous_state(self, channel: Channel) -> dict[str, Any]:
        """The channel's state as the last crawl left it."""
        return dict(self.initial_channels.get(channel.key, {}))

    def channel_state(self, channel: Channel) -> dict[str, Any]:
        assert self.book is not None
        channels = self.book.state.setdefault("channels", {})
        return channels.setdefault(channel.key, {})

    def chain_started(self, channel: Channel) -> None:
        if not self.backfill:
            self.channel_state(channel)["complete"] = False

    def chain_finished(self, channel: Channel, top: datetime | None) -> None:
        """A chain ended by the stop rule or at the end of the listing: advance the mark."""
        if not self.backfill:  # a window says nothing about what lies above it
            finish_chain(self.channel_state(channel), top)

    def in_window(self, published: datetime | None, zone: Any) -> bool:
        return self.window.holds(published, zone)

    def _today(self, channel: Channel) -> date:
        return datetime.now(ZoneInfo(channel.timezone)).date()

    def book_known(self, key: str) -> bool:
        assert self.book is not None
        return bool(self.book.refresh_known([key]))

    def book_error(self, kind: str, url: str | None, detail: str | None = None) -> None:
        assert self.book is not None
        self.crawler.stats.inc_value(f"newsmon/errors/{kind}")
        self.book.error(kind, url, detail)

    def _response_received(self, response: Response, request: Request, spider: scrapy.Spider) -> None:
        if spider is self and self.book is not None:
            self.book.page()

    def _spider_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        if spider is self:
            self.book_error("parse", response.url, f"{failure.type.__name__}: {failure.value}")

    async def _spider_closed(self, spider: scrapy.Spider, reason: str) -> None:
        if spider is not self or self.book is None or self.book.run_id is None:
            return
        self.book.state["walk"] = {**self.book.state.get("walk", {}), **self.walk_state}
        stats = self.crawler.stats
        pages = stats.get_value("response_received_count", 0) or 0
        if reason == "finished" and pages == 0:
            status, message = "failed", "no page could be fetched"
        elif reason == "finished" and self.book.errors.get("store"):  # the database refused them
            status, message = "failed", "pages could not be stored: they wait in the spool for the next crawl"
        elif reason == "finished":
            status, message = "finished", None
        elif reason in ("shutdown", "cancelled"):
            status, message = "interrupted", f"crawl stopped: {reason}"
        else:
            status, message = "failed", f"crawl closed: {reason}"
        errors = ", ".join(f"{k} {v}" for k, v in sorted(self.book.errors.items()))
        if errors:
            message = f"{message + '; ' if message else ''}errors: {errors}"
        # A stopped crawl has a grace period to end in (the scheduler's kill_grace_s): it does not
        # wait long for a database that does not answer.
        attempts = STOPPING_CLOSE_ATTEMPTS if reason in ("shutdown", "cancelled") else CLOSE_ATTEMPTS
        try:
            await self.book.close_waiting(status, message, attempts)
        except DATABASE_ERRORS as exc:  # a full disk, a read-only database, a database away
            logger.error(
                "%s: crawl run %s could not be closed (%s); the next crawl of the source closes it as failed",
                self.name,
                self.book.run_id,
                str(exc).splitlines()[0],
            )
