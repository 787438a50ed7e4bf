"""Shared fixtures: fresh migrated databases on SQLite and on the running PostgreSQL.

PostgreSQL tests use the server at 127.0.0.1:5432 (database ``test``), each test in a schema
of its own that is dropped afterwards, so runs never see each other's rows.
``NEWSMON_TEST_POSTGRES`` overrides the server URL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from config import load_sources
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.repository import sync_sources

POSTGRES_SERVER = os.environ.get("NEWSMON_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'newsmon.sqlite'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections live in a fresh schema of the test database."""
    schema_name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    try:
        yield f"{POSTGRES_SERVER}?options=-csearch_path%3D{schema_name}"
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
