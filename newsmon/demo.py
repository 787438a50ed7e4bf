"""The demo: what `make demo` runs (grows as crawling, review and release land)."""

from __future__ import annotations

import os

import typer

from config import load_sources
from storage import schema
from storage.db import database_url, redact, session_scope
from storage.repository import sync_sources


def run_demo() -> None:
    sources = load_sources()
    typer.echo(f"database: {redact(database_url())}")
    schema.upgrade()
    with session_scope() as session:
        sync_sources(session, sources)
    typer.echo(f"sources configured: {', '.join(s.id for s in sources.sources)}")
    os.environ.setdefault("NEWSMON_DEMO", "1")
