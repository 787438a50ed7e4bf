"""One crawl per source at a time, across processes and machines.

``newsmon crawl`` takes the lock ``crawl:<source>`` of each source it crawls
(:mod:`storage.locks`: a PostgreSQL advisory lock, or a lock file beside a SQLite database) before
it touches the source's job directory, and keeps it until the job directory is cleaned up. A
second crawl of a locked source stops at once, naming the holder (a :class:`CrawlLocked`, exit 2),
and crawls nothing. Holding the lock also means that a run of the source still ``running`` in the
database belongs to no live crawl: its crawl ended without closing it (killed, or stopped while
the database did not answer), so it is closed as ``failed`` here.

Distributed crawls (``--distributed``, ``newsmon worker``) share their sources on purpose
(:mod:`crawlers.distributed`) and ``sources check`` stores nothing: they take no lock.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from core.errors import UserError
from storage.locks import HeldLock, LockHeld, describe_holder, try_lock
from storage.runs import DATABASE_ERRORS, fail_orphan_runs

logger = logging.getLogger(__name__)


class CrawlLocked(UserError):
    """Another crawl of the source is running."""


def crawl_lock_name(source_id: str) -> str:
    return f"crawl:{source_id}"


def hold_sources(sources: Sequence[str], database_url: str | None) -> list[HeldLock]:
    """The crawl locks of ``sources``; raises :class:`CrawlLocked` naming the holder, having
    taken none, when one is held."""
    held: list[HeldLock] = []
    try:
        for source_id in sources:
            try:
                held.append(
                    try_lock(
                        crawl_lock_name(source_id),
                        describe_holder(f"newsmon crawl {source_id}"),
                        database_url,
                    )
                )
            except LockHeld as exc:
                raise CrawlLocked(
                    f"{source_id}: another crawl of this source is running: {exc.holder}"
                ) from None
    except BaseException:
        for lock in held:
            lock.release()
        raise
    for source_id in sources:
        close_orphan_runs(source_id, database_url)
    return held


def close_orphan_runs(source_id: str, database_url: str | None) -> None:
    """Close the runs of ``source_id`` left ``running``: under its lock no other crawl has one."""
    try:
        fail_orphan_runs(
            database_url,
            source_id,
            started_since=None,
            message="the crawl ended without closing its run "
            "(killed, or the database did not answer or take writes)",
        )
    except DATABASE_ERRORS as exc:
        logger.warning("could not close the runs %s left running: %s", source_id, exc)
