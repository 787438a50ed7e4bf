"""The benchmark's headline figures: stable names, their targets, and the JSON of a run.

Every figure the issue tracker and the README quote has one entry in :data:`SPECS`: its name
(stable across versions: scripts compare runs by it), the part of the benchmark that measures it,
the target and which way it must be met. A part hands its measurements over as a mapping from
name to :class:`Measured`; :class:`Figures` collects them, and any figure no part measured is
``null`` with the reason. To plug in a new part: add its specs here (and to docs/benchmarks.md,
whose list a test compares with this one), and one ``figures.add(part.figures(result))`` in
``benchmarks/__main__.py``.

    python -m benchmarks --json figures.json
"""

from __future__ import annotations

import json
import math
import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

Comparison = Literal["<=", ">="]
JSON_FORMAT = 1
"""Bumped only if the layout of the JSON changes (names are never reused for another meaning)."""


@dataclass(frozen=True)
class Spec:
    """One headline figure."""

    name: str
    part: str
    """The part of the benchmark that measures it (``--skip PART`` leaves it null)."""
    comparison: Comparison
    target: float
    unit: str
    what: str


SPECS: tuple[Spec, ...] = (
    Spec("cpu_per_article_vs_peer", "crawl", "<=", 1.0, "×",
         "newsmon's CPU per article over the peer's (trafilatura's feed crawler), same sources and mirror"),
    Spec("articles_per_s_vs_peer", "crawl", ">=", 2.0, "×",
         "newsmon's articles per second over the peer's"),
    Spec("peak_rss_vs_peer", "crawl", "<=", 2.0, "×",
         "newsmon's peak memory (its processes' peaks added up) over the peer's"),
    Spec("cpu_vs_scrapy_plus_floor", "crawl", "<=", 1.5, "×",
         "newsmon's CPU per additional article over Scrapy alone + the floor (bare trafilatura)"),
    Spec("inbox_p95_ms", "large-store", "<=", 150.0, "ms",
         "95th percentile of the inbox page of a period, 1,000,000 articles stored"),
    Spec("event_p95_ms", "large-store", "<=", 150.0, "ms",
         "95th percentile of an event page, 1,000,000 articles stored"),
    Spec("export_s", "large-store", "<=", 1.0, "s",
         "`newsmon export` of a period, 1,000,000 articles stored"),
    Spec("pdf_s", "large-store", "<=", 10.0, "s",
         "`newsmon release build --format pdf`, 1,000,000 articles stored"),
    Spec("status_s", "large-store", "<=", 1.0, "s", "`newsmon status`, 1,000,000 articles stored"),
    Spec("retag_speedup_2_cores", "retag", ">=", 1.8, "×",
         "wall time of `newsmon retag` with one process over two worker processes, same store"),
    Spec("cli_help_import_s", "startup", "<=", 0.3, "s",
         "imports of `newsmon --help` (`python -X importtime`, median of runs)"),
)
SPEC = {spec.name: spec for spec in SPECS}
EXTRA_PARTS = ("hosts",)
"""Parts whose figures have no single target: they go into the JSON's ``extra`` (the many-hosts
benchmark: articles/s and CPU use per number of hosts, and where the CPU would take over)."""
PARTS = tuple(dict.fromkeys(spec.part for spec in SPECS)) + EXTRA_PARTS


@dataclass(frozen=True)
class Measured:
    """What a part measured for one figure: a value, or None and why not."""

    value: float | None
    detail: str = ""
    """How it was measured, in a few words (sizes, rounds, the machine's load)."""
    reason: str | None = None
    """Why there is no value (None when there is one)."""

    @classmethod
    def missing(cls, reason: str, detail: str = "") -> Measured:
        return cls(value=None, detail=detail, reason=reason)


@dataclass(frozen=True)
class Figure:
    spec: Spec
    measured: Measured

    @property
    def met(self) -> bool | None:
        """Whether the target is met (None without a value)."""
        value = self.measured.value
        if value is None or math.isnan(value):
            return None
        return value <= self.spec.target if self.spec.comparison == "<=" else value >= self.spec.target

    def as_json(self) -> dict[str, Any]:
        value = self.measured.value
        return {
            "value": None if value is None or math.isnan(value) else round(value, 4),
            "unit": self.spec.unit,
            "target": self.spec.target,
            "comparison": self.spec.comparison,
            "met": self.met,
            "reason": self.measured.reason if value is not None else self.measured.reason or "not measured",
            "detail": self.measured.detail,
            "part": self.spec.part,
        }


@dataclass
class Figures:
    """The figures of one run, as the parts report them."""

    measured: dict[str, Measured] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    """Part -> why it did not run."""
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    load_before: tuple[float, float, float] = field(default_factory=os.getloadavg)
    extra: dict[str, object] = field(default_factory=dict)
    """Figures of the :data:`EXTRA_PARTS`, by name, as those parts report them."""

    def add(self, measured: Mapping[str, Measured]) -> None:
        """A part's measurements (only documented names: an unknown one is a bug of the part)."""
        unknown = sorted(set(measured) - set(SPEC))
        if unknown:
            raise KeyError(f"figures with no spec in benchmarks.figures.SPECS: {unknown}")
        self.measured.update(measured)

    def skip(self, part: str, reason: str) -> None:
        """Every figure of ``part`` is null, for ``reason``."""
        if part not in PARTS:
            raise KeyError(f"no benchmark part {part!r}; parts: {', '.join(PARTS)}")
        self.skipped[part] = reason

    def figures(self) -> list[Figure]:
        out = []
        for spec in SPECS:
            measured = self.measured.get(spec.name)
            if measured is None:
                reason = self.skipped.get(spec.part) or f"not measured: no {spec.part} benchmark reported it"
                measured = Measured.missing(reason)
            out.append(Figure(spec, measured))
        return out

    def as_json(self, command: str = "") -> dict[str, Any]:
        return {
            "format": JSON_FORMAT,
            "measured_at": self.started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "command": command,
            "machine": {
                "cores": os.cpu_count(),
                "python": f"{platform.python_implementation()} {platform.python_version()}",
                "load_average_before": [round(x, 2) for x in self.load_before],
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
            },
            "figures": {figure.spec.name: figure.as_json() for figure in self.figures()},
            "extra": self.extra,
            "skipped": self.skipped,
        }

    def write_json(self, path: Path, command: str = "") -> None:
        text = json.dumps(self.as_json(command), indent=2, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")

    def markdown(self) -> str:
        """The figures with their targets, met or not (or why not measured)."""
        lines = ["| figure | measured | target | met |", "| --- | --- | --- | --- |"]
        for figure in self.figures():
            spec, measured = figure.spec, figure.measured
            target = f"{spec.comparison} {spec.target:g}{_unit(spec.unit)}"
            if measured.value is None or figure.met is None:
                shown = f"– ({measured.reason or 'not measured'})"
                verdict = "not measured"
            else:
                shown = f"{measured.value:.2f}{_unit(spec.unit)}"
                verdict = "met" if figure.met else "**not met**"
            if measured.detail:
                shown += f"; {measured.detail}"
            lines.append(f"| `{spec.name}` | {shown} | {target} | {verdict} |")
        return "\n".join(lines)


def _unit(unit: str) -> str:
    return unit if unit == "×" else f" {unit}"
