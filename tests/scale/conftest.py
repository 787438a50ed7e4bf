"""Fixtures of the distributed-crawling tests: the session's own Redis (or
``NEWSMON_TEST_REDIS``) under a key prefix of each test's own, removed afterwards, and extra
PostgreSQL schemas for tests that compare two crawls."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from sqlalchemy import create_engine, text

from config import load_sources
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.repository import sync_sources
from tests.services import postgres_server_url, redis_server_url


@pytest.fixture
def redis_url() -> str:
    return redis_server_url()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix no other test uses; every key below it is deleted afterwards."""
    prefix = f"nmtest-{uuid.uuid4().hex[:10]}"
    yield prefix
    drop_prefix(prefix)


@pytest.fixture
def redis_server(redis_url: str) -> Iterator[redis.Redis]:
    server = redis.Redis.from_url(redis_url)
    yield server
    server.close()


def drop_prefix(prefix: str) -> None:
    server = redis.Redis.from_url(redis_server_url())
    try:
        keys = list(server.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            server.delete(*keys)
    finally:
        server.close()


@contextmanager
def migrated_schema() -> Iterator[str]:
    """A fresh schema of the test PostgreSQL, migrated and holding the sources; dropped after."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    url = f"{postgres_server_url()}?options=-csearch_path%3D{name}"
    try:
        schema.upgrade(url)
        with session_scope(url) as session:
            sync_sources(session, load_sources())
        yield url
    finally:
        dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
