"""The peer: trafilatura's own feed discovery, downloader and extractor on the same mirror.

    python -m benchmarks.peer --mirror http://127.0.0.1:PORT --feed https://polisia.kz/ru/feed/ \\
        [--feed …] [--threads 16] --output results.jsonl

As ``trafilatura --feed URL --with-metadata --json`` does: :func:`trafilatura.feeds.find_feed_urls`
lists each feed's links, :func:`trafilatura.fetch_url` downloads them in a pool of threads and
:func:`trafilatura.extract` turns each page into a JSON document (text, title, date, author …),
one line per article in ``--output``. Feeds are paged (``?paged=N``) until a page brings no new
link, since a feed page lists only ten items; the command line reads only the first page.

Routing: trafilatura fetches the real URLs (``https://polisia.kz/…``); its download pool is
replaced by one that sends each request to the mirror with ``X-Mirror-Host``, as newsmon's
mirror middleware does (no delay between requests, as newsmon's politeness is off for the mirror).
trafilatura's protection against requests to private addresses is turned off for this: the mirror
is on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import urllib3


class MirrorPool(urllib3.PoolManager):
    """A urllib3 pool that downloads ``https://<real host>/<path>`` from the mirror."""

    def __init__(self, mirror: str, **kwargs: Any) -> None:
        super().__init__(num_pools=10, maxsize=32, **kwargs)
        self.mirror = urlsplit(mirror)

    def urlopen(self, method: str, url: str, redirect: bool = True, **kwargs: Any) -> Any:  # type: ignore[override]
        real = urlsplit(url)
        if real.netloc == self.mirror.netloc:
            return super().urlopen(method, url, redirect=redirect, **kwargs)
        headers = dict(kwargs.pop("headers", None) or {})
        headers["X-Mirror-Host"] = real.hostname or ""
        headers["X-Mirror-Scheme"] = real.scheme or "https"
        inner = urlunsplit((self.mirror.scheme, self.mirror.netloc, real.path or "/", real.query, ""))
        response = super().urlopen(method, inner, redirect=False, headers=headers, **kwargs)
        location = response.get_redirect_location() if redirect else None
        if location:  # the mirror's redirects name real URLs: follow them through the mirror
            response.drain_conn()
            return self.urlopen(method, location, redirect=redirect, **kwargs)
        return response


def feed_links(feed: str, config: Any) -> list[str]:
    """Every link trafilatura finds in ``feed`` and its next pages."""
    from trafilatura.feeds import find_feed_urls

    found: dict[str, None] = {}
    page = 1
    while True:
        url = feed if page == 1 else f"{feed}{'&' if '?' in feed else '?'}paged={page}"
        links = find_feed_urls(url, sleep_time=0, config=config)
        new = [link for link in links if link not in found]
        if not new:
            return list(found)
        found.update(dict.fromkeys(new))
        page += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.peer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirror", required=True)
    parser.add_argument("--feed", action="append", required=True)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)

    import trafilatura
    from trafilatura import downloads
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "SSRF_PROTECTION", "off")
    config.set("DEFAULT", "SLEEP_TIME", "0")
    downloads.HTTP_POOL = MirrorPool(args.mirror)  # type: ignore[assignment]  # a module global typed None

    links: dict[str, None] = {}
    for feed in args.feed:
        links.update(dict.fromkeys(feed_links(feed, config)))
    extracted = failed = 0
    with open(args.output, "w", encoding="utf-8") as output, ThreadPoolExecutor(args.threads) as pool:
        futures = {pool.submit(trafilatura.fetch_url, url, config=config): url for url in links}
        for future in as_completed(futures):  # extraction in this thread, downloads in the pool
            url = futures[future]
            html = future.result()
            document = (
                trafilatura.extract(html, url=url, with_metadata=True, output_format="json", config=config)
                if html
                else None
            )
            if document is None:
                failed += 1
                continue
            extracted += 1
            output.write(
                json.dumps({"url": url, "document": json.loads(document)}, ensure_ascii=False) + "\n"
            )
    print(json.dumps({"links": len(links), "extracted": extracted, "failed": failed}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
