"""``NEWSMON_STOP_AFTER_ITEMS``: stop the crawl as Ctrl-C does once that many article pages were
fetched.

The crawl process sends itself SIGINT when the N-th article page has been received, so the stop
takes exactly the path of an operator's Ctrl-C (a graceful stop: what is in flight finishes and is
stored, the job directory is kept for the next crawl to resume), at a point fixed by the count
rather than by the clock. It used to count pages *stored*: when tagging started slowly (worker
processes loading, a busy machine) every article of a small site was downloaded before the first
one was stored, and the stop landed after the whole crawl. Counting fetched pages bounds what the
stopped crawl stores by N plus the requests in flight. The resume test uses it; an operator can
use it to crawl a little and look.
"""

from __future__ import annotations

import os
import signal
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured


class StopAfterItems:
    """Sends this process SIGINT once ``NEWSMON_STOP_AFTER_ITEMS`` article pages were fetched."""

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
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        return extension

    def response_received(self, response: Any, request: Any, spider: Any) -> None:
        if request.meta.get("nm_role") != "article":
            return
        self.count += 1
        if self.count >= self.limit and not self.sent:
            self.sent = True
            os.kill(os.getpid(), signal.SIGINT)
