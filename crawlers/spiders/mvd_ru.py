"""мвд.рф (xn--b1aew.xn--p1ai): the MIA of Russia, and its regional sites ``NN.мвд.рф``.

Every host has an RSS feed ``/news/rss`` (pubDate with offset, often ``yandex:full-text``), a
listing ``/news`` paginated as ``/news/N/`` and items ``/news/item/<id>/``. Regional sites (the
``regions`` table of the configuration: code -> time zone) keep the legacy
"mvd-2014" template and a day archive ``/news?year=Y&month=M&day=D`` used for backfills. The home
page links news as ``/news/window/<id>/`` pop-ups: the same article as ``/news/item/<id>/``.
"""

from __future__ import annotations

from crawlers.base import NewsSpider
from crawlers.spec import ArchiveSpec, SiteSpec


class MvdRuSpider(NewsSpider):
    name = "mvd_ru"
    spec = SiteSpec(
        article_patterns=(r"/news/item/\d+/?",),
        # The home page links news as pop-ups of the same item.
        url_aliases=((r"^/news/window/(\d+)(/?)$", r"/news/item/\1\2"),),
        article_date_selectors=(".news-detail time[datetime]", "div.article-date-item", ".article-date"),
        # Main host (2025 redesign) and the legacy template of the regional sites.
        listing_item_selectors=(".news-inner__item", ".sl-item"),
        listing_page_template="{origin}/news/{page}/",
        archive=ArchiveSpec(period="day", template="{origin}/news?year={year}&month={month}&day={day}"),
        regional_subdomains=True,
    )
