"""Listing discovery: article links found on listing pages by URL pattern, and listing paging."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from scrapy.http import Response, TextResponse

from core.urls import InvalidURL, url_host
from crawlers.channels import Channel
from crawlers.entries import Entry
from crawlers.links import article_links, compile_patterns, matches_article
from crawlers.spec import SiteSpec


class ListingDiscovery:
    """Which URLs of a site are articles, the article entries of a listing page, its next page."""

    def __init__(self, spec: SiteSpec) -> None:
        self.spec = spec
        self.patterns = compile_patterns(spec.article_patterns)
        self.aliases = tuple((re.compile(pattern), target) for pattern, target in spec.url_aliases)

    def own_url(self, url: str) -> str:
        """The article's own address of ``url`` (the spec's aliases applied to its path)."""
        if not self.aliases:
            return url
        parts = urlsplit(url)
        for pattern, target in self.aliases:
            path, replaced = pattern.subn(target, parts.path)
            if replaced:
                return urlunsplit(parts._replace(path=path))
        return url

    def accepts(self, url: str) -> bool:
        """The spec's removal rules on top of the patterns: reserved slugs, rejected path ends."""
        path = urlsplit(url).path.rstrip("/")
        slug = path.rsplit("/", 1)[-1]
        if slug in self.spec.reserved_slugs or slug.startswith(self.spec.reserved_slug_prefixes):
            return False
        return not any(path.endswith(suffix) for suffix in self.spec.rejected_path_suffixes)

    def is_article_url(self, url: str, channel: Channel) -> bool:
        """Whether ``url`` is an article of the channel's host."""
        try:
            host = url_host(url).removeprefix("www.")
        except InvalidURL:
            return False
        if host != channel.host.removeprefix("www."):
            return False
        return matches_article(url, self.patterns) and self.accepts(url)

    def entries(self, response: TextResponse, channel: Channel, *, via: str) -> list[Entry]:
        """The article entries of a listing page (by URL pattern)."""
        return article_links(
            response.text,
            response.url,
            self.patterns,
            hosts=[channel.host],
            tz=ZoneInfo(channel.timezone),
            via=via,
            accept=lambda url: self.is_article_url(url, channel),
            rewrite=self.own_url,
        )

    def page_url(self, channel: Channel, page: int) -> str | None:
        """URL of listing page ``page`` (>= 2) by the spec's template, if it has one."""
        template = self.spec.listing_page_template
        if template is None or channel.listing is None:
            return None
        parts = urlsplit(channel.listing)
        return template.format(
            listing=channel.listing.rstrip("/"),
            listing_path=channel.listing.split("?")[0],
            origin=f"{parts.scheme}://{parts.netloc}",
            page=page,
        )

    def next_url(self, response: Response, channel: Channel, page: int) -> str | None:
        """The URL of the page after ``page``: the spec's template, else the page's ``rel=next``."""
        return self.page_url(channel, page + 1) or rel_next(response)


def rel_next(response: Response) -> str | None:
    """The page's own ``rel=next`` link, if any."""
    if not isinstance(response, TextResponse):
        return None
    href = response.xpath(
        "//link[@rel='next']/@href | //a[contains(concat(' ', @rel, ' '), ' next ')]/@href"
    ).get()
    return response.urljoin(href) if href else None
