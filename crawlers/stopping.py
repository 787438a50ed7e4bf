"""``NEWSMON_STOP_AFTER_ITEMS``: stop the crawl as Ctrl-C does once that many pages were stored.

The crawl process sends itself SIGINT when the N-th item has gone through the pipelines, so the
stop takes exactly the path of an operator's Ctrl-C (a graceful stop: what is in flight finishes,
the job directory is kept for the next crawl to resume), at a point fixed by the count rather than
by the clock. The resume test uses it; an operator can use it to crawl a little and look.
"""

from __future__ import annotations

import os
import signal
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured


class StopAfterItems:
    """Sends this process SIGINT once ``NEWSMON_STOP_AFTER_ITEMS`` items were stored."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self.sent = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> StopAfterItems:
        limit = crawler.settings.getint("NEWSMON_STOP_AFTER_ITEMS", 0)
        if limit <= 0:
            raise NotConfigured
        extension = cls(limit)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any, spider: Any) -> None:
        self.count += 1
        if self.count >= self.limit and not self.sent:
            self.sent = True
            os.kill(os.getpid(), signal.SIGINT)
