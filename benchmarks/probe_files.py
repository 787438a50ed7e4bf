"""The files :mod:`benchmarks.probe` leaves: ``<probe>.<pid>.json``, one per process of a crawl.

Kept apart from the probe itself, which patches the crawl's storage pipeline when imported.
"""

from __future__ import annotations

import json
from pathlib import Path


def read_totals(probe: Path) -> dict[str, float]:
    """CPU seconds per stage, added up over the processes that wrote ``<probe>.<pid>.json``."""
    totals: dict[str, float] = {}
    for part in sorted(probe.parent.glob(f"{probe.name}.*.json")):
        for stage, seconds in json.loads(part.read_text("utf-8"))["cpu_s"].items():
            totals[stage] = totals.get(stage, 0.0) + float(seconds)
    return totals


def peak_rss_mb(probe: Path) -> float:
    """The peak resident memory of each process of the crawl, added up (0 without probe files)."""
    parts = probe.parent.glob(f"{probe.name}.*.json")
    return sum(json.loads(part.read_text("utf-8")).get("peak_rss_kb", 0) for part in parts) / 1024


def clear_probe(probe: Path) -> None:
    """Remove the files of an earlier crawl."""
    for part in probe.parent.glob(f"{probe.name}.*.json"):
        part.unlink()
