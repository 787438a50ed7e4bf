"""akn.tj: the Drug Control Agency of Tajikistan (WordPress with a multilingual plugin).

English at the root, Russian under ``/ru/``, Tajik under ``/tj/``. Posts have date permalinks
``/<lang>/YYYY/MM/DD/<slug>/`` (the URL is the one date every post states); listings paginate
as ``page/N/``, month archives ``/<lang>/YYYY/MM/`` serve backfills, feeds ``/feed/?paged=N``.
A legacy English section ``/en/news/<slug>/`` has undated pages.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from urllib.parse import urlsplit

from crawlers.base import Archive, Channel, NewsSpider, WordPressPaging


class AknTjSpider(WordPressPaging, NewsSpider):
    name = "akn_tj"
    article_patterns = (
        r"/(?:(?:ru|tj|tg|en)/)?\d{4}/\d{2}/\d{2}/[^/]+/?",
        r"/en/news/[^/]+/?",
    )
    language_prefixes = (("/ru/", "ru"), ("/tj/", "tg"), ("/tg/", "tg"), ("", "en"))
    # The legacy English section: undated pages no feed or edition listing links.
    extra_sections = ("/en/news/",)

    def accept_article(self, url: str) -> bool:
        return not urlsplit(url).path.rstrip("/").endswith("/news/page")

    def archive_urls(self, channel: Channel, since: date, until: date) -> list[Archive] | None:
        listing = channel.listing or ""
        if "/en/news" in listing:
            return None  # the legacy section has no archives
        months: list[Archive] = []
        year, month = until.year, until.month
        while (year, month) >= (since.year, since.month):
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
            months.append(Archive(f"{listing.rstrip('/')}/{year:04d}/{month:02d}/", first, last))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return months

    def archive_page_url(self, url: str, page: int) -> str | None:
        base = re.sub(r"page/\d+/$", "", url)
        return f"{base}page/{page}/"
