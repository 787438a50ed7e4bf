"""One crawl in its own process, with a time limit, and a crawl-run row for whatever happened.

Scrapy's reactor cannot be restarted inside one process, so every scheduled crawl is a fresh
``newsmon crawl SOURCE`` subprocess (in its own process group, so it and anything it starts can
be stopped together). The crawl command writes its own run row; when the process dies, is
killed at its time limit or is stopped by a scheduler shutdown, :class:`CrawlSupervisor` marks
that row ``failed``/``timeout``/``interrupted`` with the reason, creating one if the process
never got as far as writing it.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawlers.locks import close_orphan_runs, crawl_lock_name
from newsmon.logs import log_event
from storage.locks import LockHeld, describe_holder, try_lock
from storage.models import utcnow
from storage.schedule_state import (
    FAILED,
    FINISHED,
    INTERRUPTED,
    TIMEOUT,
    newest_run_id,
    open_run_of_source,
    record_supervised_runs,
)

log = logging.getLogger(__name__)

# Run statuses: the scheduler writes ``timeout``/``interrupted`` besides the crawl command's own
# ``finished``/``failed``.
SKIPPED = "skipped"  # an outcome only: no process was started, no row written

OUTPUT_TAIL_LINES = 30

CommandFactory = Callable[[str, str | None], Sequence[str]]


DEFAULT_CRAWL_COMMAND = ("{python}", "-m", "newsmon", "crawl", "{source}")


def crawl_command(
    source_id: str, mirror: str | None, template: Sequence[str] = DEFAULT_CRAWL_COMMAND
) -> list[str]:
    """The argv of one crawl: ``template`` filled in, ``--mirror URL`` appended when given.

    ``{python}`` is this interpreter, ``{source}`` the source id (``[scheduler].crawl_command``).
    """
    command = [part.replace("{python}", sys.executable).replace("{source}", source_id) for part in template]
    if mirror:
        command += ["--mirror", mirror]
    return command


def command_from(template: Sequence[str]) -> CommandFactory:
    """A command factory for :class:`CrawlSupervisor` from a ``crawl_command`` template."""
    fixed = tuple(template)

    def factory(source_id: str, mirror: str | None) -> list[str]:
        return crawl_command(source_id, mirror, fixed)

    return factory


@dataclass(frozen=True, slots=True)
class CrawlOutcome:
    """What one scheduled crawl came to."""

    source_id: str
    status: str
    """``finished``, ``failed``, ``timeout``, ``interrupted`` or ``skipped``."""
    run_ids: tuple[int, ...] = ()
    exit_code: int | None = None
    reason: str | None = None
    attempt: int = 0
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        """Nothing to retry: the crawl finished, or was skipped because one is already running."""
        return self.status in (FINISHED, SKIPPED)


class CrawlFailed(Exception):
    """Raised by the crawl job so APScheduler reports the failure and the retry policy sees it."""

    def __init__(self, outcome: CrawlOutcome) -> None:
        reason = outcome.reason or "no reason given"
        super().__init__(f"crawl of {outcome.source_id} {outcome.status}: {reason}")
        self.outcome = outcome


@dataclass
class _Active:
    source_id: str
    process: subprocess.Popen[str] | None = None
    stop_reason: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class CrawlSupervisor:
    """Starts crawl processes, enforces time limits, stops them on shutdown, records outcomes.

    Args:
        database_url: The database the crawls write to (passed on as ``DATABASE_URL``);
            None means the one of this process.
        mirror: Passed to ``newsmon crawl --mirror`` (tests and the demo crawl the mirror).
        kill_grace_s: After SIGTERM, how long a crawl may take to exit before SIGKILL.
        command: Builds the command line from (source id, mirror); tests substitute stand-ins.
        trigger: The ``trigger`` written on the run rows.
    """

    def __init__(
        self,
        *,
        database_url: str | None = None,
        mirror: str | None = None,
        kill_grace_s: float = 20.0,
        command: CommandFactory = crawl_command,
        trigger: str = "schedule",
    ) -> None:
        self.database_url = database_url
        self.mirror = mirror
        self.kill_grace_s = kill_grace_s
        self.command = command
        self.trigger = trigger
        self._lock = threading.Lock()
        self._active: dict[str, _Active] = {}
        self._stopping = False

    # --- public -----------------------------------------------------------------------------

    def active_sources(self) -> list[str]:
        with self._lock:
            return sorted(self._active)

    @property
    def stopping(self) -> bool:
        return self._stopping

    def run(self, source_id: str, *, time_limit_s: float, attempt: int = 0) -> CrawlOutcome:
        """Crawl one source in a subprocess and return what happened (never raises for a failed crawl).

        A source already being crawled by this supervisor, or by another process according to
        the database, is not started twice: the outcome is ``skipped``.
        """
        with self._lock:
            if self._stopping:
                return self._skipped(source_id, attempt, "the scheduler is shutting down")
            if source_id in self._active:
                return self._skipped(source_id, attempt, "a crawl of this source is still running")
            active = self._active[source_id] = _Active(source_id)
        try:
            running = self._running_elsewhere(source_id, time_limit_s)
            if running is not None:
                return self._skipped(source_id, attempt, f"run {running} of this source is still running")
            return self._run(active, time_limit_s=time_limit_s, attempt=attempt)
        finally:
            with self._lock:
                del self._active[source_id]
            active.done.set()

    def stop_all(self, grace_s: float) -> None:
        """Start no more crawls; let running ones finish for ``grace_s``, then stop them.

        Their runs are marked ``interrupted``. Returns when every crawl has been recorded.
        """
        with self._lock:
            self._stopping = True
            actives = list(self._active.values())
        if actives:
            running = ",".join(active.source_id for active in actives)
            log_event(log, "scheduler.draining", sources=running, grace_s=grace_s)
        deadline = time.monotonic() + grace_s
        for active in actives:
            active.done.wait(max(0.0, deadline - time.monotonic()))
        for active in actives:
            if not active.done.is_set():
                self._signal(active, signal.SIGTERM, INTERRUPTED)
        kill_deadline = time.monotonic() + self.kill_grace_s
        for active in actives:
            process = active.process
            if process is not None and process.poll() is None:
                try:
                    process.wait(max(0.0, kill_deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    self._signal(active, signal.SIGKILL, INTERRUPTED)
        for active in actives:
            # Recording the outcome is a few statements; the bound only guards against a hung database.
            active.done.wait(60)

    # --- internals ----------------------------------------------------------------------------

    def _skipped(self, source_id: str, attempt: int, reason: str) -> CrawlOutcome:
        log_event(log, "crawl.skipped", logging.WARNING, source=source_id, attempt=attempt, reason=reason)
        return CrawlOutcome(source_id=source_id, status=SKIPPED, reason=reason, attempt=attempt)

    def _running_elsewhere(self, source_id: str, time_limit_s: float) -> int | None:
        """A run of the source still open and young enough to be alive (a hand-started crawl),
        whose crawl holds the source's lock. A run left open by a crawl that ended without
        closing it (a full disk, a read-only database: it could not write) holds no lock: it is
        closed as ``failed`` here and the source is crawled, not skipped until the run is old."""
        recent = utcnow() - timedelta(seconds=time_limit_s + self.kill_grace_s)
        running = open_run_of_source(self.database_url, source_id, recent)
        if running is None:
            return None
        try:
            holder = describe_holder("newsmon schedule")
            lock = try_lock(crawl_lock_name(source_id), holder, self.database_url)
        except LockHeld:
            return running  # a live crawl has it
        try:
            close_orphan_runs(source_id, self.database_url)
        finally:
            lock.release()
        log_event(log, "crawl.orphan_closed", logging.WARNING, source=source_id, run=running)
        return None

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env["PYTHONUNBUFFERED"] = "1"
        env["NEWSMON_RUN_TRIGGER"] = self.trigger
        return env

    def _signal(self, active: _Active, signum: int, reason: str) -> None:
        """Send a signal to the crawl's process group, remembering why it was stopped."""
        if active.stop_reason is None:
            active.stop_reason = reason
        process = active.process
        if process is None or process.poll() is not None:
            return
        log_event(log, "crawl.stopping", logging.WARNING, source=active.source_id, pid=process.pid,
                  signal=signal.Signals(signum).name, reason=reason)
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            pass

    def _run(self, active: _Active, *, time_limit_s: float, attempt: int) -> CrawlOutcome:
        source_id = active.source_id
        watermark = newest_run_id(self.database_url)
        command = list(self.command(source_id, self.mirror))
        started = time.monotonic()
        started_at = utcnow()
        tail: deque[str] = deque(maxlen=OUTPUT_TAIL_LINES)
        failure = ""
        # Under the lock: once stop_all() has begun, no crawl starts, and every started one is
        # visible to it with its process.
        with self._lock:
            if self._stopping:
                return self._skipped(source_id, attempt, "the scheduler is shutting down")
            try:
                process = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                    text=True, encoding="utf-8", errors="replace", env=self._environment(),
                    start_new_session=True,
                )
            except OSError as exc:
                process = None
                failure = f"could not start: {exc}"
            active.process = process
        if process is None:
            return self._record(active, watermark, started, started_at, attempt, None, failure)
        log_event(log, "crawl.started", source=source_id, pid=process.pid, attempt=attempt,
                  time_limit_s=time_limit_s, mirror=self.mirror)
        reader = threading.Thread(target=_relay, args=(process, source_id, tail), daemon=True,
                                  name=f"crawl-output-{source_id}")
        reader.start()
        try:
            process.wait(timeout=time_limit_s)
        except subprocess.TimeoutExpired:
            self._signal(active, signal.SIGTERM, TIMEOUT)
            try:
                process.wait(timeout=self.kill_grace_s)
            except subprocess.TimeoutExpired:
                self._signal(active, signal.SIGKILL, TIMEOUT)
                process.wait()
        reader.join(timeout=5)
        return self._record(active, watermark, started, started_at, attempt, process.returncode,
                            _last_lines(tail), time_limit_s=time_limit_s)

    def _record(
        self,
        active: _Active,
        watermark: int,
        started: float,
        started_at: datetime,
        attempt: int,
        exit_code: int | None,
        detail: str | None,
        *,
        time_limit_s: float | None = None,
    ) -> CrawlOutcome:
        """Make the run rows tell what happened; return the outcome."""
        source_id = active.source_id
        reason: str | None
        if active.stop_reason == TIMEOUT:
            status, reason = TIMEOUT, f"killed after the time limit of {time_limit_s:g} s"
        elif active.stop_reason == INTERRUPTED:
            status, reason = INTERRUPTED, "stopped by the scheduler shutting down"
        elif exit_code is None:
            status, reason = FAILED, detail
        elif exit_code != 0:
            status, reason = FAILED, _exit_reason(exit_code, detail)
        else:
            status, reason = FINISHED, None
        rows = record_supervised_runs(
            self.database_url, source_id, after_run_id=watermark, status=status, reason=reason,
            trigger=self.trigger, options={"attempt": attempt, "exit_code": exit_code},
            started_at=started_at, mirror=self.mirror,
        )
        if status == FINISHED:
            bad = [row for row in rows if row.status != FINISHED]
            if bad:
                status, reason = bad[0].status, bad[0].message
            elif not rows:
                log_event(log, "crawl.no_run", logging.WARNING, source=source_id,
                          reason="the crawl command exited without recording a run")
        outcome = CrawlOutcome(
            source_id=source_id, status=status, run_ids=tuple(row.id for row in rows), exit_code=exit_code,
            reason=reason, attempt=attempt, duration_s=round(time.monotonic() - started, 3),
        )
        log_event(
            log, "crawl.finished" if outcome.status == FINISHED else "crawl.failed",
            logging.INFO if outcome.status == FINISHED else logging.ERROR,
            source=source_id, status=outcome.status, attempt=attempt,
            runs=",".join(str(row.id) for row in rows) or None, exit_code=exit_code,
            duration_s=outcome.duration_s,
            pages=sum(row.pages_fetched for row in rows), new=sum(row.articles_new for row in rows),
            updated=sum(row.articles_updated for row in rows), errors=sum(row.errors for row in rows),
            reason=reason,
        )
        return outcome


def _relay(process: subprocess.Popen[str], source_id: str, tail: deque[str]) -> None:
    """Pass the crawl's output on to our log (debug) and keep its last lines for the failure reason."""
    assert process.stdout is not None
    for line in process.stdout:
        line = line.rstrip()
        if line:
            tail.append(line)
            log_event(log, "crawl.output", logging.DEBUG, source=source_id, line=line)


def _last_lines(tail: deque[str]) -> str | None:
    """The crawl's last output lines, the most telling first: the final error line, if any."""
    if not tail:
        return None
    lines = list(tail)
    errors = [line for line in lines if "error" in line.lower() or "Traceback" in line]
    return errors[-1] if errors else lines[-1]


def _exit_reason(exit_code: int, detail: str | None) -> str:
    if exit_code < 0:
        try:
            what = f"killed by {signal.Signals(-exit_code).name}"
        except ValueError:
            what = f"killed by signal {-exit_code}"
    else:
        what = f"exited with code {exit_code}"
    return f"crawl process {what}" + (f": {detail}" if detail else "")

