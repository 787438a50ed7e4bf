"""Throw-away PostgreSQL schemas, for measurements that each need an empty, migrated database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from config import load_sources
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.repository import sync_sources


@contextmanager
def scratch_schema(server_url: str, prefix: str = "scratch") -> Iterator[str]:
    """A schema of its own in the PostgreSQL at ``server_url``, migrated and holding the configured
    sources; yields the database URL that uses it, and drops the schema afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    url = f"{server_url}?options=-csearch_path%3D{name}"
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
