"""polisia.kz: the MIA of Kazakhstan's media portal (WordPress multisite, "Publisher" theme).

Editions: Kazakh at the root, Russian under ``/ru/``, English under ``/en/``. Permalinks are flat
Latin slugs (``/ru/<slug>/``). Each edition has an RSS feed (``/feed/``, ``?paged=N``) and a
front listing paginated as ``page/N/``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawlers.base import NewsSpider, WordPressPaging

# First path segments that are WordPress machinery or sections, never a post slug.
RESERVED_SLUGS = frozenset(
    {
        "ru",
        "en",
        "kz",
        "page",
        "feed",
        "category",
        "tag",
        "author",
        "search",
        "comments",
        "embed",
        "wp-admin",
        "wp-content",
        "wp-includes",
        "wp-json",
        "wp-login.php",
        "xmlrpc.php",
        "amp",
    }
)


class PolisiaKzSpider(WordPressPaging, NewsSpider):
    name = "polisia_kz"
    article_patterns = (r"/(?:(?:ru|en)/)?[a-z0-9][a-z0-9-]*/?",)
    language_prefixes = (("/ru/", "ru"), ("/en/", "en"), ("", "kk"))
    article_date_selectors = (".post-header time.post-published", "time.post-published")

    def accept_article(self, url: str) -> bool:
        segments = [s for s in urlsplit(url).path.split("/") if s]
        slug = segments[-1] if segments else ""
        return bool(slug) and slug not in RESERVED_SLUGS and not slug.startswith("wp-")
