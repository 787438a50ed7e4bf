"""Scrapy alone: the article pages fetched by a bare Scrapy spider, nothing else done with them.

    python -m benchmarks.scrapy_fetch --mirror http://127.0.0.1:PORT --urls urls.txt

The lower bound for any crawler built on Scrapy, as newsmon is: the same pages the floor extracts,
requested straight from the mirror (the real host in ``X-Mirror-Host``, as the peer does), with
Scrapy's default settings except those newsmon also changes for the mirror (no robots.txt, no
delay, 16 requests at once, the asyncio reactor). No feed, listing, parsing, storing or job state:
each response's body is only measured. Prints one JSON line: pages fetched, bytes, and the CPU
the crawl itself took (from the spider opening to its closing, start-up left out); the caller
measures the whole process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks.measure import Usage, child_env, run_measured

SETTINGS: dict[str, Any] = {
    "ROBOTSTXT_OBEY": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "LOG_INSTALL_ROOT_HANDLER": False,
}


def mirror_url(real_url: str, mirror: str) -> tuple[str, str]:
    """(URL on the mirror, real host) for one real article URL."""
    real, base = urlsplit(real_url), urlsplit(mirror)
    return urlunsplit((base.scheme, base.netloc, real.path or "/", real.query, "")), real.hostname or ""


def fetch(urls: list[str], mirror: str) -> dict[str, Any]:
    """Fetch ``urls`` from ``mirror`` with Scrapy; what was fetched and the crawl's own CPU."""
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    totals: dict[str, Any] = {"pages": 0, "bytes": 0, "statuses": {}}
    cpu: dict[str, float] = {}

    class FetchOnly(scrapy.Spider):
        name = "fetch_only"

        async def start(self) -> AsyncIterator[scrapy.Request]:
            for url in urls:
                inner, host = mirror_url(url, mirror)
                yield scrapy.Request(
                    inner,
                    headers={"X-Mirror-Host": host, "X-Mirror-Scheme": "https"},
                    callback=self.parse,
                    dont_filter=True,
                )

        def parse(self, response: Any) -> None:
            totals["pages"] += 1
            totals["bytes"] += len(response.body)
            totals["statuses"][str(response.status)] = totals["statuses"].get(str(response.status), 0) + 1

    def opened(spider: Any) -> None:
        cpu["opened"] = time.process_time()

    def closed(spider: Any) -> None:
        cpu["closed"] = time.process_time()

    process = CrawlerProcess(settings=SETTINGS)
    crawler = process.create_crawler(FetchOnly)
    crawler.signals.connect(opened, signal=signals.spider_opened)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler)
    process.start()
    totals["crawl_cpu_s"] = cpu.get("closed", 0.0) - cpu.get("opened", 0.0)
    return totals


@dataclass(frozen=True)
class ScrapyFetchResult:
    usage: Usage
    """The whole process, start-up included."""
    pages: int
    crawl_cpu_s: float
    """CPU from the spider opening to its closing: fetching only, start-up left out."""


def measure(mirror_url_: str, urls: list[str], directory: Path) -> ScrapyFetchResult:
    """Run this module as a measured child process on ``urls``."""
    directory.mkdir(parents=True, exist_ok=True)
    listing = directory / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    usage = run_measured(
        [sys.executable, "-m", "benchmarks.scrapy_fetch", "--mirror", mirror_url_, "--urls", str(listing)],
        env=child_env(),
        cwd=directory,
    )
    if usage.returncode != 0:
        raise RuntimeError(f"Scrapy alone failed ({usage.returncode}):\n{usage.stderr[-4000:]}")
    summary = json.loads(usage.stdout.strip().splitlines()[-1])
    return ScrapyFetchResult(
        usage=usage, pages=int(summary["pages"]), crawl_cpu_s=float(summary["crawl_cpu_s"])
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scrapy_fetch", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--mirror", required=True)
    parser.add_argument("--urls", type=Path, required=True, help="a file with one real URL per line")
    args = parser.parse_args(argv)
    urls = [line.strip() for line in args.urls.read_text("utf-8").splitlines() if line.strip()]
    print(json.dumps(fetch(urls, args.mirror.rstrip("/"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
