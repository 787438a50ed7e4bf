"""Fixtures of the operations tests: a migrated database with the sources, and a private copy of the
configuration folder to plant schedules in."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import config
from config import PACKAGED_CONFIG_DIR, load_sources
from config import schedules as settings
from newsmon.scheduler import jobs
from storage.db import session_scope
from storage.repository import sync_sources


def _clear_config_caches() -> None:
    config.clear_cache()
    settings.clear_cache()
    try:
        from release import settings as release_settings
    except ImportError:
        return
    release_settings.clear_cache()


@pytest.fixture
def config_dir(tmp_path, monkeypatch) -> Iterator[Path]:
    """A copy of the packaged configuration, used instead of it (edit its files in the test)."""
    target = tmp_path / "config"
    shutil.copytree(PACKAGED_CONFIG_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(target))
    _clear_config_caches()
    yield target
    _clear_config_caches()


@pytest.fixture
def ops_db(migrated_db) -> Iterator[str]:
    """A migrated database with the configured sources; no job runtime left behind."""
    with session_scope(migrated_db) as session:
        sync_sources(session, load_sources())
    jobs.set_runtime(None)
    yield migrated_db
    jobs.set_runtime(None)
