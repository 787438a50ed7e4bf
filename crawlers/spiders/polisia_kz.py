"""polisia.kz: the MIA of Kazakhstan's media portal (WordPress multisite, "Publisher" theme).

Editions: Kazakh at the root, Russian under ``/ru/``, English under ``/en/``. Permalinks are flat
Latin slugs (``/ru/<slug>/``). Each edition has an RSS feed (``/feed/``, ``?paged=N``) and a
front listing paginated as ``page/N/``.
"""

from __future__ import annotations

from crawlers.base import NewsSpider
from crawlers.spec import SiteSpec
from crawlers.spiders.wordpress import WORDPRESS_PAGING, WORDPRESS_RESERVED_SLUGS


class PolisiaKzSpider(NewsSpider):
    name = "polisia_kz"
    spec = SiteSpec(
        article_patterns=(r"/(?:(?:ru|en)/)?[a-z0-9][a-z0-9-]*/?",),
        language_prefixes=(("/ru/", "ru"), ("/en/", "en"), ("", "kk")),
        article_date_selectors=(".post-header time.post-published", "time.post-published"),
        # Publisher theme (research/sites.md): listing items and the body container.
        listing_item_selectors=(".listing-item",),
        # Edition prefixes are first path segments too, never a post slug.
        reserved_slugs=WORDPRESS_RESERVED_SLUGS | {"ru", "en", "kz"},
        reserved_slug_prefixes=("wp-",),
        **WORDPRESS_PAGING,
    )
