"""Database calls with a bound on how long they may hold up the crawl.

A connection to PostgreSQL that freezes (a silent partition: no reset, no answer) would hold a
plain call for as long as the kernel keeps the socket, and the crawl's event loop with it: no page
fetched, no signal handled. So the crawl makes its database calls through :class:`BoundedCalls`:
each call runs in a worker thread, and the caller waits at most ``timeout_s``
(``NEWSMON_DB_CALL_TIMEOUT_S``, default :data:`DEFAULT_TIMEOUT_S`). A call that does not return
by then raises :class:`~storage.db.DatabaseStuck` (one of the database errors the crawl retries
and spools on); its thread is left to finish or fail on its own (TCP keepalives end it on a real
partition, :func:`storage.db.postgres_connect_args`), and the engine's pooled connections are
dropped: they may be frozen too. For ``timeout_s`` after that (twice as long after each stuck call
in a row, up to a minute), every call fails at once instead of piling up threads and holding up the
crawl once more; the first call after it is a probe, on a fresh connection, which first ends the
stuck calls' server sessions (they may hold locks the server does not know are orphaned). Calls run
one at a time, in order, as they did on the event loop.

SQLite has no network to freeze: its calls run inline, and its busy timeout bounds the waits.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
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
MAX_REFUSAL_S = 60.0


def call_timeout_s() -> float:
    """``NEWSMON_DB_CALL_TIMEOUT_S`` or :data:`DEFAULT_TIMEOUT_S`."""
    value = os.environ.get(TIMEOUT_ENV)
    return float(value) if value else DEFAULT_TIMEOUT_S


class BoundedCalls:
    """Runs the database calls of one database in worker threads, each waited for at most
    ``timeout_s``; ``inline`` runs them in the caller's thread (SQLite)."""

    def __init__(
        self, timeout_s: float, *, inline: bool = False, on_timeout: Callable[[], None] | None = None
    ) -> None:
        self.timeout_s = timeout_s
        self.inline = inline
        self.on_timeout = on_timeout
        """Called after a call timed out (drops the engine's pooled connections)."""
        self._refused_until = 0.0
        self._stuck_call = ""
        self._stuck_in_a_row = 0
        self._serial = threading.Lock()
        """Held by the call running (a stuck call keeps its lock; the next calls get a new one)."""
        self._stuck_sessions: set[int] = set()
        """Server sessions of calls that got stuck: ended by the next call (see below)."""
        self.end_sessions: Callable[[set[int]], None] | None = None
        self.timeouts = 0
        """Calls that did not return within the bound (for logs and tests)."""

    def refused_for(self) -> float:
        """Seconds until calls are tried again after a stuck one (0 when they are tried now)."""
        return max(0.0, self._refused_until - time.monotonic())

    def _refuse_while_stuck(self) -> None:
        if time.monotonic() < self._refused_until:
            raise DatabaseStuck(f"the database did not answer {self._stuck_call} within {self.timeout_s:g} s")

    def _slow(self, fn: Callable[..., Any]) -> None:
        """A call did not return: refuse calls for a while, longer each time in a row
        (``timeout_s``, twice that … up to :data:`MAX_REFUSAL_S`)."""
        self._stuck_in_a_row += 1
        refusal = min(self.timeout_s * 2 ** (self._stuck_in_a_row - 1), MAX_REFUSAL_S)
        self._refused_until = time.monotonic() + refusal
        self._stuck_call = _name(fn)
        if self.on_timeout is not None:
            self.on_timeout()

    def _done(self) -> None:
        self._stuck_in_a_row = 0

    def _start(
        self, fn: Callable[..., T], args: tuple[Any, ...]
    ) -> tuple[threading.Thread, concurrent.futures.Future[T]]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        serial = self._serial

        def run() -> None:
            with serial:  # one call at a time, in order, as on the event loop before
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
        self._done()
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
        self._done()
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
        gate = BoundedCalls(call_timeout_s(), inline=is_sqlite, on_timeout=lambda: get_engine(url).dispose())
        if not is_sqlite:
            _track_backends(get_engine(url))
            gate.end_sessions = lambda pids: _terminate(url, pids)
        _GATES[url] = gate
    return _GATES[url]


def _terminate(url: str | None, pids: set[int]) -> None:
    with get_engine(url).connect() as connection:
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:pids AS integer[])) AS pid"),
            {"pids": sorted(pids)},
        )
        connection.commit()
