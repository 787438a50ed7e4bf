"""Mirror routing (the download handler) and polite retries, on a crawler without a network."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawlers.middlewares import PoliteRetryMiddleware, retry_after_seconds
from crawlers.mirroring import HANDLER_PATH, MirrorDownloadHandler, mirror_url_for, route_to_mirror

MIRROR = "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    ("real", "expected"),
    [
        ("https://polisia.kz/ru/feed/", ("http://127.0.0.1:8765/ru/feed/", "polisia.kz", "https")),
        (
            "https://мвд.рф/news?year=2025&month=1&day=10",
            ("http://127.0.0.1:8765/news?year=2025&month=1&day=10", "xn--b1aew.xn--p1ai", "https"),
        ),
        (
            "https://22.xn--b1aew.xn--p1ai/news/item/59736803/",
            ("http://127.0.0.1:8765/news/item/59736803/", "22.xn--b1aew.xn--p1ai", "https"),
        ),
        ("http://WWW.Polisia.KZ", ("http://127.0.0.1:8765/", "www.polisia.kz", "http")),
        (
            "https://akn.tj/ru/2024/04/29/no-%e2%84%963/",
            ("http://127.0.0.1:8765/ru/2024/04/29/no-%e2%84%963/", "akn.tj", "https"),
        ),
    ],
)
def test_mirror_url_for(real: str, expected: tuple[str, str, str]) -> None:
    assert mirror_url_for(real, MIRROR) == expected


class FakeHttp:
    """Stands for Scrapy's HTTP handler: records what is sent and answers like the mirror would."""

    def __init__(self, answer: Response) -> None:
        self.answer = answer
        self.requests: list[Request] = []

    async def download_request(self, request: Request) -> Response:
        self.requests.append(request)
        request.meta["download_latency"] = 0.25
        return self.answer.replace(url=request.url, request=request)

    async def close(self) -> None:
        pass


def handler(answer: Response, **settings) -> tuple[MirrorDownloadHandler, FakeHttp]:
    crawler = get_crawler(settings_dict={"NEWSMON_MIRROR_URL": MIRROR, **settings})
    http = FakeHttp(answer)
    return MirrorDownloadHandler(crawler, http=http), http


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


def test_off_unless_configured() -> None:
    with pytest.raises(NotConfigured):
        MirrorDownloadHandler(get_crawler(settings_dict={"NEWSMON_MIRROR_URL": None}), http=FakeHttp(Response("http://x")))


def test_the_handler_is_installed_only_for_a_mirror() -> None:
    routed = Settings({"NEWSMON_MIRROR_URL": MIRROR})
    route_to_mirror(routed)
    assert routed.getdict("DOWNLOAD_HANDLERS") == {"http": HANDLER_PATH, "https": HANDLER_PATH}
    real = Settings({"NEWSMON_MIRROR_URL": None})
    route_to_mirror(real)
    assert real.getdict("DOWNLOAD_HANDLERS") == {}


def test_a_mirror_url_that_is_not_http_is_refused() -> None:
    with pytest.raises(ValueError, match="NEWSMON_MIRROR_URL must be an http"):
        route_to_mirror(Settings({"NEWSMON_MIRROR_URL": "127.0.0.1:8765"}))


def test_request_goes_to_the_mirror_and_the_response_keeps_the_real_url() -> None:
    page = HtmlResponse(url="http://x", body=b"<html><body>ok</body></html>", status=200)
    mirror, http = handler(page)
    real = Request(
        "https://xn--b1aew.xn--p1ai/news/item/1/?print=1",
        headers={"User-Agent": "newsmon/0.1", "Proxy-Authorization": "Basic eDp5"},
        meta={"download_timeout": 7, "proxy": "http://proxy.example:3128"},
    )
    response = run(mirror.download_request(real))

    (sent,) = http.requests
    assert sent.url == f"{MIRROR}/news/item/1/?print=1"
    assert sent.headers["X-Mirror-Host"] == b"xn--b1aew.xn--p1ai"
    assert sent.headers["X-Mirror-Scheme"] == b"https"
    assert sent.headers["User-Agent"] == b"newsmon/0.1"
    assert b"Proxy-Authorization" not in sent.headers
    assert sent.meta["proxy"] is None  # the mirror is on this machine
    assert sent.meta["download_timeout"] == 7
    assert response.url == real.url
    assert response.request is real
    assert response.body == page.body
    assert real.meta["download_latency"] == 0.25  # for AutoThrottle, on the request it knows
    assert real.meta["proxy"] == "http://proxy.example:3128"  # the real request is left as it was


def test_robots_txt_is_routed_too() -> None:
    mirror, http = handler(Response(url="http://x", body=b"User-agent: *\nDisallow:\n"))
    response = run(mirror.download_request(Request("https://akn.tj/robots.txt")))
    assert http.requests[0].url == f"{MIRROR}/robots.txt"
    assert http.requests[0].headers["X-Mirror-Host"] == b"akn.tj"
    assert response.url == "https://akn.tj/robots.txt"


def test_requests_for_the_mirror_itself_pass_untouched() -> None:
    mirror, http = handler(Response(url="http://x"))
    response = run(mirror.download_request(Request(f"{MIRROR}/__mirror__/health")))
    assert http.requests[0].url == f"{MIRROR}/__mirror__/health"
    assert b"X-Mirror-Host" not in http.requests[0].headers
    assert response.url == f"{MIRROR}/__mirror__/health"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("https://polisia.kz/ru/slug/", "https://polisia.kz/ru/slug/"),  # absolute real host: kept
        (f"{MIRROR}/ru/slug/", "https://www.polisia.kz/ru/slug/"),  # mirror-absolute: mapped back
        ("/ru/slug/", "/ru/slug/"),  # relative: the redirect middleware joins it to the real URL
    ],
)
def test_redirect_locations_stay_real(location: str, expected: str) -> None:
    mirror, _ = handler(Response(url="http://x", status=301, headers={"Location": location}))
    response = run(mirror.download_request(Request("https://www.polisia.kz/ru/slug")))
    assert response.status == 301
    assert response.headers["Location"].decode() == expected


def test_redirects_keep_working_through_scrapy() -> None:
    """The real redirect middleware follows a real-host Location from a routed response."""
    from scrapy.downloadermiddlewares.redirect import RedirectMiddleware

    mirror, _ = handler(Response(url="http://x", status=301, headers={"Location": "https://polisia.kz/ru/"}))
    request = Request("https://www.polisia.kz/ru/")
    response = run(mirror.download_request(request))
    crawler = get_crawler()
    crawler.spider = Spider("test")
    redirected = RedirectMiddleware.from_crawler(crawler).process_response(request, response)
    assert isinstance(redirected, Request)
    assert redirected.url == "https://polisia.kz/ru/"


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), (" 120 ", 120.0), ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0), ("soon", None), (None, None)],
)
def test_retry_after(header, seconds) -> None:
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now=now) == seconds


def test_polite_retry_waits_as_asked_and_backs_off() -> None:
    crawler = get_crawler(settings_dict={"NEWSMON_RETRY_BACKOFF_S": 2.0, "NEWSMON_RETRY_MAX_WAIT_S": 60})
    retry = PoliteRetryMiddleware.from_crawler(crawler)
    request = Request("https://polisia.kz/ru/feed/")
    asked = Response(request.url, status=429, headers={"Retry-After": "7"})
    assert retry.wait_for(request, asked) == 7
    assert retry.wait_for(request, Response(request.url, status=503)) == 2.0
    assert retry.wait_for(request.replace(meta={"retry_times": 2}), Response(request.url, status=503)) == 8.0
    assert retry.wait_for(request, Response(request.url, status=429, headers={"Retry-After": "3600"})) == 60
