"""мвд.рф (xn--b1aew.xn--p1ai): the MIA of Russia, and its regional sites ``NN.мвд.рф``.

Every host has an RSS feed ``/news/rss`` (pubDate with offset, often ``yandex:full-text``), a
listing ``/news`` paginated as ``/news/N/`` and items ``/news/item/<id>/``. Regional sites (codes
from ``region_codes`` in the configuration, zones from ``region_timezones``) keep the legacy
"mvd-2014" template and a day archive ``/news?year=Y&month=M&day=D`` used for backfills.
"""

from __future__ import annotations

from crawlers.base import NewsSpider
from crawlers.spec import ArchiveSpec, SiteSpec


class MvdRuSpider(NewsSpider):
    name = "mvd_ru"
    spec = SiteSpec(
        article_patterns=(r"/news/item/\d+/?",),
        article_date_selectors=(".news-detail time[datetime]", "div.article-date-item", ".article-date"),
        listing_page_template="{origin}/news/{page}/",
        archive=ArchiveSpec(period="day", template="{origin}/news?year={year}&month={month}&day={day}"),
        regional_subdomains=True,
    )
