"""The README's walk-through, as a newcomer follows it: `make demo`'s excerpt is what the demo
prints, and the commands the demo and the README name next work on the demo's database, in an
80-column terminal."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from crawlers.registry import site_ids

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
WIDTH = 80


def _block(name: str) -> list[str]:
    match = re.search(rf"<!-- {name}:begin -->\n```[a-z]*\n(.*?)```\n<!-- {name}:end -->", README, re.S)
    assert match, f"README has no {name} block"
    return [line.rstrip() for line in match.group(1).splitlines()]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NEWSMON_DATA_DIR")}
    env.pop("NEWSMON_DEMO_LIVE", None)
    return {**env, "COLUMNS": str(WIDTH), **extra}


def _run(command: list[str], cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env=_env(**extra), cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("clone")
    result = _run([sys.executable, "-m", "newsmon", "-q", "demo"], folder)
    assert result.returncode == 0, result.stderr[-3000:]
    return folder, [line.rstrip() for line in result.stdout.splitlines()]


def _as_command(line: str) -> tuple[dict[str, str], list[str]]:
    """``DATABASE_URL=… .venv/bin/newsmon ARGS`` as this interpreter would run it."""
    words = shlex.split(line)
    assignment, program, *arguments = words
    name, _, value = assignment.partition("=")
    assert program == ".venv/bin/newsmon"
    return {name: value}, [sys.executable, "-m", "newsmon", *arguments]


@pytest.mark.slow
def test_the_readmes_demo_excerpt_is_what_the_demo_prints(demo) -> None:
    _, out = demo
    excerpt = _block("demo")
    start = out.index(excerpt[0])
    assert out[start : start + len(excerpt)] == excerpt


@pytest.mark.slow
def test_the_demo_names_the_next_commands_the_readme_names(demo) -> None:
    _, out = demo
    printed = [line for line in out if line.startswith("DATABASE_URL=")]
    assert printed == _block("next")


@pytest.mark.slow
@pytest.mark.parametrize("position", [0, 1, 2], ids=["status", "sources", "export"])
def test_each_next_command_works_on_the_demos_database_at_80_columns(demo, position) -> None:
    folder, _ = demo
    env, command = _as_command(_block("next")[position])
    result = _run(command, folder, **env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    if command[3] == "export":
        assert json.loads(result.stdout)["counts"] == {"KZ": 5, "KG": 1, "RU": 2, "TJ": 1}
        return
    assert all(len(line) <= WIDTH for line in lines), "\n".join(lines)
    assert "…" not in result.stdout
    for source_id in site_ids():
        assert re.search(rf"^\s*{source_id}\s", result.stdout, re.M), result.stdout
    assert not (folder / "data" / "newsmon.sqlite").exists(), "no empty default database is left behind"


@pytest.mark.slow
@pytest.mark.parametrize("command", ["status", "sources"])
def test_json_output_carries_every_field(demo, command) -> None:
    folder, _ = demo
    result = _run([sys.executable, "-m", "newsmon", command, "--json"], folder,
                  DATABASE_URL="sqlite:///data/demo.sqlite")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rows = data["sources"] if command == "status" else data
    assert {row["source"] if command == "status" else row["id"] for row in rows} == set(site_ids())
    if command == "status":
        assert {"pages", "updated", "relevant", "health"} <= set(rows[0])
