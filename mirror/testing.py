"""Test helper: fetch a real URL from a running mirror, as the crawler's middleware would.

    from mirror import MirrorServer
    from mirror.testing import fetch

    with MirrorServer() as mirror:
        page = fetch(mirror, "https://polisia.kz/ru/")
        page.status, page.header("Content-Type"), page.text, page.html().cssselect("h1")

Redirects are not followed (the ``Location`` header is the real-host URL).
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import lxml.html

    from mirror.server import MirrorServer


@dataclass
class Fetched:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def html(self) -> lxml.html.HtmlElement:
        import lxml.html

        return lxml.html.fromstring(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def fetch(server: MirrorServer, url: str, headers: dict[str, str] | None = None, method: str = "GET",
          timeout: float = 10) -> Fetched:
    """Request a real URL (``https://polisia.kz/ru/``) from ``server`` with ``X-Mirror-Host``."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request(method, path, headers={"X-Mirror-Host": parts.hostname or "",
                                            "X-Mirror-Scheme": parts.scheme or "https", **(headers or {})})
        resp = conn.getresponse()
        return Fetched(resp.status, resp.msg, resp.read())
    finally:
        conn.close()
