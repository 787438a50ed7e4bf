"""The root Typer application; command modules attach their commands and groups to it."""

import typer

app = typer.Typer(
    name="newsmon",
    help="News monitoring for the bi-weekly Information Release about past events in the anti-drug sphere.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
