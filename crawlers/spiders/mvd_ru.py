"""мвд.рф (xn--b1aew.xn--p1ai): the MIA of Russia, and its regional sites ``NN.мвд.рф``.

Every host has an RSS feed ``/news/rss`` (pubDate with offset, often ``yandex:full-text``), a
listing ``/news`` paginated as ``/news/N/`` and items ``/news/item/<id>/``. Regional sites (codes
from ``region_codes`` in the configuration, zones from ``region_timezones``) keep the legacy
"mvd-2014" template and a day archive ``/news?year=Y&month=M&day=D`` used for backfills.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from core.urls import ascii_host
from crawlers.base import Archive, Channel, NewsSpider


class MvdRuSpider(NewsSpider):
    name = "mvd_ru"
    article_patterns = (r"/news/item/\d+/?",)
    article_date_selectors = (".news-detail time[datetime]", "div.article-date-item", ".article-date")

    def channels(self) -> list[Channel]:
        main = super().channels()
        regional: list[Channel] = []
        for code in self.source.region_codes:
            zone = self.source.region_timezones.get(code, self.source.timezone)
            for channel in main:
                regional.append(
                    self.make_channel(
                        _on_host(channel.listing, code) if channel.listing else None,
                        _on_host(channel.feed, code) if channel.feed else None,
                        timezone=zone,
                    )
                )
        return main + regional

    def listing_page_url(self, channel: Channel, page: int) -> str | None:
        parts = urlsplit(channel.listing or "")
        return f"{parts.scheme}://{parts.netloc}/news/{page}/"

    def archive_urls(self, channel: Channel, since: date, until: date) -> list[Archive] | None:
        parts = urlsplit(channel.listing or "")
        base = f"{parts.scheme}://{parts.netloc}/news"
        days = []
        day = until
        while day >= since:
            days.append(Archive(f"{base}?year={day.year}&month={day.month}&day={day.day}", day, day))
            day -= timedelta(days=1)
        return days


def _on_host(url: str, code: str) -> str:
    parts = urlsplit(url)
    host = f"{code}.{ascii_host(parts.hostname or '')}"
    return parts._replace(netloc=host).geturl()
