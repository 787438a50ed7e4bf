"""Named locks shared by every process on one database: one crawl per source, one scheduler.

On PostgreSQL a lock is a session-level advisory lock, held on a connection of its own for as long
as the holder lives: it works across machines, and the server drops it when the holder's process
dies or its connection breaks (TCP keepalives, :func:`storage.db.postgres_connect_args`). The
holder names itself in its connection's ``application_name``, which :data:`pg_stat_activity`
shows to the process that is refused.

On SQLite (one machine) a lock is an ``flock`` on a file beside the database
(``<database>.locks/<name>.lock``), which holds the holder's description; the kernel drops it when
the holder's process ends, however it ends.

Either way the lock lives as long as some process has the connection's socket or the lock file
open, and a forked child (a crawl's tagging workers) inherits both; so a child drops its copies at
once (:func:`_leave_to_parent`): a killed crawl's workers, which outlive it for up to a second, do
not keep its sources locked from the crawl started again.
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
import weakref
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, text

from core.errors import UserError
from storage.db import database_url, lock_engine, sqlite_file

LOCK_NAMESPACE = 0x6E6D  # "nm": the first key of every newsmon advisory lock


class LockHeld(UserError):
    """The lock is held by another process (named in the message)."""

    def __init__(self, name: str, holder: str) -> None:
        super().__init__(f"{name} is locked by {holder}")
        self.name = name
        self.holder = holder


def describe_holder(what: str) -> str:
    """``newsmon crawl mvd_ru pid 123 on host`` (PostgreSQL shows 63 characters of it)."""
    return f"{what} pid {os.getpid()} on {socket.gethostname()}"


@dataclass(eq=False)  # each lock is itself (hashable, for the set of held locks)
class HeldLock:
    """A lock this process holds until :meth:`release` (or until it ends)."""

    name: str
    _connection: Connection | None = None
    _file: IO[str] | None = None

    def __post_init__(self) -> None:
        _held.add(self)

    def release(self) -> None:
        if self._connection is not None:
            # Ending the session releases the lock; no query, which could hang on a frozen network.
            connection, self._connection = self._connection, None
            connection.invalidate()
            connection.close()
        if self._file is not None:
            handle, self._file = self._file, None
            handle.close()  # closing the file drops the flock


_held: weakref.WeakSet[HeldLock] = weakref.WeakSet()
"""The locks this process holds (a forked child leaves them to its parent)."""


def _leave_to_parent() -> None:
    """In a forked child: point the child's copy of each held lock's descriptor (the lock file, the
    connection's socket) at /dev/null, so the lock ends with the parent alone. Not an unlock, which
    would release the parent's lock too; and the descriptor's number stays taken, so whatever closes
    it later in the child closes /dev/null, not a file the child opened since."""
    for lock in list(_held):
        descriptor = _descriptor(lock)
        if descriptor is not None:
            nothing = os.open(os.devnull, os.O_RDWR)
            os.dup2(nothing, descriptor)
            os.close(nothing)
        lock._connection = lock._file = None  # the child holds none of them
    _held.clear()


def _descriptor(lock: HeldLock) -> int | None:
    if lock._file is not None:
        return lock._file.fileno()
    if lock._connection is not None:
        fileno: int = lock._connection.connection.dbapi_connection.fileno()  # type: ignore[union-attr]
        return fileno
    return None


os.register_at_fork(after_in_child=_leave_to_parent)


def try_lock(name: str, holder: str, url: str | None = None) -> HeldLock:
    """Take the lock ``name`` for ``holder`` (see :func:`describe_holder`) without waiting;
    :class:`LockHeld` names who has it."""
    url = url or database_url()
    path = sqlite_file(url)
    if path is not None:
        return _file_lock(path, name, holder)
    if url.startswith("sqlite"):
        return HeldLock(name)  # an in-memory database lives in one process
    return _advisory_lock(url, name, holder)


def _keys(name: str) -> dict[str, Any]:
    return {"ns": LOCK_NAMESPACE, "key": zlib.crc32(name.encode()) & 0x7FFFFFFF}


def _advisory_lock(url: str, name: str, holder: str) -> HeldLock:
    connection = lock_engine(url).connect()
    try:
        connection.execute(
            text("SELECT set_config('application_name', :holder, false)"), {"holder": holder[:63]}
        )
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:ns, :key)"), _keys(name)).scalar()
        connection.commit()
        if taken:
            return HeldLock(name, _connection=connection)
        who = connection.execute(
            text(
                "SELECT a.application_name, a.client_addr, a.backend_start FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.classid = :ns AND l.objid = :key AND l.objsubid = 2"
            ),
            _keys(name),
        ).first()
        connection.commit()
    except BaseException:
        connection.close()
        raise
    connection.close()
    if who is None:
        raise LockHeld(name, "another process (it did not say who)")
    since = f", since {who[2]:%Y-%m-%d %H:%M:%S %Z}" if who[2] else ""
    raise LockHeld(name, f"{who[0] or 'another process'}" + (f" from {who[1]}" if who[1] else "") + since)


def _read_holder(handle: IO[str]) -> str:
    """What the holder wrote (it may be writing it right now: it took the lock a moment ago)."""
    for _ in range(20):
        handle.seek(0)
        if who := handle.read().strip():
            return who
        time.sleep(0.05)
    return "another process"


def _file_lock(database: Path, name: str, holder: str) -> HeldLock:
    directory = database.with_name(database.name + ".locks")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name.replace('/', '_')}.lock"
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        who = _read_holder(handle)
        handle.close()
        raise LockHeld(name, who) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{holder}, since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
    handle.flush()
    return HeldLock(name, _file=handle)
