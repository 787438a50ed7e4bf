"""Routing to the offline mirror: a download handler that fetches real URLs from the mirror.

Off unless ``NEWSMON_MIRROR_URL`` is set (or ``newsmon crawl --mirror URL``); then
:func:`route_to_mirror` installs :class:`MirrorDownloadHandler` for ``http`` and ``https``. Every
request for a real host is sent to ``<mirror><path>?<query>`` with the real host in
``X-Mirror-Host`` (and the scheme in ``X-Mirror-Scheme``), and the response comes back under the
real URL. Routing happens where the bytes are fetched, below every middleware: robots.txt,
redirects, retries, cookies, the HTTP cache, politeness (per real host), the spiders and storage
see only real URLs, and each page passes through the middlewares once, as on the real sites.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler

from core.urls import ascii_host

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

MIRROR_HOST_HEADER = "X-Mirror-Host"
MIRROR_SCHEME_HEADER = "X-Mirror-Scheme"
MIRROR_URL_SETTING = "NEWSMON_MIRROR_URL"
HANDLER_PATH = "crawlers.mirroring.MirrorDownloadHandler"


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


def checked_mirror_url(value: object) -> str:
    """The mirror URL of a ``NEWSMON_MIRROR_URL`` value, without a trailing slash."""
    text = str(value or "")
    if not text.startswith(("http://", "https://")):
        raise ValueError(f"{MIRROR_URL_SETTING} must be an http(s) URL, not {value!r}")
    return text.rstrip("/")


def mirrored_hosts(mirror: str, timeout_s: float = 10.0) -> frozenset[str] | None:
    """The ASCII hosts the mirror serves (its ``/__mirror__/health``), None when it does not say.

    A mirror stands in for some of a source's hosts only (a few of мвд.рф's regional sites):
    channels on the others are not crawled through it, rather than counted as 404s.
    """
    health = f"{checked_mirror_url(mirror)}/__mirror__/health"
    try:
        with urllib.request.urlopen(health, timeout=timeout_s) as answer:
            hosts = json.load(answer).get("hosts")
    except (OSError, ValueError, urllib.error.URLError) as exc:
        logger.warning("the mirror at %s does not list its hosts (%s): every host goes to it", mirror, exc)
        return None
    return frozenset(ascii_host(str(host)) for host in hosts) if isinstance(hosts, list) else None


def route_to_mirror(settings: Any) -> None:
    """Install the mirror's download handler when ``NEWSMON_MIRROR_URL`` is set (spider priority,
    like the politeness settings); with no mirror the real sites are crawled."""
    mirror = settings.get(MIRROR_URL_SETTING)
    if not mirror:
        return
    checked_mirror_url(mirror)
    settings.set("DOWNLOAD_HANDLERS", {"http": HANDLER_PATH, "https": HANDLER_PATH}, priority="spider")


class MirrorDownloadHandler:
    """Scrapy's HTTP/1.1 download handler, pointed at the mirror for every real host."""

    lazy = False

    def __init__(self, crawler: Crawler, http: Any = None) -> None:
        """``http`` fetches the mirror's answers: Scrapy's HTTP/1.1 handler unless given."""
        mirror = crawler.settings.get(MIRROR_URL_SETTING)
        if not mirror:
            raise NotConfigured(f"{MIRROR_URL_SETTING} is not set: crawling the real sites")
        self.mirror_url = checked_mirror_url(mirror)
        self.stats = crawler.stats
        self.http = http if http is not None else build_from_crawler(HTTP11DownloadHandler, crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MirrorDownloadHandler:
        return cls(crawler)

    def mirror_request(self, request: Request) -> Request:
        """The request actually sent: to the mirror, the real host in a header, never via a proxy."""
        url, host, scheme = mirror_url_for(request.url, self.mirror_url)
        headers = request.headers.copy()
        headers[MIRROR_HOST_HEADER] = host
        headers[MIRROR_SCHEME_HEADER] = scheme
        headers.pop(b"Proxy-Authorization", None)
        return request.replace(url=url, headers=headers, meta={**request.meta, "proxy": None})

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

    async def download_request(self, request: Request) -> Response:
        if is_mirror_url(request.url, self.mirror_url):
            return await self.http.download_request(request)
        sent = self.mirror_request(request)
        self.stats.inc_value("newsmon/mirror/requests")
        response = await self.http.download_request(sent)
        if "download_latency" in sent.meta:  # AutoThrottle reads it from the request it knows
            request.meta["download_latency"] = sent.meta["download_latency"]
        return self.real_response(response, request)

    async def close(self) -> None:
        await self.http.close()
