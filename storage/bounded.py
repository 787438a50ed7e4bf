"""Database calls with a bound on how long they may hold up the crawl.

A connection to PostgreSQL that freezes (a silent partition: no reset, no answer) would hold a
plain call for as long as the kernel keeps the socket, and the crawl's event loop with it: no page
fetched, no signal handled. So the crawl makes its database calls through :class:`BoundedCalls`:
each call runs in a worker thread, and the caller waits at most ``timeout_s``
(``NEWSMON_DB_CALL_TIMEOUT_S``, default :data:`DEFAULT_TIMEOUT_S`). A call that does not return
by then raises :class:`~storage.db.DatabaseStuck` (one of the database errors the crawl retries
and spools on); its thread is left to finish or fail on its own (TCP keepalives end it on a real
partition, :func:`storage.db.postgres_connect_args`), and the engine's pooled connections are
dropped: they may be frozen too. From then on every call fails at once, instead of piling up
threads and holding up the crawl once more, until the database answers again: a probe thread asks
it (``SELECT 1`` on a fresh connection, which first ends the stuck calls' server sessions: they may
hold locks the server does not know are orphaned) every :data:`PROBE_INTERVAL_S`, each probe waited
for at most :data:`PROBE_TIMEOUT_S`, and the first probe that is answered lets calls through again
(a half-open circuit breaker). So a crawl resumes storing within a few seconds of a partition
healing, whatever its length. Calls run one at a time, in order, as they did on the event loop.

SQLite has no network to freeze: its calls run inline, and its busy timeout bounds the waits.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine, event, text

from storage.db import DatabaseStuck, database_url, get_engine

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 8.0
TIMEOUT_ENV = "NEWSMON_DB_CALL_TIMEOUT_S"
PROBE_INTERVAL_S = 1.0
"""While calls are refused, the database is probed this often at first …"""
MAX_PROBE_INTERVAL_S = 4.0
"""… and, after probes that hung, up to this often (each hung probe is a thread and a socket until
TCP keepalives end it: they must not pile up during a long partition)."""
PROBE_TIMEOUT_S = 3.0
"""A probe not answered by then has met a frozen connection too (at most ``timeout_s``)."""

logger = logging.getLogger(__name__)


def call_timeout_s() -> float:
    """``NEWSMON_DB_CALL_TIMEOUT_S`` or :data:`DEFAULT_TIMEOUT_S`."""
    value = os.environ.get(TIMEOUT_ENV)
    return float(value) if value else DEFAULT_TIMEOUT_S


class BoundedCalls:
    """Runs the database calls of one database in worker threads, each waited for at most
    ``timeout_s``; ``inline`` runs them in the caller's thread (SQLite)."""

    def __init__(
        self,
        timeout_s: float,
        *,
        inline: bool = False,
        on_timeout: Callable[[], None] | None = None,
        probe: Callable[[], object] | None = None,
        probe_interval_s: float = PROBE_INTERVAL_S,
    ) -> None:
        self.timeout_s = timeout_s
        self.inline = inline
        self.on_timeout = on_timeout
        """Called after a call timed out (drops the engine's pooled connections)."""
        self.probe = probe
        """A cheap call that answers when the database does (None: the probe only ends the stuck
        sessions)."""
        self.probe_interval_s = probe_interval_s
        self.probe_timeout_s = min(PROBE_TIMEOUT_S, timeout_s)
        self._refusing = threading.Event()
        self._stuck_call = ""
        self._stuck_since = 0.0
        self._probing = False
        self._probe_lock = threading.Lock()
        self._serial = threading.Lock()
        """Held by the call running (a stuck call keeps its lock; the next calls get a new one)."""
        self._stuck_sessions: set[int] = set()
        """Server sessions of calls that got stuck: ended by the next probe (see below)."""
        self.end_sessions: Callable[[set[int]], None] | None = None
        self.timeouts = 0
        """Calls that did not return within the bound (for logs and tests)."""
        self.probes = 0
        """Probes started while calls were refused (for logs and tests)."""
        self.refusals: list[float] = []
        """How long calls were refused, each time the database stopped answering (for tests)."""

    def refused_for(self) -> float:
        """Seconds until calls may be tried again after a stuck one (0 when they are tried now):
        at most until the next probe."""
        return self.probe_interval_s if self._refusing.is_set() else 0.0

    def _refuse_while_stuck(self) -> None:
        if self._refusing.is_set():
            raise DatabaseStuck(
                f"the database did not answer {self._stuck_call} within {self.timeout_s:g} s "
                "(calls are refused until it answers again)"
            )

    def _slow(self, fn: Callable[..., Any]) -> None:
        """A call did not return: refuse calls until a probe is answered."""
        self._stuck_call = _name(fn)
        if self.on_timeout is not None:
            self.on_timeout()
        with self._probe_lock:
            if not self._refusing.is_set():
                self._stuck_since = time.monotonic()
                self._refusing.set()
                logger.warning(
                    "the database did not answer %s within %g s; calls are refused until it answers "
                    "a probe", self._stuck_call, self.timeout_s,
                )
            if not self._probing:
                self._probing = True
                threading.Thread(target=self._probe_until_answered, name="db:probe", daemon=True).start()

    def _probe_until_answered(self) -> None:
        """Probe the database until it answers; then let calls through."""
        interval = self.probe_interval_s
        probes = 0
        while True:
            time.sleep(interval)
            self.probes += 1
            probes += 1
            thread, future = self._start(self._probe_once, (), serial=False)
            try:
                future.result(timeout=self.probe_timeout_s)
            except concurrent.futures.TimeoutError:  # frozen still: wait longer before the next one
                self._stuck_sessions |= _backends_of(thread)
                if self.on_timeout is not None:
                    self.on_timeout()
                interval = min(interval * 2, max(MAX_PROBE_INTERVAL_S, self.probe_interval_s))
                continue
            except Exception as exc:  # refused, reset …: still away
                logger.debug("database probe failed: %s", exc)
                continue
            with self._probe_lock:
                refused = time.monotonic() - self._stuck_since
                self.refusals.append(refused)
                self._refusing.clear()
                self._probing = False
            logger.warning(
                "the database answers again: calls were refused for %.1f s (%d probes)", refused, probes
            )
            return

    def _probe_once(self) -> None:
        """(The stuck calls' sessions are ended first, by :meth:`_start`'s thread.)"""
        if self.probe is not None:
            self.probe()

    def _start(
        self, fn: Callable[..., T], args: tuple[Any, ...], *, serial: bool = True
    ) -> tuple[threading.Thread, concurrent.futures.Future[T]]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        lock = self._serial if serial else threading.Lock()

        def run() -> None:
            with lock:  # one call at a time, in order, as on the event loop before
                if not future.set_running_or_notify_cancel():
                    return  # its caller gave up waiting: do not run it late
                try:
                    self._end_stuck_sessions()
                    future.set_result(fn(*args))
                except BaseException as exc:  # handed to the waiting caller
                    future.set_exception(exc)

        # A daemon thread: a call stuck on a frozen socket must not keep the process alive.
        thread = threading.Thread(target=run, name=f"db:{_name(fn)}", daemon=True)
        thread.start()
        return thread, future

    def _end_stuck_sessions(self) -> None:
        """End the server sessions of the calls that got stuck (``pg_terminate_backend``): on a
        frozen network the server may not notice they are gone, and they hold their locks (the
        clustering lock, a run's row) until it does. A no-op once they are ended."""
        sessions, self._stuck_sessions = self._stuck_sessions, set()
        if sessions and self.end_sessions is not None:
            try:
                self.end_sessions(sessions)
            except Exception:
                self._stuck_sessions |= sessions  # the next call tries again
                raise

    def _timed_out(
        self, fn: Callable[..., Any], thread: threading.Thread, future: concurrent.futures.Future[Any]
    ) -> DatabaseStuck:
        self.timeouts += 1
        if not future.cancel():  # running: stuck; the calls after it must not queue behind it
            self._serial = threading.Lock()
        self._stuck_sessions |= _backends_of(thread)
        self._slow(fn)
        return DatabaseStuck(f"the database did not answer {_name(fn)} within {self.timeout_s:g} s")

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)``, waited for at most ``timeout_s`` (blocking the caller that long)."""
        if self.inline:
            return fn(*args)
        self._refuse_while_stuck()
        thread, future = self._start(fn, args)
        try:
            result = future.result(timeout=self.timeout_s)
        except concurrent.futures.TimeoutError:
            raise self._timed_out(fn, thread, future) from None
        return result

    async def acall(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` without holding up the event loop, waited for at most ``timeout_s``."""
        if self.inline:
            return fn(*args)
        self._refuse_while_stuck()
        thread, future = self._start(fn, args)
        try:
            result = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.timeout_s)
        except TimeoutError:
            raise self._timed_out(fn, thread, future) from None
        return result


_BACKENDS: dict[int, set[int]] = {}
"""PostgreSQL backend pids of the connections each thread has checked out."""
_BACKENDS_LOCK = threading.Lock()


def _track_backends(engine: Engine) -> None:
    """Note which backend each thread's connection talks to, so that the session of a call that
    got stuck can be ended from another connection (:meth:`BoundedCalls._end_stuck_sessions`)."""

    @event.listens_for(engine, "checkout")
    def _out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        pid = getattr(getattr(dbapi_connection, "info", None), "backend_pid", None)
        if pid:
            record.info["backend"] = (threading.get_ident(), pid)
            with _BACKENDS_LOCK:
                _BACKENDS.setdefault(threading.get_ident(), set()).add(pid)

    @event.listens_for(engine, "checkin")
    def _in(_dbapi_connection: Any, record: Any) -> None:
        if backend := record.info.pop("backend", None):
            with _BACKENDS_LOCK:
                _BACKENDS.get(backend[0], set()).discard(backend[1])


def _backends_of(thread: threading.Thread) -> set[int]:
    with _BACKENDS_LOCK:
        return set(_BACKENDS.pop(thread.ident or 0, set()))


def _name(fn: Callable[..., Any]) -> str:
    return str(getattr(fn, "__name__", None) or type(fn).__name__)


_GATES: dict[str | None, BoundedCalls] = {}


def bounded(url: str | None) -> BoundedCalls:
    """The :class:`BoundedCalls` of this process for the database ``url`` (None: the default)."""
    if url not in _GATES:
        is_sqlite = (url or database_url()).startswith("sqlite")
        gate = BoundedCalls(
            call_timeout_s(),
            inline=is_sqlite,
            on_timeout=lambda: get_engine(url).dispose(),
            probe=lambda: _select_one(url),
        )
        if not is_sqlite:
            _track_backends(get_engine(url))
            gate.end_sessions = lambda pids: _terminate(url, pids)
        _GATES[url] = gate
    return _GATES[url]


def _select_one(url: str | None) -> None:
    with get_engine(url).connect() as connection:
        connection.execute(text("SELECT 1"))


def _terminate(url: str | None, pids: set[int]) -> None:
    with get_engine(url).connect() as connection:
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:pids AS integer[])) AS pid"),
            {"pids": sorted(pids)},
        )
        connection.commit()
