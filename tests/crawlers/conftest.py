"""Fixtures of the crawler tests: the bundled mirror, its manifest, pages fetched from it."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse

from core.urls import ascii_host, canonical_url
from mirror import MirrorServer, manifest


@dataclass(frozen=True)
class Fetched:
    status: int
    body: bytes
    headers: dict[str, str]


@pytest.fixture(scope="session")
def mirror_server() -> Iterator[MirrorServer]:
    """One mirror for the session (tests that count its log reset it first)."""
    server = MirrorServer().start()
    yield server
    server.stop()


@pytest.fixture
def mirror(mirror_server: MirrorServer) -> MirrorServer:
    mirror_server.set_faults({})
    mirror_server.reset_log()
    return mirror_server


@pytest.fixture(scope="session")
def manifest_rows() -> list[dict]:
    return manifest()


@pytest.fixture(scope="session")
def manifest_by_url(manifest_rows: list[dict]) -> dict[str, dict]:
    return {canonical_url(row["url"]): row for row in manifest_rows}


def fetch(server: MirrorServer, real_url: str) -> Fetched:
    """GET ``real_url`` from the mirror (no redirects followed)."""
    parts = urlsplit(real_url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = urllib.request.Request(
        server.url + path,
        headers={"X-Mirror-Host": ascii_host(parts.hostname or ""), "X-Mirror-Scheme": "https"},
    )

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as answer:
            return Fetched(answer.status, answer.read(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.read(), dict(error.headers))


def html_response(server: MirrorServer, real_url: str) -> HtmlResponse:
    """A Scrapy response for ``real_url`` as the mirror serves it (status 200 asserted)."""
    fetched = fetch(server, real_url)
    assert fetched.status == 200, f"{real_url}: HTTP {fetched.status}"
    return HtmlResponse(url=real_url, body=fetched.body, encoding="utf-8")
