"""Progress of long CLI work: a rich progress bar on a terminal, plain lines otherwise.

Usage, for anything that walks many items (crawls started by hand, backfills, ``retag``)::

    with progress("retag", total=len(ids)) as bar:
        for article_id in ids:
            ...
            bar.advance()

or ``for item in track(items, "backfill"): ...``. Output goes to stderr, so stdout stays
clean for results. When stderr is not a terminal (cron, CI, a log file) the helper prints a
line at the start, at most every ``interval_s`` seconds or every 10 %, and at the end.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TextIO, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

T = TypeVar("T")

PLAIN_INTERVAL_S = 5.0


class ProgressReporter(Protocol):
    """What :func:`progress` yields."""

    def advance(self, steps: int = 1) -> None:
        """Count ``steps`` more items done."""

    def set_total(self, total: int | None) -> None:
        """Set or change the number of items expected."""

    def note(self, text: str) -> None:
        """Show a short status (the current source, the last error…) beside the count."""


class _RichReporter:
    def __init__(self, bar: Progress, task: Any) -> None:
        self._bar = bar
        self._task = task

    def advance(self, steps: int = 1) -> None:
        self._bar.advance(self._task, steps)

    def set_total(self, total: int | None) -> None:
        self._bar.update(self._task, total=total)

    def note(self, text: str) -> None:
        self._bar.update(self._task, status=text)


class _PlainReporter:
    """Plain lines: ``retag: 120/500 (24%)``, rate-limited."""

    def __init__(self, description: str, total: int | None, stream: TextIO, interval_s: float) -> None:
        self.description = description
        self.total = total
        self.done = 0
        self._stream = stream
        self._interval_s = interval_s
        self._started = time.monotonic()
        self._last_line = self._started
        self._last_tenth = 0
        self._note = ""
        self._started_line = False

    def _count(self) -> str:
        if self.total:
            return f"{self.done}/{self.total} ({100 * self.done // self.total}%)"
        return str(self.done)

    def _print(self, text: str) -> None:
        suffix = f" {self._note}" if self._note else ""
        print(f"{self.description}: {text}{suffix}", file=self._stream, flush=True)

    def start(self) -> None:
        """Say so once, when the total is known or the first item is done (whichever is first)."""
        if not self._started_line:
            self._started_line = True
            self._print(f"started, {self.total} to do" if self.total is not None else "started")

    def advance(self, steps: int = 1) -> None:
        self.start()
        self.done += steps
        now = time.monotonic()
        tenth = 10 * self.done // self.total if self.total else 0
        if now - self._last_line >= self._interval_s or tenth > self._last_tenth:
            self._last_line = now
            self._last_tenth = tenth
            if not (self.total and self.done >= self.total):
                self._print(self._count())

    def set_total(self, total: int | None) -> None:
        self.total = total
        self.start()

    def note(self, text: str) -> None:
        self._note = text

    def finish(self, failed: bool) -> None:
        self.start()
        elapsed = time.monotonic() - self._started
        self._note = ""
        self._print(f"{'stopped' if failed else 'done'} {self._count()} in {elapsed:.1f}s")


@contextmanager
def progress(
    description: str,
    total: int | None = None,
    *,
    stream: TextIO | None = None,
    terminal: bool | None = None,
    interval_s: float = PLAIN_INTERVAL_S,
) -> Iterator[ProgressReporter]:
    """Report progress of ``total`` items (None when unknown) under ``description``.

    Args:
        description: A short label, e.g. the command name.
        total: The number of items, if known.
        stream: Where to write (default: stderr).
        terminal: Force the bar (True) or plain lines (False); default: detect.
        interval_s: Plain mode: the least time between two lines.
    """
    out = stream if stream is not None else sys.stderr
    console = Console(file=out, force_terminal=terminal)
    is_terminal = console.is_terminal if terminal is None else terminal
    if is_terminal:
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[status]}"),
        )
        with Progress(*columns, console=console, transient=False) as bar:
            yield _RichReporter(bar, bar.add_task(description, total=total, status=""))
        return
    reporter = _PlainReporter(description, total, out, interval_s)
    if total is not None:
        reporter.start()
    failed = True
    try:
        yield reporter
        failed = False
    finally:
        reporter.finish(failed)


def track(
    items: Iterable[T], description: str, total: int | None = None, **options: Any
) -> Iterator[T]:
    """Iterate ``items`` while reporting progress (``total`` defaults to ``len(items)`` if it has one)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with progress(description, total, **options) as bar:
        for item in items:
            yield item
            bar.advance()
