"""``newsmon report``: reports drawn from the desk's data (trend charts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from core.errors import UserError
from newsmon.cli.app import app, group

report_app = group(
    help="Reports drawn from the desk's data: trend charts.\n\n"
    "Example: `newsmon report trends --from 2025-1 --to 2025-12`",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")


@report_app.command("trends")
def trends(
    first: Annotated[str, typer.Option("--from", help="First period, YEAR-NUMBER (2025-1) or 1-15.01.2025.")],
    last: Annotated[str, typer.Option("--to", help="Last period, same spellings.")],
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Only this section country (repeat for more).")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Group by topic or substance.")] = "topic",
    fmt: Annotated[str, typer.Option("--format", help="svg, png or csv.")] = "svg",
    scope: Annotated[
        str, typer.Option("--events", help="accepted, or candidates (also events not yet reviewed).")
    ] = "accepted",
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the chart into.")] = Path(
        "out/trends"
    ),
) -> None:
    """Draw events and quantities seized per period, country and topic or substance.

    Writes `trends-topic.svg` (or `trends-substance.png`, `.csv`) into the folder and prints its path.

    Example: `newsmon report trends --from 2025-1 --to 2025-24 --by substance --format png -o out`
    """
    from core.period import Period, PeriodError
    from newsmon.cli.core import require_schema
    from release.charts import FORMATS, chart_title, write_chart
    from release.settings import load_release_settings
    from storage.db import session_scope
    from storage.trends import GROUPINGS, SCOPES, trend_points

    try:
        start, end = Period.parse(first), Period.parse(last)
    except PeriodError as exc:
        raise UserError(str(exc)) from exc
    if start > end:
        raise UserError(f"--from {start.key} is after --to {end.key}")
    for value, allowed, option in (
        (by, GROUPINGS, "--by"),
        (fmt, FORMATS, "--format"),
        (scope, SCOPES, "--events"),
    ):
        if value not in allowed:
            raise UserError(f"{option} must be one of {', '.join(allowed)}, not {value!r}")
    require_schema()
    with session_scope() as session:
        points = trend_points(session, start, end, by=by, countries=country or [], scope=scope)
    settings = load_release_settings()
    names = settings.short_names("en")
    title = chart_title(by, start, end, scope)
    try:
        path = write_chart(points, fmt, output, title=title, country_names=names, by=by)
    except OSError as exc:
        raise UserError(f"cannot write into {output}: {exc.strerror}") from exc
    typer.echo(str(path))
    if not any(p.events for p in points):
        typer.echo(f"no {scope} events in {start.key}..{end.key}: the chart is empty", err=True)
