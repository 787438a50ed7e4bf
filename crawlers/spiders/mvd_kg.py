"""mvd.gov.kg: the MIA of the Kyrgyz Republic.

News items are ``/rus/news/<id>`` (Russian) and ``/kyr/news/<id>`` (Kyrgyz) with sequential ids;
listings ``/rus/news?page=N``; the page states its date as ``DD.MM.YYYY`` next to the title.
When a listing cannot be read, the spider walks the ids (stopping after consecutive misses).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from crawlers.base import Channel, NewsSpider

_ID = re.compile(r"/(?:rus|kyr)/news/(\d+)/?$")


class MvdKgSpider(NewsSpider):
    name = "mvd_kg"
    article_patterns = (r"/(?:rus|kyr)/news/\d+/?",)
    language_prefixes = (("/rus/", "ru"), ("/kyr/", "ky"))
    article_date_selectors = ("[class*='date']",)
    walk_template = "{scheme}://{host}{prefix}/news/{id}"
    # Kyrgyz versions exist for some news only: their ids leave gaps of a dozen and more.
    walk_max_misses = 20

    def listing_page_url(self, channel: Channel, page: int) -> str | None:
        assert channel.listing is not None
        return f"{channel.listing.split('?')[0]}?page={page}"

    def article_alternates(self, response: TextResponse) -> dict[str, str]:
        """The site has no hreflang; its language switch links the same id under the other prefix."""
        alternates = super().article_alternates(response)
        own_id = self.item_id(response.url)
        if own_id is None:
            return alternates
        for href in response.xpath("//a/@href").getall():
            url = response.urljoin(href)
            language = self.language_of(url)
            if (
                language
                and self.item_id(url) == own_id
                and urlsplit(url).netloc == urlsplit(response.url).netloc
            ):
                alternates.setdefault(language, url)
        if alternates:
            alternates.setdefault(self.language_of(response.url) or "", response.url)
        alternates.pop("", None)
        return alternates

    def item_id(self, url: str) -> int | None:
        match = _ID.search(urlsplit(url).path)
        return int(match.group(1)) if match else None

    def walk_prefix(self, channel: Channel) -> str:
        path = urlsplit(channel.listing or "").path
        return "/" + path.strip("/").split("/")[0] if path.strip("/") else "/rus"

    def walk_home_urls(self, channel: Channel) -> list[str]:
        parts = urlsplit(channel.listing or "")
        return [f"{parts.scheme}://{parts.netloc}{self.walk_prefix(channel)}"]
