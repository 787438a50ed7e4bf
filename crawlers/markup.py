"""Is a site's known markup still there? The checks behind the ``degraded`` state.

Discovery finds article links by URL pattern and extraction is generic (trafilatura, htmldate),
so a redesign rarely stops a crawl; it would only go unnoticed. A spec states what the site's
markup is known to be (listing items, the date's element) and the site's entry in
``config/boilerplate.toml`` its body's container (one copy, read by the extract stage too); every page is
checked against it, and a miss is recorded on the crawl run as an error of a ``fallback_*``
kind with the page's URL. :mod:`storage.health` turns misses into the source's ``degraded``
state ("listing selector matched nothing on 3 runs"), which ``newsmon status --check`` and the
review UI report.
"""

from __future__ import annotations

from collections.abc import Iterable

from parsel import Selector

from crawlers.spec import SiteSpec

LISTING_MISS = "fallback_listing"
DATE_MISS = "fallback_date"
BODY_MISS = "fallback_body"
EXTRACT_FALLBACK = "fallback_extract"
"""The source's body selectors (``config/boilerplate.toml``) gave no body the extract stage took
(no match, too short, a listing): the body is trafilatura's (:mod:`pipeline.site_body`)."""
FALLBACK_KINDS = (LISTING_MISS, DATE_MISS, BODY_MISS, EXTRACT_FALLBACK)
"""Error kinds of a known selector that matched nothing (the crawl went on generically)."""


def matches_any(selector: Selector, queries: Iterable[str]) -> bool:
    """Whether any of the CSS (or XPath, starting with ``/`` or ``(``) queries finds an element."""
    for query in queries:
        found = selector.xpath(query) if query.startswith(("/", "(")) else selector.css(query)
        if found:
            return True
    return False


def listing_miss(spec: SiteSpec, selector: Selector, article_links: int) -> str | None:
    """Why a listing page's items are not where the spec knows them (None: they are, or the spec
    knows no listing markup, or the page lists no article at all)."""
    if not spec.listing_item_selectors or article_links == 0:
        return None
    if matches_any(selector, spec.listing_item_selectors):
        return None
    return (
        f"listing selector matched nothing ({', '.join(spec.listing_item_selectors)}); "
        f"{article_links} article links found by URL pattern"
    )


def article_misses(
    spec: SiteSpec,
    selector: Selector,
    *,
    body_selectors: tuple[str, ...],
    meta_date: bool,
    date_elsewhere: bool,
) -> list[tuple[str, str]]:
    """The known article markup missing from a page, as ``(kind, detail)`` pairs.

    ``body_selectors`` are the source's body containers as its registry entry knows them
    (``config/boilerplate.toml``; the same the extract stage reads the body from).

    The date element counts only on a page whose meta data states no date (the selectors are
    not consulted otherwise) and that shows a date elsewhere (``date_elsewhere``: next to the
    heading): a page that states no date at all has no date element to miss.
    """
    misses: list[tuple[str, str]] = []
    if body_selectors and not matches_any(selector, body_selectors):
        misses.append(
            (BODY_MISS, f"body selector matched nothing ({', '.join(body_selectors)}); "
                        "body extracted generically")
        )
    dates = spec.article_date_selectors
    if dates and not meta_date and date_elsewhere and not matches_any(selector, dates):
        misses.append(
            (DATE_MISS, f"date selector matched nothing ({', '.join(spec.article_date_selectors)}); "
                        "date read generically")
        )
    return misses
