"""Feed discovery: RSS/Atom entries of a channel's feed, and feed paging."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from scrapy.http import Response

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
