"""Paging as WordPress does it, shared by the specs of WordPress sites: a feed ``…/feed/`` pages
with ``?paged=N`` and belongs to the listing it sits under, whose pages are ``…/page/N/``."""

from __future__ import annotations

from typing import Any

WORDPRESS_PAGING: dict[str, Any] = {
    "feed_suffix": "feed/",
    "feed_page_template": "{feed}?paged={page}",
    "listing_page_template": "{listing}/page/{page}/",
}
"""Keyword arguments of :class:`crawlers.spec.SiteSpec`."""

WORDPRESS_RESERVED_SLUGS = frozenset(
    {"page", "feed", "category", "tag", "author", "search", "comments", "embed", "amp"}
    | {"wp-admin", "wp-content", "wp-includes", "wp-json", "wp-login.php", "xmlrpc.php"}
)
"""Path segments that are WordPress machinery or sections, never a post slug."""
