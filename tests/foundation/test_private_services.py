"""The test session runs its own PostgreSQL and Redis, never a server it did not start."""

from __future__ import annotations

import os

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.conftest import started_services
from tests.services import postgres_server_url, redis_server_url


def _ours(kind: str) -> None:
    if not any(type(s).__name__ == kind for s in started_services()):
        pytest.skip(f"the session was pointed at a server of the user's own ({kind} not started here)")


@pytest.mark.postgres
def test_the_postgresql_the_tests_use_is_the_one_this_session_started() -> None:
    _ours("PrivatePostgres")
    engine = create_engine(postgres_server_url())
    try:
        with engine.connect() as connection:
            data_directory = connection.execute(text("SHOW data_directory")).scalar_one()
            port = int(connection.execute(text("SHOW port")).scalar_one())
    finally:
        engine.dispose()
    assert "newsmon-pg-" in data_directory and os.path.isdir(os.path.dirname(data_directory))
    assert port != 5432


@pytest.mark.redis
def test_the_redis_the_tests_use_is_the_one_this_session_started() -> None:
    _ours("PrivateRedis")
    server = redis.Redis.from_url(redis_server_url())
    try:
        directory = server.config_get("dir")["dir"]
        port = int(server.config_get("port")["port"])
    finally:
        server.close()
    assert "newsmon-redis-" in directory and port != 6379
