"""Request and response values passed between the HTTP server and the site renderers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qs, unquote


@dataclass(frozen=True)
class Request:
    """An incoming request, already routed to a real host."""

    method: str
    host: str
    """The real host, ASCII (punycode), lowercase, no port."""
    path: str
    """The path as sent, still percent-encoded."""
    query: str = ""
    scheme: str = "https"
    headers: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def upath(self) -> str:
        """The decoded path, for routing (``%e2%84%96`` and ``№`` route alike)."""
        return unquote(self.path)

    @cached_property
    def params(self) -> dict[str, str]:
        """Query parameters, first value of each."""
        return {k: v[0] for k, v in parse_qs(self.query, keep_blank_values=True).items()}

    @property
    def path_with_query(self) -> str:
        return self.path + ("?" + self.query if self.query else "")

    def absolute_url(self) -> str:
        """The real URL this request stands for."""
        return f"{self.scheme}://{self.host}{self.path_with_query}"


@dataclass
class Response:
    """What a site answers. ``body`` may be an iterable of chunks when ``length`` is given."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    content_type: str | None = "text/html; charset=UTF-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    length: int | None = None

    def content_length(self) -> int:
        if self.length is not None:
            return self.length
        assert isinstance(self.body, bytes)
        return len(self.body)

    def body_bytes(self) -> bytes:
        """The whole body (joins chunks; avoid for huge bodies)."""
        if isinstance(self.body, bytes):
            return self.body
        return b"".join(self.body)


def text_response(text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8",
                  headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response(status, text.encode("utf-8"), content_type, list(headers))


def redirect(location: str, status: int = 301) -> Response:
    """A redirect to an absolute real-host URL, with the small HTML body nginx would send."""
    body = (f"<html>\r\n<head><title>{status} Moved</title></head>\r\n<body>\r\n"
            f"<center><h1>{status} Moved</h1></center>\r\n<hr><center>nginx</center>\r\n"
            "</body>\r\n</html>\r\n")
    return Response(status, body.encode(), "text/html", [("Location", location)])
