"""The worker processes of ``newsmon retag``: the pure tagging of stored pages, nothing else.

The retag's parent process reads stored pages and writes tags (storage, the only floor that
talks SQL); the workers only turn a :class:`~storage.retag.StoredPage` into a
:class:`~core.types.TaggedArticle`. They are forked (Linux) before the parent opens a database
session or starts a thread, so they inherit the imported modules and share the parent's memory
pages until they write (the tagger's lexicons and models are loaded once, before the fork).
One worker means no pool: the parent tags by itself, the serial retag that the parallel one
must equal.

A worker that dies (killed, out of memory on a huge page) breaks the pool; the parent then tags
the rest itself. Workers ignore Ctrl-C (the parent stops them) and end when the parent is gone.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from core.types import PageInput, TaggedArticle
from newsmon.logs import log_event
from storage.retag import StoredPage

log = logging.getLogger(__name__)

Tagger = Callable[[PageInput], TaggedArticle]

PARENT_CHECK_S = 1.0
"""How often a worker checks that the retag process still runs."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A page the tagger raised on: its message, and the traceback for the log."""

    error: str
    detail: str


Outcome = TaggedArticle | Failure


def default_workers() -> int:
    """One worker per core this process may use; 1 (no pool) where workers cannot be forked."""
    if not can_fork():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def can_fork() -> bool:
    """Workers are forked: Linux only (forking a macOS process with system frameworks loaded is
    unsafe, Windows has no fork)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def tag_pages(tagger: Tagger, pages: Sequence[StoredPage]) -> list[Outcome]:
    """Tag each page; one that fails becomes a :class:`Failure`, the others go on."""
    outcomes: list[Outcome] = []
    for stored in pages:
        try:
            outcomes.append(tagger(stored.page()))
        except Exception as exc:  # one bad page must not stop a retag of thousands
            outcomes.append(Failure(error=str(exc) or repr(exc), detail=traceback.format_exc()))
    return outcomes


# --- in a worker process -------------------------------------------------------------------------

_worker_tagger: Tagger | None = None
"""Set in the parent before the fork: the workers inherit it (a closure needs no pickling)."""


def _start_worker(parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_without, args=(parent_pid,), name="retag-parent", daemon=True).start()


def _exit_without(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


def _tag_in_worker(pages: Sequence[StoredPage]) -> list[Outcome]:
    assert _worker_tagger is not None
    return [_without_html(outcome) for outcome in tag_pages(_worker_tagger, pages)]


def _without_html(outcome: Outcome) -> Outcome:
    """The tagged article without its page's HTML, which the retag does not write back (the
    stored page is what it was rebuilt from): a tenth of the bytes to send back."""
    if isinstance(outcome, TaggedArticle):
        return replace(outcome, page=replace(outcome.page, html=None))
    return outcome


def _ready() -> int:
    return os.getpid()


# --- in the retag process ------------------------------------------------------------------------


class TaggingWorkers:
    """``workers`` processes tagging chunks of stored pages (the parent itself when 1).

    Use as a context manager; start it before opening database sessions or a progress bar, so
    the fork copies no connection and no running thread.
    """

    def __init__(self, workers: int, tagger: Tagger, *, warm: bool = True) -> None:
        self.tagger = tagger
        self.workers = max(1, workers)
        self._warm = warm
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> TaggingWorkers:
        if self.workers > 1 and can_fork():
            global _worker_tagger
            _worker_tagger = self.tagger
            if self._warm:
                # Loaded once, here, and shared with the workers by the fork (copy on write).
                from pipeline.runner import warm_up

                warm_up()
            # What is loaded now is never garbage: kept out of the collector's scans, so that
            # a worker's collections neither spend time on it nor copy its pages.
            gc.freeze()
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
            try:
                # Forks every worker now (a fork pool starts them all at its first task).
                self._executor.submit(_ready)
            except (OSError, BrokenProcessPool) as exc:  # no memory or processes left to fork
                self._fall_back(f"could not start: {exc}")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    @property
    def in_processes(self) -> bool:
        return self._executor is not None

    def submit(self, pages: Sequence[StoredPage]) -> Future[list[Outcome]]:
        """Start tagging ``pages`` (in the parent, at once, without a pool)."""
        if self._executor is not None:
            try:
                return self._executor.submit(_tag_in_worker, list(pages))
            except BrokenProcessPool:
                self._fall_back("a worker died")
        done: Future[list[Outcome]] = Future()
        done.set_result(tag_pages(self.tagger, pages))
        return done

    def result(self, future: Future[list[Outcome]], pages: Sequence[StoredPage]) -> list[Outcome]:
        """The outcomes of a submitted chunk; tagged again in the parent if its worker died."""
        try:
            return future.result()
        except BrokenProcessPool:
            self._fall_back("a worker died")
            return tag_pages(self.tagger, pages)

    def _fall_back(self, reason: str) -> None:
        log_event(log, "retag.workers_lost", logging.WARNING, reason=reason, workers=self.workers)
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
