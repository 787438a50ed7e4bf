"""The generic outlet spider: a news outlet declared in ``config/sources.toml`` alone.

An entry with ``kind = "outlet"`` states feeds, an optional listing (``start_urls``), the pattern
of its article URLs, the path prefixes of its language editions, its country, languages and time
zone. Its spec is built from that entry: feeds are read first (page 1 only), the listing is
followed by its ``rel=next`` links, links are articles by URL pattern, and an article's date is
read from its meta data, a date next to its heading, or as htmldate finds it. One spider class
serves every outlet; :func:`outlet_spider` names a subclass after each configured id.
"""

from __future__ import annotations

from functools import cache

from config import SourceConfig
from crawlers.base import NewsSpider
from crawlers.spec import SiteSpec


def outlet_spec(source: SourceConfig) -> SiteSpec:
    """The spec of a configured outlet."""
    prefixes = sorted(source.language_paths.items(), key=lambda item: len(item[0]), reverse=True)
    return SiteSpec(
        article_patterns=tuple(source.article_patterns),
        language_prefixes=tuple(prefixes),
        guess_article_date=True,
    )


class OutletSpider(NewsSpider):
    """Feed/listing discovery and generic dating for any configured outlet."""

    @classmethod
    def spec_for(cls, source: SourceConfig) -> SiteSpec:
        return outlet_spec(source)


@cache
def outlet_spider(source_id: str) -> type[OutletSpider]:
    """The outlet spider class named ``source_id`` (one per id, so Scrapy can tell them apart)."""
    class_name = "".join(part.title() for part in source_id.split("_")) + "OutletSpider"
    return type(class_name, (OutletSpider,), {"name": source_id, "__module__": __name__})
