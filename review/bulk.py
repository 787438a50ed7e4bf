"""The names ``newsmon review apply`` and the demo import: the decisions file itself is
:mod:`desk.decisions` (the desk's rules, shared by the UI, the CLI and the release builder).

Transitional: when ``newsmon/cli/review.py`` imports :func:`desk.decisions.apply_file` and
``newsmon/demo.py`` passes the bundled file's path to :func:`apply_demo_decisions` itself (or
prints the report itself), this module goes.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from desk.decisions import BulkReport, apply_file

DEMO_DECISIONS = Path("decisions") / "2025-01.jsonl"
"""The bundled decisions of release #1 2025, inside the mirror's data folder."""

__all__ = ["BulkReport", "apply_demo_decisions", "apply_file", "demo_decisions_file"]


def demo_decisions_file() -> Path:
    """The bundled decisions file, found beside the mirror's package files (the mirror's code is
    not imported: the file is data)."""
    spec = importlib.util.find_spec("mirror")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the bundled mirror (and its decisions file) is not installed")
    return Path(spec.origin).resolve().parent / DEMO_DECISIONS


def apply_demo_decisions(context: Any, path: Path | None = None) -> BulkReport:
    """A step of ``newsmon demo``: apply the analyst decisions of ``path`` (default: the bundled
    ones) to the demo database and print the outcome on ``context.console``."""
    path = path or demo_decisions_file()
    report = apply_file(path, actor="cli:bulk", database_url=context.database_url)
    context.console.print(f"analyst decisions from {path.name}: {report.summary}")
    for result in report.results:
        if result.outcome in ("not-found", "invalid"):
            context.console.print(f"  line {result.line}: {result.outcome}: {result.message}")
    return report
