"""The headline figures of ``python -m benchmarks``: stable names, targets, JSON for scripts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.figures import SPECS, Figures, Measured
from benchmarks.retag import RetagResult, RetagRun
from benchmarks.retag import figures as retag_figures
from benchmarks.startup import import_seconds
from tests.benchmarks.test_benchmark_tools import usage

ROOT = Path(__file__).resolve().parents[2]
ISSUE_NAMES = [
    "cpu_per_article_vs_peer", "articles_per_s_vs_peer", "peak_rss_vs_peer", "cpu_vs_scrapy_plus_floor",
    "inbox_p95_ms", "event_p95_ms", "export_s", "pdf_s", "status_s", "retag_speedup_2_cores",
    "cli_help_import_s",
]
"""The names scripts rely on: never renamed."""


def documented_names() -> list[str]:
    """The names in the table of the "Headline figures" section of docs/benchmarks.md (before its
    subsections, which show results)."""
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    section = text.split("## Headline figures", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE)


def test_every_figure_of_the_issue_is_specified_and_documented():
    assert [spec.name for spec in SPECS] == ISSUE_NAMES
    assert documented_names() == ISSUE_NAMES


def test_the_json_of_a_run_that_measured_nothing_names_every_figure_null_with_a_reason(tmp_path):
    out = tmp_path / "figures.json"
    parts = "crawl,startup,retag,large-store,hosts"
    command = [sys.executable, "-m", "benchmarks", "--skip", parts, "--json", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))["figures"]
    assert list(figures) == documented_names()
    assert all(f["value"] is None and f["met"] is None and f["reason"] for f in figures.values())
    assert figures["retag_speedup_2_cores"]["reason"] == "skipped (--skip retag)"
    assert figures["inbox_p95_ms"]["reason"] == "skipped (--skip large-store)"
    assert "| `retag_speedup_2_cores` | – (skipped (--skip retag)) | >= 1.8× | not measured |" in done.stdout


def test_each_figure_is_judged_against_its_target_in_its_direction():
    figures = Figures()
    figures.add({"retag_speedup_2_cores": Measured(1.9, "3 rounds"), "cli_help_import_s": Measured(0.45)})
    verdicts = {name: figure["met"] for name, figure in figures.as_json()["figures"].items()}
    assert (verdicts["retag_speedup_2_cores"], verdicts["cli_help_import_s"]) == (True, False)
    table = figures.markdown()
    assert "| `retag_speedup_2_cores` | 1.90×; 3 rounds | >= 1.8× | met |" in table
    assert "| `cli_help_import_s` | 0.45 s | <= 0.3 s | **not met** |" in table


def test_a_part_cannot_report_a_figure_with_no_documented_name():
    with pytest.raises(KeyError, match="retag_speedup_4_cores"):
        Figures().add({"retag_speedup_4_cores": Measured(3.1)})


def test_the_help_import_time_adds_up_the_modules_imported_by_no_other():
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import json"],
                          capture_output=True, text=True, check=True)
    report = done.stderr.splitlines()
    lines = [line for line in report if line.startswith("import time:") and "[us]" not in line]
    json_us = next(int(line.split("|")[1]) for line in lines if line.endswith("| json"))
    every_line_us = sum(int(line.split("|")[1]) for line in lines)
    assert json_us / 1e6 <= import_seconds(done.stderr) < every_line_us / 1e6


def test_the_retag_speedup_is_the_median_rounds():
    def run(workers: int, seconds: float) -> RetagRun:
        return RetagRun(workers=workers, articles=2000, retag_s=seconds,
                        usage=usage(seconds + 2, seconds * 2), load_before=0.4)

    result = RetagResult(articles=2000, rounds=[(run(1, 20), run(2, 10)), (run(1, 20), run(2, 16)),
                                                (run(1, 21), run(2, 11))])
    measured = retag_figures(result)["retag_speedup_2_cores"]
    assert measured.value == pytest.approx(21 / 11)
    assert "one process 21.0 s, two workers 11.0 s" in measured.detail
    assert "rounds 2.00×, 1.25×, 1.91×" in measured.detail
