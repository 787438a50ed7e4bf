"""Failure classification: the crawl-run error kind of a failed request, and the articles worth
another try by the next crawl (kept in the crawl state, given up after ``RETRY_CRAWLS``)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    DNSLookupError,
    TCPTimedOutError,
)
from twisted.internet.error import (
    TimeoutError as TwistedTimeoutError,
)
from twisted.python.failure import Failure

from core.urls import InvalidURL, canonical_url

logger = logging.getLogger(__name__)

RETRY_KINDS = frozenset({"http_5xx", "http_4xx", "timeout", "connection", "truncated", "dns", "challenge"})
"""Article failures the next crawl tries again (the site may answer then); a 404, a page robots.txt
forbids or one too large is not retried."""
GONE_KEPT = 20_000
"""Articles answered 410 Gone that a source's crawl state remembers (the oldest are forgotten)."""
RETRY_CRAWLS = 3
"""Crawls that try a failing article before it is given up (it stays in the runs' error samples)."""


class OffsiteRedirect(IgnoreRequest):
    """A redirect to a host outside the crawled source's hosts: recorded, never followed."""


def classify_failure(failure: Failure) -> tuple[str, str]:
    """The crawl-run error kind of a request failure, and a short detail."""
    if failure.check(HttpError):
        status = failure.value.response.status
        if status == 410:
            return "gone", "HTTP 410 Gone"
        if status == 404:
            return "http_404", f"HTTP {status}"
        if status >= 500:
            return "http_5xx", f"HTTP {status}"
        return "http_4xx", f"HTTP {status}"
    message = str(failure.value)
    if failure.check(OffsiteRedirect):
        return "offsite_redirect", message
    if failure.check(IgnoreRequest):
        lowered = message.lower()
        if "robots" in lowered:
            return "robots", message
        if "redirect" in lowered:
            return "redirect", message
        return "ignored", message or "request ignored"
    if failure.check(DNSLookupError, CannotResolveHostError):
        return "dns", message
    if failure.check(TwistedTimeoutError, TCPTimedOutError, TimeoutError, DownloadTimeoutError):
        return "timeout", message or "timed out"
    if failure.check(DownloadCancelledError):
        return "too_large", message or "download cancelled"
    if failure.check(ResponseDataLossError):
        return "truncated", message or "response body cut short"
    if failure.check(ConnectError, ConnectionLost, DownloadConnectionRefusedError, DownloadFailedError):
        return "connection", f"{failure.type.__name__}: {message}"
    name = failure.type.__name__ if failure.type else "error"
    if "Timeout" in name:
        return "timeout", name
    return "connection", f"{name}: {message}"


def http_status(failure: Failure) -> int | None:
    """The HTTP status of a failure that is an error response, else None."""
    return failure.value.response.status if failure.check(HttpError) else None


class RetryList:
    """Articles earlier crawls failed to fetch, in the crawl state's ``retry`` table:
    canonical URL -> ``{url, channel, kind, attempts}``."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state

    @property
    def failed(self) -> dict[str, dict[str, Any]]:
        return self.state.setdefault("retry", {})

    def note(self, url: str, channel_key: str, kind: str) -> None:
        """Remember an article that failed in a way worth another try by the next crawl (an
        incremental crawl would not come across it again below the channel's high-water mark)."""
        if kind not in RETRY_KINDS:
            return
        try:
            key = canonical_url(url)
        except InvalidURL:
            return
        failed = self.failed
        attempts = int(failed.get(key, {}).get("attempts", 0)) + 1
        if attempts > RETRY_CRAWLS:
            logger.info("%s failed in %d crawls (%s): given up", url, RETRY_CRAWLS, kind)
            failed.pop(key, None)
            return
        failed[key] = {"url": url, "channel": channel_key, "kind": kind, "attempts": attempts}

    def fetched(self, *urls: str) -> None:
        """Articles fetched at last leave the list."""
        if self.state.get("retry"):
            for url in urls:
                self.failed.pop(canonical_url(url), None)

    def refetch(self, url: str, channel_key: str, kind: str) -> None:
        """Ask the next crawl to fetch a stored article again (its page was doubtful: a charset
        guessed with low confidence), up to ``RETRY_CRAWLS`` times."""
        try:
            key = canonical_url(url)
        except InvalidURL:
            return
        attempts = int(self.failed.get(key, {}).get("attempts", 0)) + 1
        if attempts > RETRY_CRAWLS:
            self.failed.pop(key, None)
            return
        self.failed[key] = {"url": url, "channel": channel_key, "kind": kind, "attempts": attempts,
                            "stored": True}

    # --- articles that are gone (410) ------------------------------------------------------------

    @property
    def gone(self) -> dict[str, str]:
        """Canonical URL -> URL of the articles a site answered 410 Gone: never requested again."""
        return self.state.setdefault("gone", {})

    def note_gone(self, url: str) -> None:
        try:
            key = canonical_url(url)
        except InvalidURL:
            return
        gone = self.gone
        gone[key] = url
        while len(gone) > GONE_KEPT:
            gone.pop(next(iter(gone)))
        self.failed.pop(key, None)

    def is_gone(self, key: str) -> bool:
        return key in self.state.get("gone", {})
