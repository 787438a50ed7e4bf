"""The newsmon command: help everywhere, a version, and one clear line for user mistakes."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from crawlers.registry import site_ids
from newsmon import __version__
from newsmon.cli import app


def newsmon(*args: str, env: dict[str, str] | None = None, cwd=None) -> subprocess.CompletedProcess[str]:
    """Run the installed console command as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "newsmon", *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}, cwd=cwd,
    )


def _command_paths(command, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            paths.extend(_command_paths(sub, (*prefix, name)))
    return paths


COMMAND_PATHS = _command_paths(typer.main.get_command(app))


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "newsmon")
def test_every_command_has_help(path):
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


GROUPS_WITHOUT_A_COMMAND = {("db",), ("users",), ("review",), ("release",), ("model",)}
LEAF_PATHS = [p for p in COMMAND_PATHS if p and p not in GROUPS_WITHOUT_A_COMMAND]


@pytest.mark.parametrize("path", LEAF_PATHS, ids=lambda path: " ".join(path))
def test_every_command_shows_an_example_and_no_python_types_at_80_columns(path):
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert re.search(r"Example: (newsmon|make demo|REDIS_URL=|DATABASE_URL=)", result.output), result.output
    for python_type in ("<bool>", "<str>", "<int>", "<list[", "<path>", "<file>"):
        assert python_type not in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())


def test_the_foundation_commands_exist():
    assert {("db", "upgrade"), ("sources",), ("status",)} <= set(COMMAND_PATHS)


def test_version_is_printed():
    result = newsmon("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"newsmon {__version__}"


def test_unreachable_database_is_one_line_and_a_non_zero_exit():
    result = newsmon("status", env={"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsmon: error: cannot use the database postgresql+psycopg://nobody@127.0.0.1:1/x")
    assert "Traceback" not in result.stderr


def test_a_malformed_database_url_is_one_line():
    result = newsmon("status", env={"DATABASE_URL": "not a url"})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "newsmon: error: DATABASE_URL is not a database URL: 'not a url'"
    ]


def test_a_malformed_config_is_one_line_naming_the_field(tmp_path):
    broken = tmp_path / "config"
    broken.mkdir()
    from config import PACKAGED_CONFIG_DIR

    text = (PACKAGED_CONFIG_DIR / "sources.toml").read_text(encoding="utf-8")
    (broken / "sources.toml").write_text(
        text.replace('timezone = "Asia/Dushanbe"', "timezone = 5"), encoding="utf-8"
    )
    result = newsmon("sources", env={"NEWSMON_CONFIG_DIR": str(broken)})
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "sources[3] (akn_tj).timezone" in result.stderr


def test_status_without_a_database_says_what_to_run_and_creates_no_file(tmp_path):
    missing = tmp_path / "newsmon.sqlite"
    result = newsmon("status", env={"DATABASE_URL": f"sqlite:///{missing}"})
    assert result.returncode != 0
    assert "there is no database" in result.stderr and "`newsmon db upgrade` creates it" in result.stderr
    assert not missing.exists()


def test_status_before_the_schema_exists_says_what_to_run(tmp_path):
    import sqlite3

    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    result = newsmon("status", env={"DATABASE_URL": f"sqlite:///{empty}"})
    assert result.returncode != 0
    assert "run `newsmon db upgrade`" in result.stderr


def test_db_upgrade_sources_and_status_work(db_url):
    env = {"DATABASE_URL": db_url}
    upgraded = newsmon("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "is at revision" in upgraded.stdout
    listed = newsmon("sources", env=env)
    assert listed.returncode == 0
    for source_id in site_ids():
        assert source_id in listed.stdout
    status = newsmon("status", env={**env, "COLUMNS": "200"})
    assert status.returncode == 0, status.stderr
    assert "never" in status.stdout and "mvd_ru" in status.stdout


def test_db_upgrade_is_idempotent(sqlite_url):
    env = {"DATABASE_URL": sqlite_url}
    assert newsmon("db", "upgrade", env=env).returncode == 0
    second = newsmon("db", "upgrade", env=env)
    assert second.returncode == 0, second.stderr


def test_default_database_is_a_sqlite_file_under_data(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "newsmon", "db", "upgrade"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "newsmon.sqlite").exists()


def test_the_crawl_summary_fits_80_columns_and_cuts_no_id():
    from rich.console import Console

    from crawlers.outcomes import SourceOutcome
    from newsmon.cli.tables import print_crawl_summary

    outcomes = [
        SourceOutcome("polisia_kz", 12, "finished", None, pages=47, new=38),
        SourceOutcome("mvd_ru", 13, "failed", "error", pages=41, new=0, errors=9,
                      errors_by_kind={"http_5xx": 5, "timeout": 3, "no_text": 1}),
    ]
    console = Console(width=80, record=True, color_system=None)
    print_crawl_summary(console, outcomes)
    text = console.export_text()
    assert all(len(line) <= 80 for line in text.splitlines()), text
    assert "polisia_kz" in text and "mvd_ru" in text and "…" not in text
    assert "http_5xx 5" in " ".join(text.split())


def test_the_help_starts_without_the_database_or_configuration_libraries():
    code = (
        "import sys, newsmon.cli; "
        "heavy = ('sqlalchemy', 'alembic', 'scrapy', 'pydantic', 'trafilatura'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
