"""Job directories that a crawl can safely resume from.

Scrapy keeps a crawl's request queue and seen-request fingerprints in ``JOBDIR`` and writes their
bookkeeping when the crawl closes. A crawl stopped by Ctrl-C or SIGTERM closes properly and the
next one resumes its queue. A crawl that was *killed* (SIGKILL, out of memory, power loss) leaves
queue files half-written: resuming them loses requests or fails, and the seen-fingerprints file
would filter out the very listing pages that lead to what is missing.

So a crawl marks its job directory as in use (:func:`claim`, a small JSON file with its process id)
and removes the mark when it ends, cleanly or interrupted (:func:`release`). A mark whose process
is gone means the previous crawl died: the directory is discarded and the crawl starts afresh,
which loses nothing, because what the dead crawl stored is known (never fetched again) and the
channels' high-water marks only advance when a crawl closes. The dead crawl's runs, still
``running``, are closed as ``failed``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy.dupefilters import RFPDupeFilter

from core.errors import UserError
from storage.runs import DATABASE_ERRORS, fail_orphan_runs

logger = logging.getLogger(__name__)

MARKER = "newsmon-crawl.json"


class JobDirectoryInUse(UserError):
    """Another live process has the job directory: this crawl must not use it."""


def _start_ticks(pid: int) -> str | None:
    """When process ``pid`` started (Linux ``/proc``), to tell it from a later one with its id."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]


def _alive(pid: int, ticks: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return ticks is None or _start_ticks(pid) in (None, ticks)


def claim(jobdir: Path, source_id: str, database_url: str | None = None) -> bool:
    """Make ``jobdir`` safe to resume from and mark it as this process's. Returns whether a dead
    crawl's directory was discarded; raises :class:`JobDirectoryInUse` when a live process has
    it (two crawls on one queue lose requests and corrupt its files)."""
    marker = jobdir / MARKER
    discarded = False
    if marker.exists():
        try:
            info = json.loads(marker.read_text("utf-8"))
        except (OSError, ValueError):
            info = {}
        pid = int(info.get("pid") or 0)
        if pid and pid != os.getpid() and _alive(pid, info.get("ticks")):
            raise JobDirectoryInUse(f"{source_id}: the job directory {jobdir} is in use by process {pid}")
        logger.warning(
            "%s: the previous crawl (process %s) did not stop cleanly; its job directory is discarded "
            "and this crawl starts afresh (what it stored is kept)",
            source_id,
            pid or "?",
        )
        shutil.rmtree(jobdir, ignore_errors=True)
        discarded = True
        _fail_orphan_runs(source_id, info.get("started_at"), database_url)
    jobdir.mkdir(parents=True, exist_ok=True)
    marker.write_text(
        json.dumps(
            {
                "pid": os.getpid(),
                "ticks": _start_ticks(os.getpid()),
                "started_at": datetime.now(UTC).isoformat(),
            }
        ),
        "utf-8",
    )
    return discarded


def release(jobdir: Path) -> None:
    """The crawl has ended (finished or stopped cleanly): its job directory may be resumed."""
    (jobdir / MARKER).unlink(missing_ok=True)


def _fail_orphan_runs(source_id: str, started_at: str | None, database_url: str | None) -> None:
    """Close the runs the dead crawl left ``running`` (those started since it did, give or take a
    minute of clock skew; all of them when its marker does not say when it started)."""
    since = datetime.fromisoformat(started_at) - timedelta(minutes=1) if started_at else None
    try:
        fail_orphan_runs(
            database_url,
            source_id,
            started_since=since,
            message="the crawl process ended without closing its run (killed?); "
            "the next crawl started afresh",
        )
    except DATABASE_ERRORS:
        logger.exception("could not close the runs of the crawl of %s that died", source_id)


class CrawlDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate-request filter, kept for one crawl only, never in the job directory.

    Only listing and feed requests go through it (articles are deduplicated by canonical URL).
    Persisted, it made a resumed crawl fetch nothing: a crawl stopped by SIGTERM loses the requests
    it had in flight (they are out of the queue) and the listing pages its chains would have asked
    for next, yet their fingerprints stay seen, so the next crawl filtered out its own start pages
    (a feed, a channel's first listing page) and everything behind them. Now a resumed crawl takes
    the queue it was left and reads its channels again; what the stopped crawl stored is known and
    not fetched again."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlDupeFilter:
        debug = crawler.settings.getbool("DUPEFILTER_DEBUG")
        return cls(None, debug, fingerprinter=crawler.request_fingerprinter)
