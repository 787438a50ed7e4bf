"""``newsmon --help`` and ``newsmon status`` import only what they use (what, not how long: the
time is ``cli_help_import_s`` of ``python -m benchmarks``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from storage import schema

HEAVY = ("scrapy", "sqlalchemy", "alembic", "trafilatura", "sklearn", "weasyprint", "matplotlib", "pydantic",
         "importlib.metadata")
"""What `newsmon --help` has no use for: the crawler, the database, extraction, training, PDF, charts,
configuration models, package metadata (only `--version` reads it)."""
TAGGING = ("scrapy", "trafilatura", "sklearn", "weasyprint", "matplotlib", "pipeline.runner", "datasketch")
"""What `newsmon status` has no use for: it reads the database and the configuration, nothing else."""


def imported_by(argv: list[str], candidates: tuple[str, ...], env: dict[str, str] | None = None) -> list[str]:
    """Which of ``candidates`` a fresh process has imported after running ``newsmon ARGV``."""
    code = (
        "import json, sys\n"
        "from newsmon.cli import main\n"
        f"code = main({argv!r})\n"
        f"print(json.dumps([code, [m for m in {list(candidates)!r} if m in sys.modules]]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})
    code_and_modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert code_and_modules[0] == 0, done.stderr
    return code_and_modules[1]


def test_the_help_imports_none_of_the_heavy_libraries():
    assert imported_by(["--help"], HEAVY) == []


def test_a_command_group_help_imports_none_of_them_either():
    assert imported_by(["release", "--help"], HEAVY) == []


def test_status_imports_neither_the_crawler_nor_the_tagger_nor_the_release_builder(tmp_path):
    url = f"sqlite:///{tmp_path / 'newsmon.sqlite'}"
    schema.upgrade(url)
    assert imported_by(["status"], TAGGING, env={"DATABASE_URL": url}) == []
