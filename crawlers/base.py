"""The generic news spider every site spider extends.

A site spider (``crawlers/spiders/<source id>.py``) states only what is particular to its site:
article URL patterns, how the URL path declares the language, how listings and feeds paginate,
date archives for backfills, and where an article page states its date. Everything else lives
here and never names a site:

* **Discovery.** Each *channel* (a section of a host: ``polisia.kz/ru/``, ``22.мвд.рф/news``) is
  read feed first when it has one, listing pages as the fallback and continuation; links are
  found by URL pattern (:mod:`crawlers.links`), feeds parsed by :mod:`crawlers.feeds`. A backfill
  (``since``) uses the site's date archives when it has them. Sites with sequential ids can
  walk them (``walk_template``), stopping after ``walk_max_misses`` consecutive misses.
* **Incremental stop.** Without ``since``/``until`` a chain of pages (feed, then listing) stops
  at the first page below the channel's high-water mark (the newest entry its last complete
  crawl saw) or, on undated listings, at a page of only known articles. Known articles are never
  requested again unless ``refetch``. The mark only advances when a chain ends normally, so an
  interrupted crawl is caught up by the next one.
* **Window.** ``since``/``until`` (inclusive dates, in the host's zone) bound what is fetched and
  stored.
* **Honesty.** Challenge pages and error pages served as 200 are recorded (kinds ``challenge``,
  ``soft_404``) and not handed on; every failure is counted by kind on the crawl run.
* **Hand-over.** An article page becomes a :class:`~core.types.PageInput` carrying what the
  site states (feed/listing title and date, declared language, hreflang alternates, host zone).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from typing import Any, ClassVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy import Request, signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    DNSLookupError,
    TCPTimedOutError,
)
from twisted.internet.error import (
    TimeoutError as TwistedTimeoutError,
)
from twisted.python.failure import Failure

from config import SourceConfig, load_sources
from core.types import PageInput
from core.urls import InvalidURL, ascii_host, canonical_url, url_host
from crawlers.entries import Entry
from crawlers.feeds import NotAFeed, parse_feed
from crawlers.links import article_links, compile_patterns, matches_article
from crawlers.pages import (
    classify_page,
    first_date,
    hreflang_alternates,
    html_language,
    looks_like_html,
    meta_published,
    near_heading_date,
    true_encoding,
)
from crawlers.runs import RunBook
from pipeline.records import date_in_url

logger = logging.getLogger(__name__)

ARTICLE_PRIORITY = 10
LISTING_PRIORITY = 0
RETRY_KINDS = frozenset({"http_5xx", "http_4xx", "timeout", "connection", "truncated", "dns", "challenge"})
"""Article failures the next crawl tries again (the site may answer then); a 404, a page robots.txt
forbids or one too large is not retried."""
RETRY_CRAWLS = 3
"""Crawls that try a failing article before it is given up (it stays in the runs' error samples)."""


@dataclass(frozen=True, slots=True)
class Channel:
    """One section of a host the spider reads: a listing chain with an optional feed in front."""

    key: str
    """Stable name (``polisia.kz/ru``), used in logs and in the crawl state."""
    host: str
    """Real host, lower-case ASCII."""
    listing: str | None
    """First listing page (``https://polisia.kz/ru/``), or None for a feed-only channel."""
    feed: str | None
    """Feed tried before the listing, or None."""
    language: str | None
    """Language the section declares (ISO 639-1), if the URL says."""
    timezone: str
    """IANA zone the host displays and states dates in."""


@dataclass(frozen=True, slots=True)
class Archive:
    """A date-archive listing page and the days it covers."""

    url: str
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class Walk:
    """Progress of an id walk over ``template`` (``https://mvd.gov.kg/rus/news/{id}``)."""

    channel: Channel
    template: str
    next_id: int
    step: int
    """+1 upwards (new items), -1 downwards (backfill)."""
    misses: int = 0
    steps: int = 0


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a feed/listing page decided: go on to the next page, and the newest date so far."""

    go_on: bool
    top: datetime | None
    keys: frozenset[str] = frozenset()
    """Canonical URLs of the page's entries (a next page listing the same ones is a repeat)."""


class NewsSpider(scrapy.Spider):
    """Feed/listing/article crawling of one configured source (``name`` = the source id)."""

    # --- site data (override in the site spider) -----------------------------------------------
    article_patterns: ClassVar[Sequence[str]] = ()
    """Regular expressions an article URL's path (+ ``?query``) must match in full."""
    language_prefixes: ClassVar[Sequence[tuple[str, str]]] = ()
    """(path prefix, ISO 639-1) pairs, most specific first; ``""`` matches the root edition."""
    article_date_selectors: ClassVar[Sequence[str]] = ()
    """CSS/XPath queries of the article page's displayed date (after the meta tags)."""
    extra_sections: ClassVar[Sequence[str]] = ()
    """Listing paths read on the configured hosts besides the start URLs: sections that only the
    site's structure explains (a legacy archive), not an operator's choice."""
    walk_template: ClassVar[str | None] = None
    """``{id}`` URL template of sequential article ids (None: the site cannot be walked)."""
    walk_max_misses: ClassVar[int] = 20
    """Consecutive misses (404) that end a walk: ids have gaps, and language editions may be sparse."""
    walk_max_steps: ClassVar[int] = 2000

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
        self.since = _as_date(since, "since")
        self.until = _as_date(until, "until")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since {self.since} is after until {self.until}")
        self.refetch = _as_bool(refetch)
        self.discovery = discovery
        self.trigger = trigger
        self.patterns = compile_patterns(self.article_patterns)
        self.scheduled: set[str] = set()
        self.max_listing_pages = 500
        self.book: RunBook | None = None
        self.walk_state: dict[str, int] = {}
        self.archive_fallbacks: set[str] = set()
        self.initial_channels: dict[str, dict[str, Any]] = {}
        self.check = _as_bool(check)
        self.check_report: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
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
    def backfill(self) -> bool:
        """Bounded by dates or refetching: incremental stopping is off."""
        return bool(self.since or self.until or self.refetch)

    # --- site hooks (override where the site differs) ------------------------------------------

    def channels(self) -> list[Channel]:
        """The sections to read: one per configured start URL, each with the configured feed
        whose path lies below it. A feed without such a listing gets the listing the site pairs
        with it (:meth:`listing_for_feed`), or is read alone. ``extra_sections`` come last."""
        starts = list(self.source.start_urls)
        for feed in self.source.feeds:
            listing = self.listing_for_feed(feed)
            if listing and not any(_same_section(listing, url) for url in starts):
                starts.append(listing)
        for host in dict.fromkeys(urlsplit(url).netloc for url in self.source.start_urls):
            for path in self.extra_sections:
                starts.append(f"https://{host}{path}")
        listings = [(url, urlsplit(url)) for url in starts]
        feeds_for: dict[str, str] = {}
        orphan_feeds: list[str] = []
        for feed in self.source.feeds:
            parts = urlsplit(feed)
            owners = [
                url
                for url, lparts in listings
                if ascii_host(lparts.hostname or "") == ascii_host(parts.hostname or "")
                and parts.path.startswith(lparts.path.rstrip("/") + "/")
            ]
            owner = max(owners, key=len, default=None)
            if owner is not None and owner not in feeds_for:
                feeds_for[owner] = feed
            else:
                orphan_feeds.append(feed)
        channels = [self.make_channel(url, feeds_for.get(url)) for url, _ in listings]
        channels += [self.make_channel(None, feed) for feed in orphan_feeds]
        return channels

    def make_channel(self, listing: str | None, feed: str | None, timezone: str | None = None) -> Channel:
        url = listing or feed
        assert url is not None
        host = url_host(url)
        path = urlsplit(listing).path if listing else urlsplit(feed or "").path
        return Channel(
            key=f"{host}{path.rstrip('/')}" + ("" if listing else " (feed)"),
            host=host,
            listing=_ascii_url(listing) if listing else None,
            feed=_ascii_url(feed) if feed else None,
            language=self.language_of(url),
            timezone=timezone or self.source.timezone,
        )

    def listing_for_feed(self, feed: str) -> str | None:
        """The listing a site pairs with a feed (WordPress: ``/ru/feed/`` -> ``/ru/``), if any."""
        return None

    def language_of(self, url: str) -> str | None:
        """The language the URL path declares (``language_prefixes``), if any."""
        path = urlsplit(url).path or "/"
        for prefix, language in self.language_prefixes:
            if prefix == "" or path == prefix.rstrip("/") or path.startswith(prefix.rstrip("/") + "/"):
                return language
        return None

    def accept_article(self, url: str) -> bool:
        """An extra site rule on top of ``article_patterns`` (reserved slugs …)."""
        return True

    def feed_page_url(self, channel: Channel, page: int) -> str | None:
        """URL of feed page ``page`` (>= 2), if the site's feeds paginate."""
        return None

    def listing_page_url(self, channel: Channel, page: int) -> str | None:
        """URL of listing page ``page`` (>= 2); default: none (the page's rel=next is followed)."""
        return None

    def archive_urls(self, channel: Channel, since: date, until: date) -> list[Archive] | None:
        """Date-archive listing pages covering [since, until], newest first; None: no archives."""
        return None

    def archive_page_url(self, url: str, page: int) -> str | None:
        """URL of page ``page`` (>= 2) of an archive listing, if archives paginate."""
        return None

    def url_date(self, url: str, zone: tzinfo) -> datetime | None:
        """A date the article URL states (``/2025/01/10/``): the source's ``url_date`` pattern."""
        stated = date_in_url(url, self.source)
        return stated.replace(tzinfo=zone) if stated else None

    def article_date(self, response: TextResponse, zone: tzinfo) -> datetime | None:
        """The date an article page states: meta data, then ``article_date_selectors``, then a
        date next to the heading."""
        selector = response.selector
        return (
            meta_published(selector, tz=zone)
            or first_date(selector, self.article_date_selectors, tz=zone)
            or near_heading_date(selector, tz=zone)
        )

    def article_alternates(self, response: TextResponse) -> dict[str, str]:
        """Other language versions the page links to: hreflang by default."""
        return hreflang_alternates(response.selector, response.url)

    def item_id(self, url: str) -> int | None:
        """The numeric article id in a URL, for sites that can be walked."""
        return None

    def walk_home_urls(self, channel: Channel) -> list[str]:
        """Pages whose article links reveal the newest id when a walk has no stored start."""
        return [channel.listing] if channel.listing else []

    # --- start ---------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        assert self.book is not None
        self.book.open()
        self.walk_state = dict(self.book.state.get("walk", {}))
        self.initial_channels = {
            key: dict(value) for key, value in self.book.state.get("channels", {}).items()
        }
        for request in self.start_requests_for_channels():
            yield request

    def start_requests_for_channels(self) -> Iterator[Request]:
        if self.check:
            # One feed (or listing) and one article: is discovery, dating and extraction intact?
            yield from self.first_requests(self.channels()[0])
            return
        for channel in self.channels():
            if self.discovery == "walk" and self.walk_template_for(channel):
                yield from self.start_walk(channel)
                continue
            if self.since is not None and channel.listing:
                archive = self.archive_urls(channel, self.since, self.until or self._today(channel))
                if archive is not None:
                    for item in archive:
                        yield self.listing_request(item.url, channel, role="archive", page=1, nm_archive=item)
                    continue
            yield from self.first_requests(channel)
        yield from self.retry_requests()

    # --- articles earlier crawls failed to fetch ------------------------------------------------

    def failed_articles(self) -> dict[str, dict[str, Any]]:
        """Canonical URL -> ``{url, channel, kind, attempts}`` (kept in the crawl state)."""
        assert self.book is not None
        return self.book.state.setdefault("retry", {})

    def article_failed(self, url: str, channel: Channel, kind: str) -> None:
        """Remember an article that failed in a way worth another try by the next crawl (an
        incremental crawl would not come across it again below the channel's high-water mark)."""
        if kind not in RETRY_KINDS or self.check or self.book is None:
            return
        try:
            key = canonical_url(url)
        except InvalidURL:
            return
        failed = self.failed_articles()
        attempts = int(failed.get(key, {}).get("attempts", 0)) + 1
        if attempts > RETRY_CRAWLS:
            logger.info("%s failed in %d crawls (%s): given up", url, RETRY_CRAWLS, kind)
            failed.pop(key, None)
            return
        failed[key] = {"url": url, "channel": channel.key, "kind": kind, "attempts": attempts}

    def retry_requests(self) -> Iterator[Request]:
        """Requests for the articles earlier crawls failed to fetch."""
        assert self.book is not None
        failed = self.failed_articles()
        if not failed:
            return
        channels = {channel.key: channel for channel in self.channels()}
        for key, entry in list(failed.items()):
            channel = channels.get(str(entry.get("channel")))
            if channel is None or self.book.is_known(key):
                failed.pop(key, None)
                continue
            if key not in self.scheduled:
                self.scheduled.add(key)
                yield self.article_request(Entry(url=entry["url"], via="retry"), channel)

    def first_requests(self, channel: Channel) -> Iterator[Request]:
        self.chain_started(channel)
        if channel.feed:
            yield self.listing_request(channel.feed, channel, role="feed", page=1)
        elif channel.listing:
            yield self.listing_request(channel.listing, channel, role="listing", page=1)

    def listing_request(
        self, url: str, channel: Channel, *, role: str, page: int, dont_filter: bool = False, **meta: Any
    ) -> Request:
        callback = self.parse_feed if role == "feed" else self.parse_listing
        return Request(
            _ascii_url(url),
            callback=callback,
            errback=self.on_error,
            priority=LISTING_PRIORITY,
            dont_filter=dont_filter,
            meta={"nm_role": role, "nm_channel": channel, "nm_page": page, **meta},
        )

    def article_request(self, entry: Entry, channel: Channel, **meta: Any) -> Request:
        # Articles are deduplicated by canonical URL (self.scheduled, the database); leaving
        # Scrapy's duplicate filter out lets a redirect loop end in an error instead of silence.
        return Request(
            _ascii_url(entry.url),
            callback=self.parse_article,
            errback=self.on_error,
            priority=ARTICLE_PRIORITY,
            dont_filter=True,
            meta={"nm_role": "article", "nm_channel": channel, "nm_entry": entry, **meta},
        )

    # --- feeds and listings ---------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[Request]:
        channel: Channel = response.meta["nm_channel"]
        page: int = response.meta["nm_page"]
        try:
            entries = parse_feed(response.body, response.url, tz=ZoneInfo(channel.timezone))
        except NotAFeed as exc:
            text = response.text if isinstance(response, TextResponse) else ""
            problem = classify_page(text, status=response.status) if text else None
            if problem is not None:
                self.book_error(problem.kind, response.url, f"feed: {problem.detail}")
            else:
                self.book_error("parse", response.url, f"feed: {exc}")
            if page == 1 and channel.listing:
                yield self.listing_request(channel.listing, channel, role="listing", page=1)
            return
        entries = [e for e in entries if self.is_article_url(e.url, channel)]
        verdict = yield from self.schedule_entries(
            entries, channel, response.meta.get("nm_top"), response.meta.get("nm_previous", frozenset())
        )
        next_request = None
        if verdict.go_on and page < self.max_listing_pages:
            next_feed = self.feed_page_url(channel, page + 1)
            if next_feed:
                next_request = self.listing_request(
                    next_feed,
                    channel,
                    role="feed",
                    page=page + 1,
                    nm_top=verdict.top,
                    nm_previous=verdict.keys,
                )
            elif channel.listing and page == 1:
                # A feed is only the newest slice: continue with the listing behind it (which
                # begins with the feed's articles, so it is no repeat).
                next_request = self.listing_request(
                    channel.listing, channel, role="listing", page=1, nm_top=verdict.top
                )
        if next_request is not None:
            yield next_request
        else:
            self.chain_finished(channel, verdict.top)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        channel: Channel = response.meta["nm_channel"]
        page: int = response.meta["nm_page"]
        role: str = response.meta["nm_role"]
        probe = bool(response.meta.get("nm_walk_probe"))
        if not isinstance(response, TextResponse):
            self.book_error("parse", response.url, f"{role} is not a text page")
            return
        response = with_true_encoding(response)
        problem = classify_page(response.text, status=response.status, selector=response.selector)
        if problem is not None and problem.kind == "challenge":
            self.book_error(problem.kind, response.url, f"{role}: {problem.detail}")
            if not probe:
                yield from self.listing_failed(channel, role, page)
            return
        entries = self.listing_entries(response, channel, via=role)
        if probe:
            yield from self.walk_from_listing(channel, entries)
            return
        if role == "listing" and page == 1 and not entries:
            self.book_error("parse", response.url, "no article links on the first listing page")
            yield from self.listing_failed(channel, role, page)
            return
        verdict = yield from self.schedule_entries(
            entries, channel, response.meta.get("nm_top"), response.meta.get("nm_previous", frozenset())
        )
        archive: Archive | None = response.meta.get("nm_archive")
        if archive is not None:
            if page == 1 and not self.archive_honoured(entries, archive, channel):
                # The site ignored the archive parameters: page through the listing instead.
                if channel.listing and channel.key not in self.archive_fallbacks:
                    logger.info("%s: date archive not honoured, paging the listing", channel.key)
                    self.archive_fallbacks.add(channel.key)
                    yield self.listing_request(channel.listing, channel, role="listing", page=1)
                return
            next_url = self.archive_page_url(archive.url, page + 1) or _rel_next(response)
        else:
            next_url = (self.listing_page_url(channel, page + 1) if channel.listing else None) or _rel_next(
                response
            )
        if verdict.go_on and next_url and page < self.max_listing_pages:
            yield self.listing_request(
                next_url,
                channel,
                role=role,
                page=page + 1,
                nm_archive=archive,
                nm_top=verdict.top,
                nm_previous=verdict.keys,
            )
        elif archive is None:
            self.chain_finished(channel, verdict.top)

    def archive_honoured(self, entries: Sequence[Entry], archive: Archive, channel: Channel) -> bool:
        """Whether an archive page lists entries of its period (widgets of the newest posts may
        add others). A site that ignores the archive parameters serves its front listing, with
        nothing of an older period on it: then the channel's listing is paged instead."""
        zone = ZoneInfo(channel.timezone)
        dated = [e.published.astimezone(zone).date() for e in entries if e.published]
        return not dated or any(archive.first_day <= day <= archive.last_day for day in dated)

    def listing_entries(self, response: TextResponse, channel: Channel, *, via: str) -> list[Entry]:
        """The article entries of a listing page (by URL pattern)."""
        return article_links(
            response.text,
            response.url,
            self.patterns,
            hosts=[channel.host],
            tz=ZoneInfo(channel.timezone),
            via=via,
            accept=lambda url: self.is_article_url(url, channel),
        )

    def is_article_url(self, url: str, channel: Channel) -> bool:
        try:
            host = url_host(url).removeprefix("www.")
        except InvalidURL:
            return False
        if host != channel.host.removeprefix("www."):
            return False
        return matches_article(url, self.patterns) and self.accept_article(url)

    def listing_failed(self, channel: Channel, role: str, page: int) -> Iterator[Request]:
        """A channel's first listing page could not be read: walk ids if the site allows."""
        if page == 1 and role in ("listing", "feed") and self.walk_template_for(channel):
            logger.info("%s: listing unavailable, walking article ids", channel.key)
            yield from self.start_walk(channel)

    def schedule_entries(
        self,
        entries: Sequence[Entry],
        channel: Channel,
        top: datetime | None = None,
        previous: frozenset[str] = frozenset(),
    ) -> Generator[Request, None, Verdict]:
        """Request the new articles among ``entries``; return whether the chain goes on."""
        assert self.book is not None
        zone = ZoneInfo(channel.timezone)
        keyed: list[tuple[str, Entry]] = []
        for entry in entries:
            try:
                key = canonical_url(entry.url)
            except InvalidURL:
                continue
            if entry.published is None:
                # A listing without dates: the URL may still state the day (/2025/01/10/).
                entry = replace(entry, published=self.url_date(entry.url, zone))
            keyed.append((key, entry))
        if self.check:
            return (yield from self.check_entries(keyed, channel))
        known = self.book.refresh_known(key for key, _ in keyed) if not self.refetch else set()
        new = known_count = 0
        dates: list[datetime] = []
        for key, entry in keyed:
            self.note_item_id(channel, entry.url)
            if entry.published is not None:
                dates.append(entry.published)
            if key in self.scheduled:
                continue
            if not self.in_window(entry.published, zone):
                self.crawler.stats.inc_value("newsmon/entries/out_of_window")
                continue
            if key in known:
                known_count += 1
                self.crawler.stats.inc_value("newsmon/entries/known")
                continue
            new += 1
            self.scheduled.add(key)
            yield self.article_request(entry, channel)
        if dates:
            top = max([*dates, top]) if top else max(dates)
        keys = frozenset(key for key, _ in keyed)
        go_on = self.should_continue(
            entries=len(keyed),
            new=new,
            known=known_count,
            dates=dates,
            channel=channel,
            repeats_previous=bool(keys) and keys == previous,
        )
        return Verdict(go_on=go_on, top=top, keys=keys)

    def check_entries(
        self, keyed: Sequence[tuple[str, Entry]], channel: Channel
    ) -> Generator[Request, None, Verdict]:
        """Check mode: report what discovery found and request the first article."""
        self.check_report["discovery"] = {
            "channel": channel.key,
            "links": len(keyed),
            "dated": sum(1 for _, entry in keyed if entry.published is not None),
            "via": keyed[0][1].via if keyed else None,
        }
        if keyed:
            yield self.article_request(keyed[0][1], channel)
        return Verdict(go_on=False, top=None)

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
        """Whether to read the next page of a chain after one with these entries.

        A page listing exactly the previous page's articles ends the chain (the site ignores the
        page parameter). Listings run newest first, but widgets (latest, popular) add entries
        from anywhere, so a page counts as "below" a date when most of its dated entries are.
        A backfill goes on until a page is below ``since``. An incremental crawl stops at a page
        below the channel's high-water mark (the newest entry of its last complete crawl); on a
        page without any dates, at one with no new article but some known ones (trusted only
        when the last crawl of the channel completed).
        """
        if entries == 0:
            return False
        if repeats_previous:
            return False  # the site serves the previous page again (an ignored page parameter)
        zone = ZoneInfo(channel.timezone)
        if self.backfill:
            if self.since is None:
                return True
            since = self.since
            below = sum(1 for d in dates if d.astimezone(zone).date() < since)
            return not (dates and below * 2 > len(dates))
        high_water = self.high_water(channel)
        if high_water is not None and dates:
            below = sum(1 for d in dates if _older(d, high_water, zone))
            if below * 2 > len(dates):
                return False
        if not dates and new == 0 and known > 0 and self.previous_state(channel).get("complete"):
            return False
        return True

    # --- per-channel crawl state ----------------------------------------------------------------

    def previous_state(self, channel: Channel) -> dict[str, Any]:
        """The channel's state as the last crawl left it."""
        return dict(self.initial_channels.get(channel.key, {}))

    def channel_state(self, channel: Channel) -> dict[str, Any]:
        assert self.book is not None
        channels = self.book.state.setdefault("channels", {})
        return channels.setdefault(channel.key, {})

    def high_water(self, channel: Channel) -> datetime | None:
        value = self.previous_state(channel).get("high_water")
        return datetime.fromisoformat(value) if value else None

    def chain_started(self, channel: Channel) -> None:
        if not self.backfill:
            self.channel_state(channel)["complete"] = False

    def chain_finished(self, channel: Channel, top: datetime | None) -> None:
        """A chain ended by the stop rule or at the end of the listing: advance the mark."""
        if self.backfill:
            return  # a window says nothing about what lies above it
        state = self.channel_state(channel)
        current = state.get("high_water")
        if top is not None and (current is None or top > datetime.fromisoformat(current)):
            state["high_water"] = top.isoformat()
        state["complete"] = True
        state["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")

    def in_window(self, published: datetime | None, zone: tzinfo) -> bool:
        if published is None:
            return True
        day = published.astimezone(zone).date()
        return not ((self.since and day < self.since) or (self.until and day > self.until))

    def _today(self, channel: Channel) -> date:
        return datetime.now(ZoneInfo(channel.timezone)).date()

    # --- articles -------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[PageInput | Request]:
        channel: Channel = response.meta["nm_channel"]
        entry: Entry = response.meta["nm_entry"]
        walk: Walk | None = response.meta.get("nm_walk")
        page, published = self.article_page(response, channel, entry)
        if page is not None:
            self.note_item_id(channel, page.url)
            if self.book is not None and self.book.state.get("retry"):
                for url in (entry.url, page.url):
                    self.failed_articles().pop(canonical_url(url), None)
        if walk is not None:
            yield from self.walk_next(
                walk, outcome="hit" if published or page else "error", published=published
            )
        if page is not None:
            yield page

    def article_page(
        self, response: Response, channel: Channel, entry: Entry
    ) -> tuple[PageInput | None, datetime | None]:
        """The PageInput of an article response (None, recorded, when it is not an article or
        falls outside the window) and the date the site states for it."""
        if not response.body.strip():
            self.book_error("soft_404", response.url, f"empty body (status {response.status})")
            return None, None
        if not isinstance(response, TextResponse) or not looks_like_html(response.body):
            self.book_error(
                "parse", response.url, f"not an HTML page ({response.headers.get('Content-Type')!r})"
            )
            return None, None
        response = with_true_encoding(response)
        html = response.text
        problem = classify_page(html, status=response.status, selector=response.selector)
        if problem is not None:
            self.book_error(problem.kind, response.url, problem.detail)
            self.article_failed(entry.url, channel, problem.kind)
            return None, None
        if response.meta.get("redirect_urls") and not self.is_article_url(response.url, channel):
            self.book_error(
                "soft_404", response.url, f"{entry.url} redirected to a page that is not an article"
            )
            return None, None
        zone = ZoneInfo(channel.timezone)
        published = self.site_published(response, entry, zone)
        if not self.in_window(published, zone):
            self.crawler.stats.inc_value("newsmon/articles/out_of_window")
            return None, published
        selector = response.selector
        language = self.language_of(response.url) or channel.language or html_language(selector)
        assert self.book is not None
        self.book.add_known(canonical_url(response.url))
        page = PageInput(
            url=response.url,
            source_id=self.name,
            html=html,
            encoding=response.encoding,
            title=entry.title,
            text=entry.text,
            site_published=published,
            declared_language=language,
            alternates=self.article_alternates(response),
            http_status=response.status,
            fetched_at=datetime.now(UTC),
            timezone=channel.timezone,
        )
        return page, published

    def site_published(self, response: TextResponse, entry: Entry, zone: tzinfo) -> datetime | None:
        """The best date the site states: a timed one (page, then feed/listing) over a day-only
        one (page, listing, URL)."""
        candidates = [self.article_date(response, zone), entry.published, self.url_date(response.url, zone)]
        dated = [value for value in candidates if value is not None]
        for value in dated:
            if (value.hour, value.minute, value.second) != (0, 0, 0):
                return value
        return dated[0] if dated else None

    # --- id walking ----------------------------------------------------------------------------

    def walk_template_for(self, channel: Channel) -> str | None:
        """The id template of a channel (``walk_template`` with ``{prefix}`` filled), if any."""
        if not self.walk_template or not channel.listing:
            return None
        parts = urlsplit(channel.listing)
        return self.walk_template.format(
            scheme=parts.scheme, host=parts.netloc, id="{id}", prefix=self.walk_prefix(channel)
        )

    def walk_prefix(self, channel: Channel) -> str:
        return ""

    def note_item_id(self, channel: Channel, url: str) -> None:
        item = self.item_id(url)
        if item is not None and item > self.walk_state.get(channel.key, 0):
            self.walk_state[channel.key] = item

    def start_walk(self, channel: Channel) -> Iterator[Request]:
        template = self.walk_template_for(channel)
        assert template is not None and self.book is not None
        stored = self.book.state.get("walk", {}).get(channel.key)
        if stored and not self.backfill:
            # New items since the last crawl: upwards from the newest id seen then.
            yield from self.walk_next(
                Walk(channel, template, next_id=int(stored) + 1, step=1), outcome="start"
            )
            return
        # No start point: learn the newest id from the home/listing pages, then walk down.
        for url in self.walk_home_urls(channel):
            yield self.listing_request(
                url, channel, role="listing", page=1, dont_filter=True, nm_walk_probe=True
            )

    def walk_from_listing(self, channel: Channel, entries: Sequence[Entry]) -> Iterator[Request]:
        ids = [i for i in (self.item_id(e.url) for e in entries) if i is not None]
        if not ids:
            self.book_error("parse", channel.listing, "walk: no article id found on the home page")
            return
        template = self.walk_template_for(channel)
        assert template is not None
        top = max(ids)
        # Upwards first for items newer than the page shows, then down from the top.
        yield from self.walk_next(Walk(channel, template, next_id=top + 1, step=1), outcome="start")
        yield from self.walk_next(Walk(channel, template, next_id=top, step=-1), outcome="start")

    def walk_next(self, walk: Walk, *, outcome: str, published: datetime | None = None) -> Iterator[Request]:
        """Advance a walk after ``outcome`` of its current id: ``hit`` (an article), ``miss``
        (404), ``error`` (other failure), or ``start`` (request the current id itself)."""
        if outcome != "start":
            misses = {"hit": 0, "miss": walk.misses + 1}.get(outcome, walk.misses)
            walk = replace(walk, next_id=walk.next_id + walk.step, misses=misses, steps=walk.steps + 1)
        if walk.step < 0 and published is not None:
            zone = ZoneInfo(walk.channel.timezone)
            if self.since and published.astimezone(zone).date() < self.since:
                return  # walked below the backfill window
        while True:
            if walk.misses >= self.walk_max_misses or walk.steps >= self.walk_max_steps or walk.next_id < 1:
                logger.info(
                    "walk of %s stops at id %s (%s misses)", walk.channel.key, walk.next_id, walk.misses
                )
                return
            url = walk.template.format(id=walk.next_id)
            key = canonical_url(url)
            if key in self.scheduled:
                pass
            elif self.refetch or not self.book_known(key):
                break
            elif walk.step < 0 and not self.backfill:
                return  # walking down into stored items: the rest is known
            walk = replace(walk, next_id=walk.next_id + walk.step, misses=0, steps=walk.steps + 1)
        self.scheduled.add(key)
        yield self.article_request(Entry(url=url, via="walk"), walk.channel, nm_walk=walk)

    def book_known(self, key: str) -> bool:
        assert self.book is not None
        return bool(self.book.refresh_known([key]))

    # --- errors and bookkeeping -----------------------------------------------------------------

    def book_error(self, kind: str, url: str | None, detail: str | None = None) -> None:
        assert self.book is not None
        self.crawler.stats.inc_value(f"newsmon/errors/{kind}")
        self.book.error(kind, url, detail)

    def on_error(self, failure: Failure) -> Iterator[Request]:
        request: Request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        role = meta.get("nm_role", "?")
        channel: Channel | None = meta.get("nm_channel")
        page = meta.get("nm_page", 1)
        walk: Walk | None = meta.get("nm_walk")
        kind, detail = classify_failure(failure)
        status = failure.value.response.status if failure.check(HttpError) else None
        # Past the last page of a listing, an empty date archive, a gap between ids: not errors.
        expected_end = status in (404, 410) and (
            walk is not None or role == "archive" or (role in ("listing", "feed") and page > 1)
        )
        if expected_end:
            self.crawler.stats.inc_value("newsmon/expected_404")
            if channel is not None and role in ("listing", "feed") and not meta.get("nm_archive"):
                self.chain_finished(channel, meta.get("nm_top"))
        else:
            self.book_error(kind, request.url, f"{role}: {detail}")
            if role == "article" and walk is None and channel is not None:
                self.article_failed(meta["nm_entry"].url, channel, kind)
        if walk is not None:
            yield from self.walk_next(walk, outcome="miss" if status in (404, 410) else "error")
            return
        if channel is None or page != 1:
            return
        if role == "feed" and channel.listing:
            yield self.listing_request(channel.listing, channel, role="listing", page=1)
        elif role == "listing" and not meta.get("nm_walk_probe"):
            yield from self.listing_failed(channel, role, page)

    def _response_received(self, response: Response, request: Request, spider: scrapy.Spider) -> None:
        if spider is self and self.book is not None:
            self.book.page()

    def _spider_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        if spider is self:
            self.book_error("parse", response.url, f"{failure.type.__name__}: {failure.value}")

    def _spider_closed(self, spider: scrapy.Spider, reason: str) -> None:
        if spider is not self or self.book is None or self.book.run_id is None:
            return
        self.book.state["walk"] = {**self.book.state.get("walk", {}), **self.walk_state}
        stats = self.crawler.stats
        pages = stats.get_value("response_received_count", 0) or 0
        if reason == "finished" and pages == 0:
            status, message = "failed", "no page could be fetched"
        elif reason == "finished":
            status, message = "finished", None
        elif reason in ("shutdown", "cancelled"):
            status, message = "interrupted", f"crawl stopped: {reason}"
        else:
            status, message = "failed", f"crawl closed: {reason}"
        errors = ", ".join(f"{k} {v}" for k, v in sorted(self.book.errors.items()))
        if errors:
            message = f"{message + '; ' if message else ''}errors: {errors}"
        self.book.close(status, message)


def _same_section(first: str, second: str) -> bool:
    a, b = urlsplit(first), urlsplit(second)
    return ascii_host(a.hostname or "") == ascii_host(b.hostname or "") and a.path.rstrip(
        "/"
    ) == b.path.rstrip("/")


def _older(value: datetime, mark: datetime, zone: tzinfo) -> bool:
    """Whether ``value`` is before ``mark``; a day-precision value (midnight) by calendar day."""
    local = value.astimezone(zone)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.date() < mark.astimezone(zone).date()
    return value < mark


def classify_failure(failure: Failure) -> tuple[str, str]:
    """The crawl-run error kind of a request failure, and a short detail."""
    if failure.check(HttpError):
        status = failure.value.response.status
        if status in (404, 410):
            return "http_404", f"HTTP {status}"
        if status >= 500:
            return "http_5xx", f"HTTP {status}"
        return "http_4xx", f"HTTP {status}"
    message = str(failure.value)
    if failure.check(IgnoreRequest):
        lowered = message.lower()
        if "robots" in lowered:
            return "robots", message
        if "redirect" in lowered:
            return "redirect", message
        return "ignored", message or "request ignored"
    if failure.check(DNSLookupError, CannotResolveHostError):
        return "dns", message
    if failure.check(TwistedTimeoutError, TCPTimedOutError, TimeoutError, DownloadTimeoutError):
        return "timeout", message or "timed out"
    if failure.check(DownloadCancelledError):
        return "too_large", message or "download cancelled"
    if failure.check(ResponseDataLossError):
        return "truncated", message or "response body cut short"
    if failure.check(ConnectError, ConnectionLost, DownloadConnectionRefusedError, DownloadFailedError):
        return "connection", f"{failure.type.__name__}: {message}"
    name = failure.type.__name__ if failure.type else "error"
    if "Timeout" in name:
        return "timeout", name
    return "connection", f"{name}: {message}"


def with_true_encoding(response: TextResponse) -> TextResponse:
    """The response decoded in the charset its body is really in (see :func:`true_encoding`)."""
    actual = true_encoding(response.body, response.encoding)
    if actual.replace("-", "").lower() == (response.encoding or "").replace("-", "").lower():
        return response
    return response.replace(encoding=actual)


def _rel_next(response: Response) -> str | None:
    """The page's own ``rel=next`` link, if any."""
    if not isinstance(response, TextResponse):
        return None
    href = response.xpath(
        "//link[@rel='next']/@href | //a[contains(concat(' ', @rel, ' '), ' next ')]/@href"
    ).get()
    return response.urljoin(href) if href else None


def _ascii_url(url: str) -> str:
    """The URL with its host in punycode (Scrapy and TLS want ASCII hosts)."""
    parts = urlsplit(url)
    if not parts.hostname or parts.hostname.isascii():
        return url
    netloc = ascii_host(parts.hostname) + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def _as_date(value: str | date | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from exc


def _as_bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class WordPressPaging:
    """Paging as WordPress does it: a feed ``…/feed/`` pages with ``?paged=N`` and belongs to the
    listing it sits under, whose pages are ``…/page/N/``. Mixed into the spiders of WordPress sites."""

    def listing_for_feed(self, feed: str) -> str | None:
        return feed.removesuffix("feed/") if feed.endswith("/feed/") else None

    def feed_page_url(self, channel: Channel, page: int) -> str | None:
        return f"{channel.feed}?paged={page}" if channel.feed else None

    def listing_page_url(self, channel: Channel, page: int) -> str | None:
        assert channel.listing is not None
        return f"{channel.listing.rstrip('/')}/page/{page}/"
