"""The crawl-run row of one crawl, and what a spider needs to know from the database.

One :class:`RunBook` per crawl of a source: it opens the ``crawl_runs`` row, counts pages (in
batches, so a crawl does not commit once per page), records errors by kind, answers "is this
article stored already?" from a cache filled at spider open and refreshed per listing page, and
keeps the per-source crawl state (high-water marks). All reads and writes go through
:mod:`storage.runs` and :mod:`storage.crawl_state`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from scrapy.utils.asyncio import sleep

from crawlers.markup import FALLBACK_KINDS
from storage.bounded import bounded
from storage.crawl_state import stored_among
from storage.runs import (
    DATABASE_ERRORS,
    ERROR_SAMPLES_KEPT,
    close_crawl_run,
    count_run_pages,
    record_crawl_run,
    record_run_error,
)

logger = logging.getLogger(__name__)

PAGE_FLUSH_EVERY = 25
PAGE_FLUSH_SECONDS = 10.0
CLOSE_ATTEMPTS = 6
"""Closing a run waits for an unavailable database: 0.5 + 1 + 2 + 4 + 8 s between attempts."""
STOPPING_CLOSE_ATTEMPTS = 3
"""A crawl being stopped (SIGTERM, Ctrl-C) waits 0.5 + 1 s: it must end within its grace period."""

SPOOLED = "spooled"

ERROR_KINDS = (
    "http_404",
    "gone",
    "http_4xx",
    "http_5xx",
    "timeout",
    "dns",
    "connection",
    "truncated",
    "too_large",
    "redirect",
    "offsite_redirect",
    "robots",
    "challenge",
    "soft_404",
    "no_text",
    "parse",
    "store",
    "feed_empty",
    "feed_stale",
    SPOOLED,
    *FALLBACK_KINDS,
)
"""The kinds of errors a crawl run counts (see ``CrawlRun.errors_by_kind``); the :data:`NOTE_KINDS`
are counted by kind only, not in the run's error total: they are no lost page."""
NOTE_KINDS = (SPOOLED, *FALLBACK_KINDS)
"""``spooled``: a page the database could not take when it was fetched, kept in the spool and stored
later by the same crawl (one still spooled when the crawl ends is a ``store`` error too);
``fallback_*``: known markup that matched nothing (:mod:`crawlers.markup`)."""


class RunBook:
    """Bookkeeping of one crawl of one source, written through storage."""

    def __init__(
        self,
        source_id: str,
        *,
        database_url: str | None = None,
        trigger: str = "manual",
        options: dict[str, Any] | None = None,
        dry: bool = False,
    ) -> None:
        self.source_id = source_id
        self.database_url = database_url
        self.trigger = trigger
        self.options = dict(options or {})
        self.dry = dry
        """A dry book (``newsmon sources check``) touches no database; it only counts."""
        self.samples: list[dict[str, str | None]] = []
        self.run_id: int | None = None
        self.state: dict[str, Any] = {}
        self.errors: dict[str, int] = {}
        self._known: set[str] = set()
        self._pending_pages = 0
        self._unsaved_errors: list[tuple[str, str | None, str | None]] = []
        """Errors the database could not take when they happened (written with the next flush)."""
        self._last_flush = time.monotonic()

    # --- lifecycle --------------------------------------------------------------------------

    def open(self) -> int:
        """Start the run row, load the known URLs and the crawl state; returns the run id."""
        if self.dry:
            return 0
        opened = bounded(self.database_url).call(self._record_run)
        self.run_id, self._known, self.state = opened.run_id, opened.known_urls, opened.crawl_state
        logger.info(
            "crawl run %s of %s: %d articles stored already", self.run_id, self.source_id, len(self._known)
        )
        return self.run_id

    def _record_run(self) -> Any:
        return record_crawl_run(self.database_url, self.source_id, trigger=self.trigger, options=self.options)

    def close(self, status: str, message: str | None = None) -> None:
        """Flush counters, save the crawl state and finish the run row (waiting a little for a
        database that does not answer). Blocks while it waits: outside a running crawl only."""
        for wait in self._close_attempts(status, message):
            time.sleep(wait)

    async def close_waiting(
        self, status: str, message: str | None = None, attempts: int = CLOSE_ATTEMPTS
    ) -> None:
        """:meth:`close` inside a running crawl: it waits between attempts without holding up the
        event loop, so the other sources of the crawl go on (and spool their pages) while the
        database is away. A crawl that is being stopped tries fewer times (``attempts``): it has
        a grace period to end in; a run it could not close is closed by the next crawl of the
        source (:func:`crawlers.locks.hold_sources`)."""
        for wait in self._close_attempts(status, message, attempts):
            await sleep(wait)

    def _close_attempts(
        self, status: str, message: str | None, attempts: int = CLOSE_ATTEMPTS
    ) -> Iterator[float]:
        """Try to close the run; yields how long to wait before the next attempt (0.5 s, 1, 2 …);
        the last attempt's error is raised."""
        if self.run_id is None:
            return
        for attempt in range(1, attempts + 1):
            self.flush_pages()
            try:
                bounded(self.database_url).call(self._close_run, status, message)
                return
            except DATABASE_ERRORS:
                if attempt == attempts:
                    raise
                logger.warning("could not close crawl run %s (attempt %d); retrying", self.run_id, attempt)
                wait = 0.5 * 2 ** (attempt - 1)
                if attempts >= CLOSE_ATTEMPTS:
                    # Not being stopped: outlast the refusal that follows a stuck call, or every
                    # attempt would be refused and the run left ``running``.
                    wait = max(wait, bounded(self.database_url).refused_for())
                yield wait

    def _close_run(self, status: str, message: str | None) -> None:
        assert self.run_id is not None
        close_crawl_run(
            self.database_url,
            self.run_id,
            self.source_id,
            crawl_state=self.state,
            status=status,
            message=message,
        )

    # --- counters ---------------------------------------------------------------------------

    def page(self) -> None:
        """Count one fetched page (written in batches)."""
        self._pending_pages += 1
        if (
            self._pending_pages >= PAGE_FLUSH_EVERY
            or time.monotonic() - self._last_flush > PAGE_FLUSH_SECONDS
        ):
            self.flush_pages()

    def flush_pages(self) -> None:
        if self.run_id is None:
            return
        self._flush_errors()
        if not self._pending_pages:
            return
        pages, self._pending_pages = self._pending_pages, 0
        self._last_flush = time.monotonic()
        try:
            bounded(self.database_url).call(count_run_pages, self.database_url, self.run_id, pages)
        except DATABASE_ERRORS as exc:
            self._pending_pages += pages  # try again with the next flush
            logger.warning("could not count pages of crawl run %s: %s", self.run_id, exc)

    def _flush_errors(self) -> None:
        while self._unsaved_errors:
            kind, url, detail = self._unsaved_errors[0]
            try:
                bounded(self.database_url).call(
                    partial(record_run_error, counted=kind not in NOTE_KINDS),
                    self.database_url, self.run_id, kind, url, detail,
                )
            except DATABASE_ERRORS:
                return
            self._unsaved_errors.pop(0)

    def error(self, kind: str, url: str | None = None, detail: str | None = None) -> None:
        """Record one error of ``kind`` on the run (never raises: a crawl outlives a DB hiccup)."""
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.samples) < ERROR_SAMPLES_KEPT:
            self.samples.append({"kind": kind, "url": url, "detail": detail})
        logger.warning("%s: %s %s", kind, url or "", detail or "")
        if self.run_id is None:
            return
        if self._unsaved_errors:  # keep their order: this one waits behind them
            self._unsaved_errors.append((kind, url, detail))
            return
        try:
            bounded(self.database_url).call(
                partial(record_run_error, counted=kind not in NOTE_KINDS),
                self.database_url, self.run_id, kind, url, detail,
            )
        except DATABASE_ERRORS as exc:
            self._unsaved_errors.append((kind, url, detail))  # written by the next flush
            logger.warning("could not record a %s error of crawl run %s yet: %s", kind, self.run_id, exc)

    # --- known articles ---------------------------------------------------------------------

    def is_known(self, canonical: str) -> bool:
        return canonical in self._known

    def refresh_known(self, canonicals: Iterable[str]) -> set[str]:
        """Which of ``canonicals`` are stored, asking the database about those not cached as known
        (another crawler may have stored them since the spider opened)."""
        wanted = [url for url in dict.fromkeys(canonicals)]
        unknown = [url for url in wanted if url not in self._known]
        if unknown and not self.dry:
            try:
                self._known.update(bounded(self.database_url).call(stored_among, self.database_url, unknown))
            except DATABASE_ERRORS:
                logger.warning("could not look up known URLs; using the cache")
        return {url for url in wanted if url in self._known}

    def add_known(self, canonical: str) -> None:
        self._known.add(canonical)
