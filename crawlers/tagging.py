"""Tagging in worker processes, so a crawl uses more than one core.

Scrapy, the spiders and the storage write run on the crawl's event loop in one thread; the
tagging stages (extraction, language, country, relevance, clustering keys) are the other half of
an article's CPU. :class:`TaggingPool` runs the tagger in worker processes while the loop goes on
fetching and storing, so on two cores both halves run at once.

``NEWSMON_TAG_PROCESSES`` (setting or environment variable) says how many worker processes:
``0`` tags in the crawl process itself; ``auto`` (the default) is one less than the cores this
process may use, at most :data:`MAX_AUTO_PROCESSES` (so ``0`` on one core, and off Linux).

The workers are forked when the first spider opens, before the crawl has started any thread, and
inherit the modules already imported; one pool serves every spider of the process. Pages go to
a worker and the tagged article comes back without the page (which the crawl process already
has). A worker that dies (killed, out of memory on a huge page) breaks the pool: that page and
the rest of the crawl are tagged in the crawl process, and nothing is lost. A worker whose crawl
process was killed ends itself within :data:`PARENT_CHECK_S`.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Any

from scrapy.utils.misc import load_object

from core.types import PageInput, TaggedArticle

logger = logging.getLogger(__name__)

MAX_AUTO_PROCESSES = 4
PARENT_CHECK_S = 1.0
"""How often a worker checks that the crawl process still runs."""
DEFAULT_TAGGER = "pipeline.runner.tag_page"
DEFAULT_WARM_UP = "pipeline.runner.warm_up_worker"

Tagger = Callable[..., TaggedArticle]


def can_fork() -> bool:
    """Workers are forked: Linux (macOS has fork, but forking a process that has loaded system
    frameworks is unsafe there; Windows has none)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def tag_processes(value: object) -> int:
    """The number of worker processes a ``NEWSMON_TAG_PROCESSES`` value asks for."""
    text = str(value if value not in (None, "") else "auto").strip().lower()
    if text == "auto":
        if not can_fork():
            return 0
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return max(0, min(cores - 1, MAX_AUTO_PROCESSES))
    try:
        count = int(text)
    except ValueError:
        raise ValueError(f"NEWSMON_TAG_PROCESSES must be 'auto' or a number, not {value!r}") from None
    if count < 0:
        raise ValueError(f"NEWSMON_TAG_PROCESSES must not be negative, not {count}")
    if count and not can_fork():
        raise ValueError(
            f"NEWSMON_TAG_PROCESSES must be 0 on {sys.platform}: tagging workers are forked (Linux)"
        )
    return count


# --- in the worker process ---------------------------------------------------------------------

_worker_tagger: Tagger | None = None


def _start_worker(tagger_path: str, crawl_pid: int) -> None:
    """Worker initializer: Ctrl-C is the crawl process's to handle; SIGTERM ends the worker (the
    crawl's own handler, inherited through the fork, would do nothing here: the pool breaks and
    the crawl tags on by itself); and the worker ends when the crawl process is gone (a killed
    crawl would otherwise leave it waiting for work forever)."""
    global _worker_tagger
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_without, args=(crawl_pid,), name="crawl-watch", daemon=True).start()
    _worker_tagger = load_object(tagger_path)


def _exit_without(crawl_pid: int) -> None:
    while os.getppid() == crawl_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


def _tag_in_worker(page: PageInput, source: Any) -> TaggedArticle:
    assert _worker_tagger is not None
    tagged = _worker_tagger(page, source)
    return replace(tagged, page=_WITHOUT_PAGE)  # the crawl process has the page already


_WITHOUT_PAGE = PageInput(url="about:blank")


def _ready() -> int:
    return os.getpid()


def _warm_up(path: str) -> None:
    load_object(path)()


def _log_failure(future: Any) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.warning("warming up a tagging worker failed: %s", future.exception())


# --- in the crawl process ----------------------------------------------------------------------


class TaggingPool:
    """Worker processes running one tagger; :meth:`tag` awaits a tagged article."""

    def __init__(self, tagger_path: str, processes: int, warm_up_path: str | None = None) -> None:
        """``warm_up_path``: a function each worker runs before its first page (loading models),
        while the crawl process goes on."""
        self.tagger_path = tagger_path
        self.processes = processes
        self.warm_up_path = warm_up_path
        self.local: Tagger = load_object(tagger_path)
        self._executor: ProcessPoolExecutor | None = None
        self.broken = False
        if processes > 0:
            self._start(processes)

    def _start(self, processes: int) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(self.tagger_path, os.getpid()),
        )
        try:
            # Fork the workers now (a fork pool starts them all at the first task), while the
            # crawl has no other thread yet.
            self._executor.submit(_ready).result()
        except (OSError, BrokenProcessPool) as exc:  # no memory or processes left to fork
            logger.warning("tagging worker processes could not start (%s); tagging in the crawl process", exc)
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
            return
        if self.warm_up_path:  # not waited for: the crawl starts fetching meanwhile
            for _ in range(processes):
                self._executor.submit(_warm_up, self.warm_up_path).add_done_callback(_log_failure)

    @property
    def in_workers(self) -> bool:
        return self._executor is not None and not self.broken

    async def tag(self, page: PageInput, source: Any) -> TaggedArticle:
        """The tagged article; tagging errors are raised as the tagger raised them."""
        if not self.in_workers:
            return self.local(page, source)
        assert self._executor is not None
        try:
            future = self._executor.submit(_tag_in_worker, page, source)
            tagged = await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            if not self.broken:
                self.broken = True
                logger.warning(
                    "a tagging worker process died (%s); tagging goes on in the crawl process", exc
                )
            return self.local(page, source)
        return replace(tagged, page=page)

    def close(self) -> None:
        """Stop the workers (waiting for them, so their CPU time is accounted to this process)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


_shared: dict[tuple[str, int], tuple[TaggingPool, int]] = {}


def acquire(tagger_path: str | None, processes: int, warm_up_path: str | None = None) -> TaggingPool:
    """The process's pool for this tagger and size (created on first use), counted as in use.
    ``warm_up_path``: see :class:`TaggingPool`; by default the runner's for the default tagger."""
    key = (tagger_path or DEFAULT_TAGGER, processes)
    if warm_up_path is None and tagger_path is None:
        warm_up_path = DEFAULT_WARM_UP
    pool, users = _shared.get(key) or (TaggingPool(key[0], processes, warm_up_path), 0)
    _shared[key] = (pool, users + 1)
    return pool


def release(pool: TaggingPool) -> None:
    """One user less; the last one closes the pool."""
    key = (pool.tagger_path, pool.processes)
    held = _shared.get(key)
    if held is None or held[0] is not pool:
        pool.close()
        return
    users = held[1] - 1
    if users > 0:
        _shared[key] = (pool, users)
        return
    del _shared[key]
    pool.close()
