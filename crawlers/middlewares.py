"""Downloader middlewares: routing to the offline mirror, and retries that honour Retry-After.

Mirror routing (:class:`MirrorMiddleware`) is off unless ``NEWSMON_MIRROR_URL`` is set (or
``newsmon crawl --mirror URL``). When on, every request for a real host is downloaded from the
mirror instead: the middleware builds an inner request ``<mirror><path>?<query>`` carrying the
real host in ``X-Mirror-Host`` (and the scheme in ``X-Mirror-Scheme``), awaits it, and hands the
response back under the real URL. Everything else in the chain (robots.txt, redirects, retries,
cookies, the HTTP cache, the spiders and storage) only ever sees real URLs, and the inner request
keeps the real host as its download slot, so per-host politeness still applies.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import sleep

from newsmon.urls import ascii_host

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

MIRROR_HOST_HEADER = "X-Mirror-Host"
MIRROR_SCHEME_HEADER = "X-Mirror-Scheme"
INNER_META = "newsmon_mirror_inner"
"""Marks the request actually sent to the mirror (it must not be routed again)."""


def mirror_url_for(real_url: str, mirror: str) -> tuple[str, str, str]:
    """The mirror URL standing for ``real_url``, the real host (ASCII) and scheme.

    ``https://мвд.рф/news?year=2025`` with mirror ``http://127.0.0.1:8080`` gives
    ``("http://127.0.0.1:8080/news?year=2025", "xn--b1aew.xn--p1ai", "https")``.
    """
    real = urlsplit(real_url)
    base = urlsplit(mirror)
    if not real.hostname:
        raise ValueError(f"URL has no host: {real_url!r}")
    prefix = base.path.rstrip("/")
    url = urlunsplit((base.scheme, base.netloc, prefix + (real.path or "/"), real.query, ""))
    return url, ascii_host(real.hostname), real.scheme or "https"


def is_mirror_url(url: str, mirror: str) -> bool:
    """Whether ``url`` already points at the mirror server."""
    return urlsplit(url).netloc == urlsplit(mirror).netloc


class MirrorMiddleware:
    """Send requests for real hosts to the mirror; put the real URL back on the responses.

    Enabled by the ``NEWSMON_MIRROR_URL`` setting (``http://127.0.0.1:PORT``). Place it last in
    the chain (next to the downloader), so the other middlewares work on real URLs.
    """

    def __init__(self, crawler: Crawler, mirror_url: str) -> None:
        self.crawler = crawler
        self.mirror_url = mirror_url.rstrip("/")
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MirrorMiddleware:
        mirror_url = crawler.settings.get("NEWSMON_MIRROR_URL")
        if not mirror_url:
            raise NotConfigured("NEWSMON_MIRROR_URL is not set: crawling the real sites")
        if not str(mirror_url).startswith(("http://", "https://")):
            raise ValueError(f"NEWSMON_MIRROR_URL must be an http(s) URL, not {mirror_url!r}")
        return cls(crawler, str(mirror_url))

    def mirror_request(self, request: Request) -> Request:
        """The inner request that fetches ``request`` from the mirror."""
        url, host, scheme = mirror_url_for(request.url, self.mirror_url)
        headers = request.headers.copy()
        headers[MIRROR_HOST_HEADER] = host
        headers[MIRROR_SCHEME_HEADER] = scheme
        meta: dict[str, Any] = {
            INNER_META: True,
            # The outer request already passed robots.txt, offsite and cookie handling under
            # its real URL, and redirects/retries are the outer chain's business.
            "dont_obey_robotstxt": True,
            "allow_offsite": True,
            "dont_redirect": True,
            "dont_retry": True,
            "dont_merge_cookies": True,
            "handle_httpstatus_all": True,
            "proxy": None,
            # Politeness (delay, concurrency, AutoThrottle) stays per real host.
            "download_slot": request.meta.get("download_slot", host),
        }
        if "download_timeout" in request.meta:
            meta["download_timeout"] = request.meta["download_timeout"]
        return Request(
            url,
            method=request.method,
            headers=headers,
            body=request.body,
            meta=meta,
            priority=request.priority,
            dont_filter=True,
        )

    def real_response(self, response: Response, request: Request) -> Response:
        """``response`` under the real URL of ``request``; mirror-absolute redirects mapped back."""
        headers = response.headers.copy()
        location = headers.get(b"Location")
        if location:
            text = location.decode("latin-1")
            if is_mirror_url(text, self.mirror_url):
                target = urlsplit(text)
                real = urlsplit(request.url)
                headers[b"Location"] = urlunsplit((real.scheme, real.netloc, target.path, target.query, ""))
        return response.replace(url=request.url, headers=headers, request=request)

    async def process_request(self, request: Request) -> Response | None:
        if request.meta.get(INNER_META) or is_mirror_url(request.url, self.mirror_url):
            return None
        if urlsplit(request.url).scheme not in ("http", "https"):
            return None
        inner = self.mirror_request(request)
        self.stats.inc_value("newsmon/mirror/requests")
        assert self.crawler.engine is not None
        response = await self.crawler.engine.download_async(inner)
        return self.real_response(response, request)


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
