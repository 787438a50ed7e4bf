"""Fault modes the mirror can inject, keyed by a path regex.

A key is matched with ``re.search`` against the request's path and query as sent
(``/ru/feed/?paged=2``); a key starting with ``//`` is matched against ``//host`` + path, so
``//22\\.xn--b1aew\\.xn--p1ai/news/rss`` targets one host. The first matching key wins (mapping
order).

Values (``name`` or ``name:params``):

=====================  =========================================================================
``500``                500 every time (``500:n=2``: only the first 2 matching requests)
``503-burst:N``        the first N matching requests get 503, later ones pass
``429:retry_after=S``  429 with ``Retry-After: S`` (``429:retry_after=S,n=K``: first K only)
``404``                the site's 404 page
``slow:S``             sleeps S seconds, then answers normally
``reset``              closes the connection without an answer (TCP RST)
``truncated``          sends half the body with the full Content-Length, then closes
``cp1251-as-utf8``     declares UTF-8, sends windows-1251 bytes
``utf8-as-cp1251``     declares windows-1251 (header and markup), sends UTF-8 bytes
``empty``              200 with an empty body
``huge:MB``            200 HTML page of MB megabytes (may be fractional)
``redirect-loop``      302 to the very same URL, forever
``garbage``            200 ``text/html`` of random bytes (deterministic per path)
``robots-forbid``      robots.txt of the host disallows the pattern; the page itself still answers
``challenge``          200 bot-challenge page ("Checking your browser…") with JavaScript
``410``                410 Gone
``empty-feed``         200 valid RSS 2.0 with a channel and no item
``koi8r-as-cp1251``    declares windows-1251 (header and markup), sends KOI8-R bytes
``cut-off``            sends 60 % of the body with no Content-Length, then closes
``offsite-redirect``   302 to the same path on ``offsite.invalid`` (a host of no source)
``entity-bomb``        200 feed whose internal entities expand to gigabytes ("billion laughs")
``stale-feed``         the site's valid feed with only its 2 oldest items (``stale-feed:keep=K``)
=====================  =========================================================================
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

KINDS = ("500", "503-burst", "429", "404", "slow", "reset", "truncated", "cp1251-as-utf8",
         "utf8-as-cp1251", "empty", "huge", "redirect-loop", "garbage", "robots-forbid", "challenge",
         "410", "empty-feed", "koi8r-as-cp1251", "cut-off", "offsite-redirect", "entity-bomb",
         "stale-feed")


@dataclass(frozen=True)
class Fault:
    kind: str
    params: Mapping[str, float] = field(default_factory=dict)
    spec: str = ""

    @property
    def limit(self) -> int | None:
        """How many matching requests the fault applies to (None: all)."""
        n = self.params.get("n")
        return int(n) if n is not None else None

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """Parse ``503-burst:3``, ``429:retry_after=2,n=1``, ``slow:5``, ``huge:2.5``, …"""
        name, _, arg = spec.strip().partition(":")
        if name not in KINDS:
            raise ValueError(f"unknown fault {spec!r}; known: {', '.join(KINDS)}")
        params: dict[str, float] = {}
        positional = {"503-burst": "n", "slow": "seconds", "huge": "mb"}
        for part in filter(None, (p.strip() for p in arg.split(","))):
            key, eq, value = part.partition("=")
            if not eq:
                if name not in positional:
                    raise ValueError(f"fault {spec!r}: unexpected argument {part!r}")
                key, value = positional[name], part
            try:
                params[key.strip()] = float(value)
            except ValueError:
                raise ValueError(f"fault {spec!r}: {value!r} is not a number") from None
        needed = {"503-burst": "n", "slow": "seconds", "huge": "mb"}.get(name)
        if needed and needed not in params:
            raise ValueError(f"fault {spec!r} needs an argument, e.g. {name}:3")
        if name == "429":
            params.setdefault("retry_after", 1)
        return cls(name, params, spec)


class FaultTable:
    """Thread-safe pattern -> fault mapping with per-pattern hit counters."""

    def __init__(self, faults: Mapping[str, str] | None = None) -> None:
        self._lock = threading.Lock()
        self._rules: list[tuple[str, re.Pattern[str], bool, Fault]] = []
        self._hits: dict[str, int] = {}
        self.set(faults or {})

    def set(self, faults: Mapping[str, str]) -> None:
        """Replace every rule (and reset the counters)."""
        rules = []
        for key, spec in faults.items():
            with_host = key.startswith("//")
            rules.append((key, re.compile(key), with_host, Fault.parse(spec)))
        with self._lock:
            self._rules = rules
            self._hits = {}

    def as_dict(self) -> dict[str, str]:
        with self._lock:
            return {key: fault.spec for key, _, _, fault in self._rules}

    def match(self, host: str, path_with_query: str) -> Fault | None:
        """The fault for this request, counting the hit (None when no rule applies now)."""
        with self._lock:
            for key, pattern, with_host, fault in self._rules:
                if fault.kind == "robots-forbid":
                    continue
                target = f"//{host}{path_with_query}" if with_host else path_with_query
                if pattern.search(target):
                    hits = self._hits.get(key, 0) + 1
                    self._hits[key] = hits
                    if fault.limit is not None and hits > fault.limit:
                        return None
                    return fault
        return None

    def robots_disallows(self, host: str) -> list[str]:
        """robots.txt path patterns for the ``robots-forbid`` rules that concern ``host``."""
        with self._lock:
            rules = [(key, with_host) for key, _, with_host, f in self._rules if f.kind == "robots-forbid"]
        out = []
        for key, with_host in rules:
            if with_host:
                m = re.match(r"//([^/]+)(/.*)?$", key)
                if not m or re.sub(r"\\(.)", r"\1", m.group(1)) != host:
                    continue
                out.append(robots_path("^" + (m.group(2) or "/")))
            else:
                out.append(robots_path(key))
        return out


def robots_path(pattern: str) -> str:
    """A robots.txt path for a simple regex: ``^/ru/x`` -> ``/ru/x``, ``news/rss$`` -> ``/*news/rss$``."""
    anchored = pattern.startswith("^")
    body = pattern[1:] if anchored else pattern
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(body[i + 1])
            i += 2
            continue
        if body.startswith(".*", i):
            out.append("*")
            i += 2
            continue
        if ch == "$" and i == len(body) - 1:
            out.append("$")
        elif ch == ".":
            out.append("*")
        elif ch in "[](){}+?|^$":
            raise ValueError(f"robots-forbid needs a simple path pattern, got {pattern!r}")
        else:
            out.append(ch)
        i += 1
    path = "".join(out)
    if not anchored:
        path = "*" + path
    if not path.startswith("/"):
        path = "/" + path
    return path
