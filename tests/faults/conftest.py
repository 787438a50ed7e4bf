"""Helpers of the fault suite: ``newsmon crawl`` subprocesses against a mirror with faults, a
configuration with a short download timeout, and reading what a crawl left in the database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from config import PACKAGED_CONFIG_DIR
from storage.models import Article, CrawlRun

CRAWL_TIMEOUT_S = 300
DOWNLOAD_TIMEOUT_S = 3
"""The download timeout of the fault crawls (the configured 30 s would make ``slow`` cases slow)."""


def crawl_env(
    database_url: str, data_dir: Path, config_dir: Path | None = None, **extra: str
) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NEWSMON_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    for name in ("NEWSMON_MIRROR_URL", "NEWSMON_POLITENESS", "NEWSMON_TAGGER"):
        env.pop(name, None)
    if config_dir is not None:
        env["NEWSMON_CONFIG_DIR"] = str(config_dir)
    return env


def newsmon_crawl(
    *args: str,
    mirror_url: str,
    database_url: str,
    data_dir: Path,
    config_dir: Path | None = None,
    timeout: float = CRAWL_TIMEOUT_S,
) -> subprocess.CompletedProcess[str]:
    """``python -m newsmon -q crawl ARGS --mirror URL`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "newsmon", "-q", "crawl", *args, "--mirror", mirror_url],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=crawl_env(database_url, data_dir, config_dir),
        cwd=data_dir,
    )


def stored(database_url: str) -> list[Article]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(Article).order_by(Article.id)))
    finally:
        engine.dispose()


def runs(database_url: str) -> list[CrawlRun]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    finally:
        engine.dispose()


def host_path_pattern(url: str) -> str:
    """The mirror fault key matching exactly this real URL (``//host/path$``)."""
    match = re.match(r"https?://([^/]+)(/[^?#]*)?(\?[^#]*)?", url)
    assert match, url
    return (
        "//" + re.escape(match.group(1)) + re.escape((match.group(2) or "/") + (match.group(3) or "")) + "$"
    )


@pytest.fixture(scope="session")
def fault_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged configuration with a download timeout of :data:`DOWNLOAD_TIMEOUT_S`."""
    directory = tmp_path_factory.mktemp("config") / "config"
    shutil.copytree(PACKAGED_CONFIG_DIR, directory, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    sources = directory / "sources.toml"
    text = sources.read_text("utf-8")
    changed = re.sub(r"(?m)^download_timeout_s = .*$", f"download_timeout_s = {DOWNLOAD_TIMEOUT_S}", text)
    assert changed != text
    sources.write_text(changed, "utf-8")
    return directory
