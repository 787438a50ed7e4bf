"""Downloader middlewares: retries that honour Retry-After; no redirect off the source's hosts.

(Routing to the offline mirror is not a middleware but a download handler:
:mod:`crawlers.mirroring`.)
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from w3lib.url import safe_url_string

from core.urls import InvalidURL, ascii_host, url_host
from crawlers.failures import OffsiteRedirect

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting between attempts: ``Retry-After`` when the server sends one
    (429, 503), otherwise an exponential back-off ``NEWSMON_RETRY_BACKOFF_S * 2**attempt``,
    both capped by ``NEWSMON_RETRY_MAX_WAIT_S``."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_s = settings.getfloat("NEWSMON_RETRY_BACKOFF_S", 2.0)
        self.max_wait_s = settings.getfloat("NEWSMON_RETRY_MAX_WAIT_S", 120.0)

    def wait_for(self, request: Request, response: Response | None) -> float:
        attempt = request.meta.get("retry_times", 0)
        wait = self.backoff_s * (2**attempt)
        if response is not None:
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            if asked is not None:
                wait = asked
        return min(wait, self.max_wait_s)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        max_times = request.meta.get("max_retry_times", self.max_retry_times)
        if request.meta.get("retry_times", 0) >= max_times:
            return self._retry(request, f"{response.status}") or response  # logs and counts the give-up
        wait = self.wait_for(request, response)
        if wait > 0:
            self.crawler.stats.inc_value("newsmon/retry/waited_s", int(wait))
            logger.info("HTTP %s for %s: retrying in %.1f s", response.status, request.url, wait)
            await sleep(wait)
        return self._retry(request, f"{response.status}") or response

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        wait = self.wait_for(request, None)
        if wait > 0 and request.meta.get("retry_times", 0) < request.meta.get(
            "max_retry_times", self.max_retry_times
        ):
            await sleep(wait)
        return self._retry(request, exception)


REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class OffsiteRedirectMiddleware:
    """Refuses a redirect to a host outside the crawled source's hosts (its configured hosts,
    its channels' hosts and their subdomains): the request fails with
    :class:`~crawlers.failures.OffsiteRedirect`, recorded as ``offsite_redirect``, and nothing
    of the other site is fetched or stored. Placed after Scrapy's redirect middleware so that
    it sees the redirect first."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> OffsiteRedirectMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        spider = self.crawler.spider
        if response.status not in REDIRECT_STATUSES or not location or not hasattr(spider, "own_hosts"):
            return response
        target = urljoin(request.url, safe_url_string(location.decode("latin-1")))
        try:
            host = ascii_host(url_host(target)).removeprefix("www.")
        except (InvalidURL, ValueError):
            return response
        own = spider.own_hosts()
        if host in own or any(host.endswith("." + base) for base in own):
            return response
        raise OffsiteRedirect(f"off-site redirect to {target}")
