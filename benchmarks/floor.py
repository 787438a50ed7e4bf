"""The floor: bare ``trafilatura.bare_extraction`` over the article pages of the mirror, fetched
once and kept in memory, in this process (one thread)."""

from __future__ import annotations

import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from mirror import MirrorServer


@dataclass(frozen=True)
class FloorResult:
    pages: int
    cpu_s: float
    wall_s: float
    mean_page_kb: float


def fetch_pages(mirror: MirrorServer, urls: list[str] | None = None) -> list[tuple[str, str]]:
    """``(url, html)`` of the mirror's articles (or of ``urls``), as the mirror serves them."""
    wanted = urls if urls is not None else [a.url for a in mirror.articles]

    def get(url: str) -> tuple[str, str]:
        parts = urlsplit(url)
        request = urllib.request.Request(
            mirror.url + (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
            headers={"X-Mirror-Host": parts.hostname or "", "X-Mirror-Scheme": "https"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return url, answer.read().decode("utf-8")

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(get, wanted))


def floor(pages: list[tuple[str, str]], rounds: int = 1) -> FloorResult:
    """CPU per page of ``bare_extraction(html)`` with trafilatura's defaults (the best of
    ``rounds`` passes: the machine is shared)."""
    import trafilatura

    trafilatura.bare_extraction(pages[0][1])  # imports and caches outside the measurement
    best_cpu = best_wall = float("inf")
    for _ in range(rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        for _, html in pages:
            trafilatura.bare_extraction(html)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return FloorResult(
        pages=len(pages),
        cpu_s=best_cpu,
        wall_s=best_wall,
        mean_page_kb=sum(len(html.encode("utf-8")) for _, html in pages) / len(pages) / 1024,
    )
