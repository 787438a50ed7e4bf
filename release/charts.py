"""Trend charts: events and quantities seized per period, one row of two panels per country.

Drawn with matplotlib (the Agg renderer; no screen needed). In SVG the words stay text (periods on
the axis, the count over each bar), so a chart can be searched, read by a screen reader and checked
by a test. CSV gives the same numbers as a table.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.period import Period
from storage.trends import TrendPoint

if TYPE_CHECKING:
    from matplotlib.axes import Axes

FORMATS = ("svg", "png", "csv")
_KG = 1000.0


def chart_title(by: str, first: Period, last: Period, scope: str) -> str:
    """The heading of a trend chart: what it counts, over which periods, of which events."""
    what = "Events by topic" if by == "topic" else "Events and quantities by substance"
    return f"{what}, {first.key} to {last.key} ({scope})"


def chart_bytes(
    points: Sequence[TrendPoint], fmt: str, *, title: str, country_names: dict[str, str], by: str = "topic"
) -> bytes:
    """The chart (or table) of ``points`` in ``fmt``. Grouped ``by`` topic, each event is in one
    group and the bars' totals are the events; by substance an event naming two substances is in
    both, so no total is printed."""
    if fmt == "csv":
        return _csv(points)
    if fmt not in ("svg", "png"):
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return _figure(points, fmt, title=title, country_names=country_names, totals=by == "topic")


def write_chart(
    points: Sequence[TrendPoint],
    fmt: str,
    directory: Path,
    *,
    title: str,
    country_names: dict[str, str],
    by: str = "topic",
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"trends-{by}.{fmt}"
    path.write_bytes(chart_bytes(points, fmt, title=title, country_names=country_names, by=by))
    return path


def _csv(points: Sequence[TrendPoint]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["period", "period_text", "country", "group", "events", "grams"])
    for point in points:
        grams = f"{point.grams:.3f}".rstrip("0").rstrip(".")
        writer.writerow(
            [point.period.key, point.period.text, point.country, point.group, point.events, grams]
        )
    return buffer.getvalue().encode("utf-8")


def _figure(
    points: Sequence[TrendPoint], fmt: str, *, title: str, country_names: dict[str, str], totals: bool
) -> bytes:
    # The object API, not pyplot: no global figure state, so the review server may draw charts
    # for two requests at once.
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text in SVG
    matplotlib.rcParams["svg.hashsalt"] = "newsmon"  # the same chart gives the same file

    periods = sorted({p.period for p in points})
    countries = sorted({p.country for p in points}) or ["—"]
    # One colour per group in every panel: "heroin" is the same colour for every country.
    colours = {group: f"C{index % 10}" for index, group in enumerate(sorted({p.group for p in points}))}
    figure = Figure(figsize=(13, 3.2 * len(countries) + 0.8), layout="constrained")
    axes = figure.subplots(len(countries), 2, squeeze=False)
    figure.suptitle(title, fontsize=13)
    for row, country in enumerate(countries):
        mine = [p for p in points if p.country == country]
        name = country_names.get(country, country)
        _events_panel(axes[row][0], mine, periods, name, colours, totals=totals)
        _grams_panel(axes[row][1], mine, periods, name, colours)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=110, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def _by_group(points: Sequence[TrendPoint], periods: Sequence[Period], value: str) -> dict[str, list[float]]:
    series: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(periods))
    index = {period: i for i, period in enumerate(periods)}
    for point in points:
        series[point.group][index[point.period]] += point.events if value == "events" else point.grams / _KG
    return dict(sorted(series.items()))


MAX_LABELLED_PERIODS = 24


def _axis(ax: Axes, periods: Sequence[Period]) -> None:
    """Every period on the axis; past two years of them, a label on every other one."""
    step = 1 if len(periods) <= MAX_LABELLED_PERIODS else 2
    ax.set_xticks(range(len(periods)))
    ax.set_xticklabels(
        [p.key if i % step == 0 else "" for i, p in enumerate(periods)], rotation=60, ha="right", fontsize=8
    )


def _events_panel(
    ax: Axes,
    points: Sequence[TrendPoint],
    periods: Sequence[Period],
    country: str,
    colours: dict[str, str],
    *,
    totals: bool,
) -> None:
    series = _by_group(points, periods, "events")
    bottom = [0.0] * len(periods)
    for group, values in series.items():
        ax.bar(range(len(periods)), values, bottom=bottom, label=group, color=colours[group])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for x, total in enumerate(bottom):
        if total and totals:
            ax.annotate(f"{total:g}", (x, total), ha="center", va="bottom", fontsize=8)
    ax.set_title(f"{country}: events")
    ax.set_ylabel("events" if totals else "events naming it")
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(y=0.2)
    _axis(ax, periods)
    if series:
        ax.legend(fontsize=7, ncols=2)


def _grams_panel(
    ax: Axes, points: Sequence[TrendPoint], periods: Sequence[Period], country: str, colours: dict[str, str]
) -> None:
    series = _by_group(points, periods, "grams")
    for group, values in series.items():
        if any(values):
            ax.plot(range(len(periods)), values, marker="o", label=group, color=colours[group])
    ax.set_title(f"{country}: quantities seized")
    ax.set_ylabel("kg")
    _axis(ax, periods)
    if any(any(v) for v in series.values()):
        ax.legend(fontsize=7, ncols=2)
