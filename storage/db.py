"""The one engine/session factory. ``DATABASE_URL`` picks the database; the default is a SQLite
file ``newsmon.sqlite`` in ``NEWSMON_DATA_DIR`` (default ``./data``), in WAL mode with foreign
keys on. Connection problems surface as :class:`DatabaseUnavailable`, a user error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session as Session  # the type callers outside storage annotate with
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from config import data_dir
from core.errors import UserError

SQLITE_BUSY_TIMEOUT_MS = 60_000
POSTGRES_CONNECT_TIMEOUT_S = 5
POSTGRES_KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3}
"""A peer that vanished (a network partition, no reset) is noticed within about 5 + 2 * 3 s."""
POSTGRES_TCP_USER_TIMEOUT_MS = 10_000
"""Data sent and not acknowledged for this long ends the connection (keepalives alone do not
cover a connection that is sending)."""
POSTGRES_STATEMENT_TIMEOUT_MS = 60_000
POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT_MS = 20_000
"""The server ends a session left in a transaction by a client that froze, so the locks it held
(the clustering lock, a run row) do not hold up the other crawls."""


def postgres_connect_args(url_options: str | None = None) -> dict[str, Any]:
    """libpq options that keep a call from hanging on a silent network: TCP keepalives, a TCP user
    timeout, and statement and idle-in-transaction timeouts on the server side (after the URL's
    own ``options``, which they would otherwise replace)."""
    prefix = f"{url_options} " if url_options else ""
    return {
        "connect_timeout": POSTGRES_CONNECT_TIMEOUT_S,
        **POSTGRES_KEEPALIVE,
        "tcp_user_timeout": POSTGRES_TCP_USER_TIMEOUT_MS,
        # The server's side: the same keepalives, so a session whose client vanished ends.
        "options": f"{prefix}-c statement_timeout={POSTGRES_STATEMENT_TIMEOUT_MS} "
        f"-c idle_in_transaction_session_timeout={POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT_MS} "
        "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3",
    }


class DatabaseUnavailable(UserError):
    """The database URL is malformed or the database cannot be reached."""


class DatabaseStuck(DatabaseUnavailable):
    """A database call did not return within its bound (a frozen connection); see
    :mod:`storage.bounded`."""


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'newsmon.sqlite'}"


def database_url() -> str:
    """``DATABASE_URL`` if set, else the default SQLite file."""
    return os.environ.get("DATABASE_URL") or default_database_url()


def redact(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return re.sub(r"(//[^:/@]+):[^@/]*@", r"\1:***@", url)


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: :func:`database_url`), created once per URL per process."""
    url = url or database_url()
    if url not in _ENGINES:
        _ENGINES[url] = _create_engine(url)
    return _ENGINES[url]


def lock_engine(url: str) -> Engine:
    """An engine without a pool, for connections held as long as a lock (:mod:`storage.locks`)."""
    if url not in _LOCK_ENGINES:
        _LOCK_ENGINES[url] = _create_engine(url, poolclass=NullPool)
    return _LOCK_ENGINES[url]


_LOCK_ENGINES: dict[str, Engine] = {}


def _create_engine(url: str, **options: Any) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"DATABASE_URL is not a database URL: {redact(url)!r}") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(url, parsed.database)
        connect_args: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql":
            url_options = parsed.query.get("options")
            connect_args.update(postgres_connect_args(url_options if isinstance(url_options, str) else None))
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **options)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise DatabaseUnavailable(f"unsupported DATABASE_URL {redact(url)!r}: {exc}") from exc


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, issue BEGIN (see the "begin" hook below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock up front, so two writing processes queue on the
        # busy timeout instead of failing with "database is locked" when a read upgrades to a write.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@cache
def _session_factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return _session_factory(url or database_url())


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error; connection errors become
    :class:`DatabaseUnavailable`."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise unavailable(url, exc) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def unavailable(url: str | None, exc: DBAPIError) -> DatabaseUnavailable:
    """A one-line user error for a database that did not answer."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    return DatabaseUnavailable(f"cannot use the database {redact(url or database_url())}: {reason}")


def sqlite_file(url: str | None = None) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    try:
        parsed = make_url(url or database_url())
    except (ArgumentError, ValueError):
        return None  # connecting names the mistake
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_connection(url: str | None = None, *, create: bool = False) -> None:
    """Raise :class:`DatabaseUnavailable` unless the database answers. A SQLite file that does
    not exist is an error unless ``create`` (``newsmon db upgrade``): connecting would leave an
    empty database file behind that every later command then calls "not up to date"."""
    path = sqlite_file(url)
    if path is not None and not create and not path.exists():
        raise DatabaseUnavailable(
            f"there is no database {redact(url or database_url())}: `newsmon db upgrade` creates it "
            "(the demo's is data/demo.sqlite: DATABASE_URL=sqlite:///data/demo.sqlite)"
        )
    try:
        with get_engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        raise unavailable(url, exc) from exc


def dispose_engines() -> None:
    """Close all pooled connections (after a fork, or between tests)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
    _session_factory.cache_clear()
