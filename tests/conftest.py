"""Shared fixtures: fresh migrated databases on SQLite and on the running PostgreSQL.

The session starts its own PostgreSQL and Redis (:mod:`tests.services`): never a server it
did not start. PostgreSQL tests run each in a schema of their own, dropped afterwards.
``NEWSMON_TEST_POSTGRES`` / ``NEWSMON_TEST_REDIS`` point the tests at servers of your own
instead (they create and drop their own schemas and key prefixes there).
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from config import load_sources
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.repository import sync_sources
from tests.services import (
    POSTGRES_ENV,
    REDIS_ENV,
    PrivatePostgres,
    PrivateRedis,
    ServiceError,
    postgres_server_url,
)

_started: list[PrivatePostgres | PrivateRedis] = []


def pytest_configure(config) -> None:
    """Start a private PostgreSQL and Redis for this session, unless the environment names
    servers of the user's own (``NEWSMON_TEST_POSTGRES``, ``NEWSMON_TEST_REDIS``)."""
    if os.environ.get("NEWSMON_TEST_SERVICES") == "none":
        return
    try:
        if not os.environ.get(POSTGRES_ENV):
            _started.append(PrivatePostgres().start())
            os.environ[POSTGRES_ENV] = _started[-1].url
        if not os.environ.get(REDIS_ENV):
            _started.append(PrivateRedis().start())
            os.environ[REDIS_ENV] = _started[-1].url
    except (ServiceError, OSError, subprocess.CalledProcessError) as exc:
        pytest_unconfigure(config)
        detail = exc.stderr.decode(errors="replace") if isinstance(exc, subprocess.CalledProcessError) else ""
        raise pytest.UsageError(f"cannot start the tests' own database servers: {exc} {detail}") from exc


def started_services() -> tuple[PrivatePostgres | PrivateRedis, ...]:
    """The servers this session started (none when the environment named the user's own)."""
    return tuple(_started)


def pytest_unconfigure(config) -> None:
    while _started:
        _started.pop().stop()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'newsmon.sqlite'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections live in a fresh schema of the test database."""
    schema_name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    try:
        yield f"{postgres_server_url()}?options=-csearch_path%3D{schema_name}"
    finally:
        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    """Each test using it runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def migrated_db(db_url, monkeypatch) -> Iterator[str]:
    """A migrated database holding the configured sources (as after ``newsmon db upgrade``);
    DATABASE_URL points at it for the code under test."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    schema.upgrade(db_url)
    with session_scope(db_url) as session:
        sync_sources(session, load_sources())
    yield db_url
    dispose_engines()
