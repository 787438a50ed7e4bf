"""The news spider every site spider extends: discovery callbacks, id walks and article hand-over.

A site spider (``crawlers/spiders/<source id>.py``) is mostly a :class:`~crawlers.spec.SiteSpec`;
the generic outlet spider (:mod:`crawlers.outlet`) builds its spec from the configuration. The
core composes the discovery strategies of :mod:`crawlers.discovery` and never names a site:

* **Discovery.** Each channel (:mod:`crawlers.channels`) is read feed first when it has one,
  listing pages as the fallback and continuation; the first listing page is always read, as a
  check of the feed (``feed_empty``, ``feed_stale``). A backfill (``since``) uses the site's date
  archives when it has them. Sites with sequential ids can be walked.
* **Incremental stop, high-water marks, window**: :mod:`crawlers.chains`; the run's lifecycle
  and bookkeeping: :mod:`crawlers.core`.
* **Honesty.** Challenge pages and error pages served as 200 are recorded (kinds ``challenge``,
  ``soft_404``) and not handed on; every failure is counted by kind on the crawl run
  (:mod:`crawlers.failures`).
* **Hand-over.** An article page becomes a :class:`~core.types.PageInput` carrying what the
  site states (feed/listing title and date, declared language, hreflang alternates, host zone).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Generator, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from scrapy import Request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from core.types import PageInput
from core.urls import InvalidURL, canonical_url
from crawlers.articles import decoded, with_true_encoding
from crawlers.chains import Verdict, as_bool, as_date
from crawlers.channels import Channel, ascii_url, language_of
from crawlers.core import SpiderCore
from crawlers.discovery.archive import Archive
from crawlers.discovery.feed import FeedSeen, stale_against
from crawlers.discovery.walk import Walk
from crawlers.entries import Entry
from crawlers.failures import RETRY_CRAWLS, RETRY_KINDS, classify_failure, http_status
from crawlers.feeds import NotAFeed
from crawlers.integrity import DOUBTFUL_BELOW, cut_short
from crawlers.markup import LISTING_MISS, listing_miss
from crawlers.pages import classify_page, html_language, looks_like_html

__all__ = ["RETRY_CRAWLS", "RETRY_KINDS", "Archive", "Channel", "NewsSpider", "Walk"]

logger = logging.getLogger(__name__)

ARTICLE_PRIORITY = 10
BODY_SIZES_KEPT = 200
"""Sizes of the crawl's latest complete article pages, the measure of a page cut short."""
LISTING_PRIORITY = 0
# Read by crawlers.distributed under these names.
_as_date = as_date
_as_bool = as_bool


class NewsSpider(SpiderCore):
    """Feed/listing/archive/walk discovery and article hand-over of one configured source."""

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
            if self.discovery == "walk" and self.walker.template_for(channel):
                yield from self.start_walk(channel)
                continue
            if self.since is not None and channel.listing:
                archive = self.archives.urls(channel, self.since, self.until or self._today(channel))
                if archive is not None:
                    for item in archive:
                        yield self.listing_request(item.url, channel, role="archive", page=1, nm_archive=item)
                    continue
            yield from self.first_requests(channel)
        yield from self.retry_requests()

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
            ascii_url(url),
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
            ascii_url(entry.url),
            callback=self.parse_article,
            errback=self.on_error,
            priority=ARTICLE_PRIORITY,
            dont_filter=True,
            meta={"nm_role": "article", "nm_channel": channel, "nm_entry": entry, **meta},
        )

    # --- articles earlier crawls failed to fetch ------------------------------------------------

    def retry_requests(self) -> Iterator[Request]:
        """Requests for the articles earlier crawls failed to fetch."""
        assert self.book is not None
        failed = self.retries.failed
        if not failed:
            return
        channels = {channel.key: channel for channel in self.channels()}
        for key, entry in list(failed.items()):
            channel = channels.get(str(entry.get("channel")))
            # A stored page asked for again (a doubtful charset) is known, and still wanted.
            if channel is None or (self.book.is_known(key) and not entry.get("stored")):
                failed.pop(key, None)
                continue
            if key not in self.scheduled:
                self.scheduled.add(key)
                yield self.article_request(Entry(url=entry["url"], via="retry"), channel)

    # --- feeds and listings ---------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[Request]:
        channel: Channel = response.meta["nm_channel"]
        page: int = response.meta["nm_page"]
        try:
            entries = self.feeds.entries(response, channel)
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
        if page == 1 and not entries:
            self.book_error("feed_empty", response.url, "feed: valid, but lists no article")
        verdict = yield from self.schedule_entries(
            entries, channel, response.meta.get("nm_top"), response.meta.get("nm_previous", frozenset())
        )
        next_request = None
        next_feed = self.feeds.page_url(channel, page + 1) if entries else None
        if verdict.go_on and next_feed and page < self.max_listing_pages:
            next_request = self.listing_request(
                next_feed, channel, role="feed", page=page + 1, nm_top=verdict.top, nm_previous=verdict.keys
            )
        read_listing = bool(channel.listing) and page == 1 and not (self.check and entries)
        if read_listing and channel.listing:
            # A feed is only the newest slice, and may be empty or stale: the listing behind it
            # is always read, as a check of the feed, and as its continuation where the feed ends
            # (or turns out stale: its next pages cannot be trusted to hold the newer articles).
            yield self.listing_request(
                channel.listing, channel, role="listing", page=1, nm_top=verdict.top,
                nm_feed=FeedSeen.of(entries), nm_feed_goes_on=next_request is not None,
            )
        if next_request is not None:
            yield next_request
        elif not read_listing:
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
        entries = self.listings.entries(response, channel, via=role)
        miss = listing_miss(self.site, response.selector, len(entries))
        if miss is not None:
            self.book_error(LISTING_MISS, response.url, miss)
        feed: FeedSeen | None = response.meta.get("nm_feed")
        stale = stale_against(feed, entries) if feed is not None else None
        if stale is not None:
            self.book_error("feed_stale", channel.feed, stale)
        elif response.meta.get("nm_feed_goes_on"):  # a check only: the feed's own pages go on
            yield from self.schedule_entries(entries, channel)
            return
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
            if page == 1 and not self.archives.honoured(entries, archive, channel):
                # The site ignored the archive parameters: page through the listing instead.
                if channel.listing and channel.key not in self.archive_fallbacks:
                    logger.info("%s: date archive not honoured, paging the listing", channel.key)
                    self.archive_fallbacks.add(channel.key)
                    yield self.listing_request(channel.listing, channel, role="listing", page=1)
                return
            next_url = self.archives.page_url(archive.url, page + 1) or self.listings.next_url(
                response, channel, page
            )
        else:
            next_url = self.listings.next_url(response, channel, page)
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

    def listing_failed(self, channel: Channel, role: str, page: int) -> Iterator[Request]:
        """A channel's first listing page could not be read: walk ids if the site allows."""
        if page == 1 and role in ("listing", "feed") and self.walker.template_for(channel):
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
                entry = replace(entry, published=self.reader.url_date(entry.url, zone))
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
            if self.retries.is_gone(key):
                self.crawler.stats.inc_value("newsmon/entries/gone")
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

    # --- articles -------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[PageInput | Request]:
        channel: Channel = response.meta["nm_channel"]
        entry: Entry = response.meta["nm_entry"]
        walk: Walk | None = response.meta.get("nm_walk")
        page, published = self.article_page(response, channel, entry)
        if page is not None:
            self.note_item_id(channel, page.url)
            if self.book is not None and not self.check:
                if (page.encoding_confidence or 0.0) < DOUBTFUL_BELOW:
                    self.retries.refetch(entry.url, channel.key, "encoding")
                else:
                    self.retries.fetched(entry.url, page.url)
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
        short = cut_short(response.body, partial="partial" in response.flags, usual=self.body_sizes)
        if short is not None:
            self.book_error("truncated", response.url, short)
            self.article_failed(entry.url, channel, "truncated")
            return None, None
        response, decoding = decoded(response)
        html = response.text
        problem = classify_page(html, status=response.status, selector=response.selector)
        if problem is not None:
            self.book_error(problem.kind, response.url, problem.detail)
            self.article_failed(entry.url, channel, problem.kind)
            return None, None
        if response.meta.get("redirect_urls") and not self.listings.is_article_url(response.url, channel):
            self.book_error(
                "soft_404", response.url, f"{entry.url} redirected to a page that is not an article"
            )
            return None, None
        zone = ZoneInfo(channel.timezone)
        published, misses = self.reader.site_published(response, entry, zone)
        for kind, detail in misses:
            self.book_error(kind, response.url, detail)
        if not self.in_window(published, zone):
            self.crawler.stats.inc_value("newsmon/articles/out_of_window")
            return None, published
        language = (
            language_of(self.site, response.url) or channel.language or html_language(response.selector)
        )
        assert self.book is not None
        self.book.add_known(canonical_url(response.url))
        self.body_sizes.append(len(response.body))
        del self.body_sizes[:-BODY_SIZES_KEPT]
        page = PageInput(
            url=response.url,
            source_id=self.name,
            html=html,
            encoding=response.encoding,
            title=entry.title,
            text=entry.text,
            site_published=published,
            declared_language=language,
            alternates=self.reader.alternates(response),
            http_status=response.status,
            fetched_at=datetime.now(UTC),
            timezone=channel.timezone,
            encoding_confidence=decoding.confidence,
        )
        return page, published

    # --- id walking ----------------------------------------------------------------------------

    def note_item_id(self, channel: Channel, url: str) -> None:
        item = self.walker.item_id(url)
        if item is not None and item > self.walk_state.get(channel.key, 0):
            self.walk_state[channel.key] = item

    def start_walk(self, channel: Channel) -> Iterator[Request]:
        template = self.walker.template_for(channel)
        assert template is not None and self.book is not None
        stored = self.book.state.get("walk", {}).get(channel.key)
        if stored and not self.backfill:
            # New items since the last crawl: upwards from the newest id seen then.
            yield from self.walk_next(
                Walk(channel, template, next_id=int(stored) + 1, step=1), outcome="start"
            )
            return
        # No start point: learn the newest id from the home/listing pages, then walk down.
        for url in self.walker.home_urls(channel):
            yield self.listing_request(
                url, channel, role="listing", page=1, dont_filter=True, nm_walk_probe=True
            )

    def walk_from_listing(self, channel: Channel, entries: Sequence[Entry]) -> Iterator[Request]:
        ids = [i for i in (self.walker.item_id(e.url) for e in entries) if i is not None]
        if not ids:
            self.book_error("parse", channel.listing, "walk: no article id found on the home page")
            return
        template = self.walker.template_for(channel)
        assert template is not None
        top = max(ids)
        # Upwards first for items newer than the page shows, then down from the top.
        yield from self.walk_next(Walk(channel, template, next_id=top + 1, step=1), outcome="start")
        yield from self.walk_next(Walk(channel, template, next_id=top, step=-1), outcome="start")

    def walk_next(self, walk: Walk, *, outcome: str, published: datetime | None = None) -> Iterator[Request]:
        """Advance a walk after ``outcome`` of its current id (:meth:`IdWalk.advance`) and
        request the next id worth fetching."""
        moved = self.walker.advance(walk, outcome, published=published, since=self.since)
        if moved is None:
            return
        following = self.walker.next_unfetched(
            moved,
            scheduled=self.scheduled.__contains__,
            known=self.book_known,
            refetch=self.refetch,
            backfill=self.backfill,
        )
        if following is None:
            return
        url = following.template.format(id=following.next_id)
        self.scheduled.add(canonical_url(url))
        yield self.article_request(Entry(url=url, via="walk"), following.channel, nm_walk=following)

    # --- errors and bookkeeping -----------------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[Request]:
        request: Request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        role = meta.get("nm_role", "?")
        channel: Channel | None = meta.get("nm_channel")
        page = meta.get("nm_page", 1)
        walk: Walk | None = meta.get("nm_walk")
        kind, detail = classify_failure(failure)
        status = http_status(failure)
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
        if kind == "gone" and role == "article" and not self.check and self.book is not None:
            self.retries.note_gone(request.url)
        if walk is not None:
            yield from self.walk_next(walk, outcome="miss" if status in (404, 410) else "error")
            return
        if channel is None or page != 1:
            return
        if role == "feed" and channel.listing:
            yield self.listing_request(channel.listing, channel, role="listing", page=1)
        elif role == "listing" and not meta.get("nm_walk_probe"):
            yield from self.listing_failed(channel, role, page)
