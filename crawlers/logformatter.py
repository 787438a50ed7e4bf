"""Scrapy log lines without page bodies: an item is a whole HTML page, so log its URL only."""

from __future__ import annotations

from typing import Any

from scrapy.logformatter import LogFormatter


class NewsmonLogFormatter(LogFormatter):
    def scraped(self, item: Any, response: Any, spider: Any) -> Any:
        entry = super().scraped(item, response, spider)
        url = getattr(item, "url", None)
        if url is not None and entry is not None:
            entry["msg"] = "Scraped %(url)s from %(src)s"
            entry["args"] = {"url": url, "src": response}
        return entry

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> Any:
        entry = super().dropped(item, exception, response, spider)
        url = getattr(item, "url", None)
        if url is not None and entry is not None:
            entry["msg"] = "Dropped %(url)s: %(exception)s"
            entry["args"] = {"url": url, "exception": exception}
        return entry
