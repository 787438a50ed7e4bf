"""The channels of a source: the sections of its hosts a crawl reads, built from config + spec.

A channel is a listing chain with an optional feed in front (``polisia.kz/ru``), or a feed read
alone. One channel per configured start URL, each with the configured feed whose path lies
below it; a feed the spec pairs with a listing (``…/feed/`` → ``…/``) brings that listing; the
spec's ``extra_sections`` come next, then regional subdomains (``<code>.<host>``) when the spec
says the configured region codes are such sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from config import SourceConfig
from core.urls import ascii_host, url_host
from crawlers.spec import SiteSpec


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


def language_of(spec: SiteSpec, url: str) -> str | None:
    """The language the URL path declares (``spec.language_prefixes``), if any."""
    path = urlsplit(url).path or "/"
    for prefix, language in spec.language_prefixes:
        if prefix == "" or path == prefix.rstrip("/") or path.startswith(prefix.rstrip("/") + "/"):
            return language
    return None


def listing_for_feed(spec: SiteSpec, feed: str) -> str | None:
    """The listing a site pairs with a feed (WordPress: ``/ru/feed/`` -> ``/ru/``), if any."""
    suffix = spec.feed_suffix
    return feed.removesuffix(suffix) if suffix and feed.endswith(suffix) else None


def make_channel(
    spec: SiteSpec, source: SourceConfig, listing: str | None, feed: str | None, timezone: str | None = None
) -> Channel:
    url = listing or feed
    assert url is not None
    host = url_host(url)
    path = urlsplit(listing).path if listing else urlsplit(feed or "").path
    return Channel(
        key=f"{host}{path.rstrip('/')}" + ("" if listing else " (feed)"),
        host=host,
        listing=ascii_url(listing) if listing else None,
        feed=ascii_url(feed) if feed else None,
        language=language_of(spec, url),
        timezone=timezone or source.timezone,
    )


def source_channels(spec: SiteSpec, source: SourceConfig) -> list[Channel]:
    """Every channel of a configured source, main hosts first."""
    starts = list(source.start_urls)
    for feed in source.feeds:
        listing = listing_for_feed(spec, feed)
        if listing and not any(_same_section(listing, url) for url in starts):
            starts.append(listing)
    for host in dict.fromkeys(urlsplit(url).netloc for url in source.start_urls):
        for path in spec.extra_sections:
            starts.append(f"https://{host}{path}")
    listings = [(url, urlsplit(url)) for url in starts]
    feeds_for: dict[str, str] = {}
    orphan_feeds: list[str] = []
    for feed in source.feeds:
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
    channels = [make_channel(spec, source, url, feeds_for.get(url)) for url, _ in listings]
    channels += [make_channel(spec, source, None, feed) for feed in orphan_feeds]
    if spec.regional_subdomains:
        channels += _regional(spec, source, channels)
    return channels


def _regional(spec: SiteSpec, source: SourceConfig, main: list[Channel]) -> list[Channel]:
    """The main channels again on each regional site ``<code>.<host>``, in the region's zone."""
    regional: list[Channel] = []
    for code in source.region_codes:
        zone = source.region_timezones.get(code, source.timezone)
        for channel in main:
            regional.append(
                make_channel(
                    spec,
                    source,
                    _on_subdomain(channel.listing, code) if channel.listing else None,
                    _on_subdomain(channel.feed, code) if channel.feed else None,
                    timezone=zone,
                )
            )
    return regional


def _on_subdomain(url: str, code: str) -> str:
    parts = urlsplit(url)
    host = f"{code}.{ascii_host(parts.hostname or '')}"
    return parts._replace(netloc=host).geturl()


def _same_section(first: str, second: str) -> bool:
    a, b = urlsplit(first), urlsplit(second)
    return ascii_host(a.hostname or "") == ascii_host(b.hostname or "") and a.path.rstrip(
        "/"
    ) == b.path.rstrip("/")


def ascii_url(url: str) -> str:
    """The URL with its host in punycode (Scrapy and TLS want ASCII hosts)."""
    parts = urlsplit(url)
    if not parts.hostname or parts.hostname.isascii():
        return url
    netloc = ascii_host(parts.hostname) + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()
