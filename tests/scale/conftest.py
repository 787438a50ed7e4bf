"""Fixtures of the distributed-crawling tests: the session's own Redis (or
``NEWSMON_TEST_REDIS``) under a key prefix of each test's own, removed afterwards, and extra
PostgreSQL schemas for tests that compare two crawls."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager

import pytest
import redis

from storage.scratch import scratch_schema
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


def migrated_schema() -> AbstractContextManager[str]:
    """A fresh schema of the test PostgreSQL, migrated and holding the sources; dropped after."""
    return scratch_schema(postgres_server_url(), prefix="t")
