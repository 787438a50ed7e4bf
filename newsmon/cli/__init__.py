"""The ``newsmon`` console command.

Each command group lives in its own module under ``newsmon.cli`` and registers itself on the
shared :data:`newsmon.cli.app.app`; :data:`COMMAND_MODULES` lists them. :func:`main` turns user
errors (bad configuration, unreachable database, bad arguments) into one line and a non-zero exit.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer

import newsmon
from core.errors import UserError
from newsmon.cli.app import app

COMMAND_MODULES = (
    "newsmon.cli.tag",
    "newsmon.cli.core",
    "newsmon.cli.demo",
    "newsmon.cli.crawl",
    "newsmon.cli.worker",
    "newsmon.cli.release",
    "newsmon.cli.schedule",
    "newsmon.cli.review",
    "newsmon.cli.model",
    "newsmon.cli.report",
)

for _module in COMMAND_MODULES:
    importlib.import_module(_module)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"newsmon {newsmon.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Log debug details (other libraries from info)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Log warnings and errors only."),
    log_file: Annotated[
        Path | None,
        typer.Option("--log-file", help="Also log to this file (rotated at 10 MB, 5 kept).", dir_okay=False),
    ] = None,
    log_json: bool = typer.Option(False, "--log-json", help="Log JSON objects instead of key=value lines."),
) -> None:
    """News monitoring for the bi-weekly anti-drug Information Release."""
    from newsmon.logs import configure_logging

    configure_logging(verbose=verbose, quiet=quiet, log_file=log_file, json_lines=log_json)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a :class:`UserError` becomes ``newsmon: error: …`` on stderr and exit code 2.

    Usage errors are Typer's own (a message and exit code 2); anything else is a bug and keeps
    its traceback.
    """
    try:
        app(args=argv, prog_name="newsmon")
    except UserError as exc:
        print(f"newsmon: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def run() -> None:
    sys.exit(main())
