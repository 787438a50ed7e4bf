"""What a site is, as data: the :class:`SiteSpec` a site spider declares.

A spec holds only facts about a site's markup and URL shapes (article URL patterns, how the path
declares the language, how feeds and listings page, date archives, an id walk, where an article
states its date, which links are never articles, the known markup of listing items and bodies).
Discovery and extraction never depend on the markup selectors alone: when they stop matching
(a redesign) the crawl goes on generically and records the miss (:mod:`crawlers.markup`).
What an operator may change (hosts, start
URLs, feeds, languages, time zones, politeness) lives in ``config/sources.toml``; the registry
(:mod:`crawlers.registry`) puts the two together. Generic discovery code reads specs and never
names a site.

URL templates are ``str.format`` templates over the fields their docstring names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class ArchiveSpec:
    """Date-archive listings a backfill (``since``) reads instead of paging the whole listing."""

    period: Literal["day", "month"]
    """What one archive page covers."""
    template: str
    """URL of one period's archive: fields ``listing`` (the channel's listing without a trailing
    slash), ``origin`` (``scheme://host``), ``year``, ``month``, ``day``."""
    page_template: str | None = None
    """URL of page ``page`` (>= 2) of an archive: fields ``archive`` (its first page, without a
    ``page/N/`` tail), ``page``. None: follow the page's own ``rel=next``."""
    skip_sections: tuple[str, ...] = ()
    """Listing path fragments whose channels have no archives (paged instead)."""


@dataclass(frozen=True, slots=True)
class WalkSpec:
    """Sequential article ids a spider can walk when a listing cannot be read (``--discovery walk``)."""

    template: str
    """Article URL of an id: fields ``scheme``, ``host``, ``prefix`` (the listing's first path
    segment, e.g. ``/rus``), ``id``."""
    id_pattern: str
    """Regular expression over a URL path whose group 1 is the article id."""
    default_prefix: str = ""
    """``prefix`` of a channel whose listing is the host's root."""
    home_from_prefix: bool = False
    """Learn the newest id from ``scheme://host{prefix}`` rather than from the listing."""
    max_misses: int = 20
    """Consecutive misses (404) that end a walk: ids have gaps, and language editions may be sparse."""
    max_steps: int = 2000
    alternates_by_id: bool = False
    """The site has no hreflang: its language switch links the same id under another prefix."""


@dataclass(frozen=True, slots=True)
class SiteSpec:
    """The particulars of one site's pages that generic discovery needs."""

    article_patterns: tuple[str, ...]
    """Regular expressions an article URL's path (+ ``?query``) must match in full."""
    language_prefixes: tuple[tuple[str, str], ...] = ()
    """(path prefix, ISO 639-1) pairs, most specific first; ``""`` matches the root edition."""
    article_date_selectors: tuple[str, ...] = ()
    """CSS/XPath queries of the article page's displayed date (after the meta tags). When the
    page has no meta date and none of them matches, the date is read generically (next to the
    heading, then htmldate) and the miss is recorded (``fallback_date``)."""
    listing_item_selectors: tuple[str, ...] = ()
    """CSS of one item of the site's listings, as its markup is known. Links are found by URL
    pattern either way; a listing page whose article links sit in none of these items means the
    markup changed (``fallback_listing``: the source is marked degraded)."""
    url_aliases: tuple[tuple[str, str], ...] = ()
    """(regular expression over a URL path, replacement) pairs: other addresses of the same
    article (a pop-up view of an item), rewritten to the article's own before anything else
    looks at a link, so both are one article under one canonical URL."""
    reserved_slugs: frozenset[str] = frozenset()
    """Last path segments that are site machinery or sections, never an article (removal rule)."""
    reserved_slug_prefixes: tuple[str, ...] = ()
    """Beginnings of such segments (``wp-``)."""
    rejected_path_suffixes: tuple[str, ...] = ()
    """Path endings (without a trailing slash) that match a pattern but are no article."""
    extra_sections: tuple[str, ...] = ()
    """Listing paths read on the configured hosts besides the start URLs: sections that only the
    site's structure explains (a legacy archive), not an operator's choice."""
    feed_suffix: str | None = None
    """A feed URL ending in this suffix belongs to the listing without it (WordPress ``feed/``)."""
    feed_page_template: str | None = None
    """URL of feed page ``page`` (>= 2): fields ``feed``, ``page``. None: feeds do not page."""
    listing_page_template: str | None = None
    """URL of listing page ``page`` (>= 2): fields ``listing`` (without trailing slash),
    ``listing_path`` (without query), ``origin``, ``page``. None: follow the page's ``rel=next``."""
    archive: ArchiveSpec | None = None
    walk: WalkSpec | None = None
    regional_subdomains: bool = False
    """The configured ``regions`` (code -> zone) are sites ``<code>.<host>`` with the main host's layout."""
    guess_article_date: bool = False
    """When neither meta data nor the date selectors nor the heading state a date, let htmldate
    find one in the page (outlets, whose markup no spec describes)."""
