"""Canonical URLs: the one place that decides when two URLs name the same page.

Sites publish URLs in several spellings: an IDN host in Unicode or punycode (``мвд.рф`` =
``xn--b1aew.xn--p1ai``), with or without ``www.``, a trailing slash, a default port, upper-case
percent escapes or raw Unicode in the path, tracking parameters. Storage keys articles by
:func:`canonical_url`; the URL as published is kept beside it.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "yclid", "ysclid", "msclkid", "igshid", "mc_cid", "mc_eid",
        "_openstat", "rb_clickid", "_ga", "_gl", "utm_referrer", "amp", "spref",
    }
)
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are in a canonical path segment (RFC 3986 unreserved + sub-delims + ':@').
_PATH_SAFE = "-._~!$&'()*+,;=:@"
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


class InvalidURL(ValueError):
    """The string is not an absolute http(s) URL."""


_WEB_URL = re.compile(r"^https?://[^\s\x00-\x1f\x7f<>\"'`\\]+$", re.IGNORECASE)


def is_web_url(url: object) -> bool:
    """An absolute http(s) URL with nothing a document could read as markup: the only kind of URL
    that may become a link in the review UI or in any release format (``javascript:``, ``data:``
    and the like never do)."""
    return isinstance(url, str) and bool(_WEB_URL.match(url.strip()))


def ascii_host(host: str) -> str:
    """The host in lower-case ASCII (punycode for IDN labels): ``МВД.РФ`` -> ``xn--b1aew.xn--p1ai``."""
    host = host.strip().rstrip(".").lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidURL(f"host {host!r} is not a valid internationalised domain name") from exc


def unicode_host(host: str) -> str:
    """The host as people read it: ``xn--b1aew.xn--p1ai`` -> ``мвд.рф``."""
    host = ascii_host(host)
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


def canonical_url(url: str) -> str:
    """The comparison key of a URL.

    https and http are one scheme here (sites move between them), ``www.`` is dropped, the
    host is lower-case punycode, default ports, fragments, a trailing slash, empty queries
    and tracking parameters are removed, the remaining query is sorted, the path's percent
    escapes are normalised (upper-case hex, unreserved characters decoded, Unicode encoded)
    and dot segments are resolved.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise InvalidURL(f"not an absolute http(s) URL: {url!r}")
    host = ascii_host(parts.hostname).removeprefix("www.")
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"bad port in {url!r}") from exc
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit(("https", netloc, _canonical_path(parts.path), _canonical_query(parts.query), ""))


def same_url(first: str, second: str) -> bool:
    """Whether two URLs name the same page."""
    return canonical_url(first) == canonical_url(second)


def url_host(url: str) -> str:
    """The lower-case ASCII host of a URL, ``www.`` kept (for routing and politeness)."""
    hostname = urlsplit(url.strip()).hostname
    if not hostname:
        raise InvalidURL(f"URL has no host: {url!r}")
    return ascii_host(hostname)


def _canonical_path(path: str) -> str:
    if not path:
        return "/"
    path = re.sub(r"/{2,}", "/", path)
    resolved = posixpath.normpath(path)
    segments = [_canonical_segment(segment) for segment in resolved.split("/")]
    canonical = "/".join(segments) or "/"
    if not canonical.startswith("/"):
        canonical = "/" + canonical
    if len(canonical) > 1:
        canonical = canonical.rstrip("/") or "/"
    return canonical


def _canonical_segment(segment: str) -> str:
    # Decoding then re-encoding makes %e2%84%96, %E2%84%96 and a literal "№" one spelling;
    # an encoded "/" (%2F) stays encoded because "/" is not in the safe set.
    return quote(unquote(segment, errors="surrogateescape"), safe=_PATH_SAFE, errors="surrogateescape")


def _canonical_query(query: str) -> str:
    if not query:
        return ""
    pairs = [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlencode(sorted(pairs), quote_via=quote)
