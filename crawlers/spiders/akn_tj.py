"""akn.tj: the Drug Control Agency of Tajikistan (WordPress with a multilingual plugin).

English at the root, Russian under ``/ru/``, Tajik under ``/tj/``. Posts have date permalinks
``/<lang>/YYYY/MM/DD/<slug>/`` (the URL is the one date every post states); listings paginate
as ``page/N/``, month archives ``/<lang>/YYYY/MM/`` serve backfills, feeds ``/feed/?paged=N``.
A legacy English section ``/en/news/<slug>/`` has undated pages and no archives.
"""

from __future__ import annotations

from crawlers.base import NewsSpider
from crawlers.spec import ArchiveSpec, SiteSpec
from crawlers.spiders.wordpress import WORDPRESS_PAGING


class AknTjSpider(NewsSpider):
    name = "akn_tj"
    spec = SiteSpec(
        article_patterns=(r"/(?:(?:ru|tj|tg|en)/)?\d{4}/\d{2}/\d{2}/[^/]+/?", r"/en/news/[^/]+/?"),
        language_prefixes=(("/ru/", "ru"), ("/tj/", "tg"), ("/tg/", "tg"), ("", "en")),
        # WordPress defaults (the real theme's classes are unknown): posts, the legacy section.
        listing_item_selectors=("article.hentry", ".news-item"),
        rejected_path_suffixes=("/news/page",),
        # The legacy English section: undated pages no feed or edition listing links.
        extra_sections=("/en/news/",),
        archive=ArchiveSpec(
            period="month",
            template="{listing}/{year:04d}/{month:02d}/",
            page_template="{archive}page/{page}/",
            skip_sections=("/en/news",),
        ),
        **WORDPRESS_PAGING,
    )
