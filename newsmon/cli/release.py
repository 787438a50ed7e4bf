"""Release commands: ``release build``, ``release summary`` and ``export``."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import typer

from core.errors import UserError
from newsmon.cli.app import app, group
from newsmon.cli.core import require_schema

release_app = group(help="Build the Information Release of a period.", no_args_is_help=True)
app.add_typer(release_app, name="release")

YEAR = typer.Option(..., "--year", "-y", help="Year of the release, e.g. 2025.")
NUMBER = typer.Option(
    ..., "--number", "-n", help="Release number 1–24 (#1 = 1–15 January, #2 = 16–31 January …)."
)
EDITION = typer.Option("en", "--edition", "-e", help="en (analysts' English texts) or ru (original texts).")
FORMATS = typer.Option(
    ["all"], "--format", "-f", help="pdf, docx, html, md or all; repeat the option for several."
)
DRAFT = typer.Option(
    False, "--draft", help="Build even if events lack the edition's headline or text; the gaps are marked."
)
OUT_DIR = typer.Option(
    None, "--out-dir", "-o", help="Folder to write to (default: output.directory in config/release.toml)."
)
EXPORT_FORMAT = typer.Option("json", "--format", "-f", help="json or csv.")
OUTPUT = typer.Option(None, "--output", "-o", help="File to write (default: standard output).")


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "system:cli"


@release_app.command("build")
def build(
    year: int = YEAR,
    number: int = NUMBER,
    formats: list[str] = FORMATS,
    edition: str = EDITION,
    draft: bool = DRAFT,
    out_dir: Path | None = OUT_DIR,
) -> None:
    """Render the accepted events of a period and print the paths of the files written.

    Example: `newsmon release build --year 2025 --number 1 --format pdf --edition en -o out/`
    """
    from release.builder import build_release, check_edition, parse_formats
    from storage.db import session_scope

    check_edition(edition)
    wanted = parse_formats(formats)
    require_schema()
    with session_scope() as session:
        paths = build_release(session, year, number, wanted, edition, draft, out_dir, actor=_actor())
    for path in paths:
        typer.echo(str(path))


@release_app.command("summary")
def summary(year: int = YEAR, number: int = NUMBER, edition: str = EDITION) -> None:
    """Print the summary and topic sentences the release will carry, and its events in order.

    Example: `newsmon release summary --year 2025 --number 1 --edition ru`
    """
    from release.builder import assemble_release, check_edition
    from release.summary import plain
    from storage.db import session_scope

    check_edition(edition)
    require_schema()
    with session_scope() as session:
        doc = assemble_release(session, year, number, edition, draft=True)
    typer.echo(plain(doc.summary))
    if doc.topic_paragraph:
        typer.echo("")
        typer.echo(plain(doc.topic_paragraph))
    for section in doc.sections:
        typer.echo("")
        typer.echo(section.title)
        for entry in section.entries:
            gaps = f"  [missing: {', '.join(entry.missing)}]" if entry.missing else ""
            typer.echo(f"  #{entry.event_id} {entry.published or '?'} {entry.headline}{gaps}")


@app.command("export")
def export(
    year: int = YEAR,
    number: int = NUMBER,
    fmt: str = EXPORT_FORMAT,
    edition: str = EDITION,
    output: Path | None = OUTPUT,
    format_version: int = typer.Option(
        2, "--format-version", help="2 (events with their ids and facts) or 1 (the earlier format)"
    ),
) -> None:
    """Export the accepted events of a period (format newsmon.release-events, docs/export-format.md).

    Example: `newsmon export --year 2025 --number 1 --format json -o events.json`
    """
    from release.builder import check_edition
    from release.export import EXPORT_FORMATS, export_events, serialise
    from storage.db import session_scope

    fmt = fmt.lower()
    if fmt not in EXPORT_FORMATS:
        raise UserError(f"unknown export format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
    check_edition(edition)
    require_schema()
    with session_scope() as session:
        text = serialise(export_events(session, year, number, edition, version=format_version), fmt)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror}") from exc
    typer.echo(str(output))
