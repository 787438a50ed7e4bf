"""Feed discovery: RSS/Atom entries of a channel's feed, feed paging, and the check of a feed
against its listing.

A feed is a hint, not the truth: a site's feed may answer valid RSS with no item, or stop being
updated, while the listing goes on. The crawl therefore always reads the first listing page
behind a feed; :func:`stale_against` says when the feed misses the listing's newest articles
(recorded as ``feed_stale``; a feed without items as ``feed_empty``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from scrapy.http import Response

from core.urls import InvalidURL, canonical_url
from crawlers.channels import Channel
from crawlers.discovery.listing import ListingDiscovery
from crawlers.entries import Entry
from crawlers.feeds import parse_feed
from crawlers.spec import SiteSpec


class FeedDiscovery:
    """The article entries of a feed page (raises :class:`crawlers.feeds.NotAFeed`) and the URL
    of the next feed page, when the site's feeds page."""

    def __init__(self, spec: SiteSpec, listings: ListingDiscovery) -> None:
        self.spec = spec
        self.listings = listings

    def entries(self, response: Response, channel: Channel) -> list[Entry]:
        entries = parse_feed(response.body, response.url, tz=ZoneInfo(channel.timezone))
        entries = [replace(e, url=self.listings.own_url(e.url)) for e in entries]
        return [e for e in entries if self.listings.is_article_url(e.url, channel)]

    def page_url(self, channel: Channel, page: int) -> str | None:
        """URL of feed page ``page`` (>= 2), if the site's feeds paginate."""
        template = self.spec.feed_page_template
        return template.format(feed=channel.feed, page=page) if template and channel.feed else None


STALE_TOP = 5
"""The listing's newest links compared with the feed."""


@dataclass(frozen=True, slots=True)
class FeedSeen:
    """What the first page of a channel's feed listed: its canonical URLs and newest date."""

    keys: frozenset[str]
    newest: datetime | None

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> FeedSeen:
        dates = [entry.published for entry in entries if entry.published is not None]
        return cls(frozenset(_keys(entries)), max(dates) if dates else None)


def stale_against(feed: FeedSeen, listing: Sequence[Entry]) -> str | None:
    """Why a feed is stale against the first page of its listing, or None.

    Stale: most of the listing's :data:`STALE_TOP` first links are missing from the feed, and
    those that state a date are newer than the feed's newest item.
    """
    if not feed.keys:
        return None  # an empty feed is recorded as feed_empty
    top = list(zip(_keys(listing), listing, strict=True))[:STALE_TOP]
    missing = [entry for key, entry in top if key not in feed.keys]
    if len(top) < 2 or len(missing) * 2 <= len(top):
        return None
    if feed.newest is not None and any(
        entry.published is not None and entry.published <= feed.newest for entry in missing
    ):
        return None
    return (f"feed: {len(missing)} of the listing's {len(top)} newest articles are missing from it "
            f"(newest feed item: {feed.newest.isoformat() if feed.newest else 'undated'})")


def _keys(entries: Sequence[Entry]) -> list[str]:
    keys = []
    for entry in entries:
        try:
            keys.append(canonical_url(entry.url))
        except InvalidURL:
            keys.append(entry.url)
    return keys
