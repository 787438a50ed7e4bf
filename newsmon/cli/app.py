"""The root Typer application; command modules attach their commands and groups to it.

Help is rendered as Markdown, so a docstring's hard-wrapped lines flow as sentences and
`code` shows as code (write placeholders as CAPITALS, not ``<angle brackets>``, which Markdown
takes for HTML).
"""

from typing import Any, Final

import typer

HELP_MODE: Final = "markdown"


def group(**settings: Any) -> typer.Typer:
    """A command group with the application's help settings."""
    return typer.Typer(
        rich_markup_mode=HELP_MODE, add_completion=False, pretty_exceptions_enable=False, **settings
    )


app = group(
    name="newsmon",
    help="News monitoring for the bi-weekly Information Release about past events in the anti-drug sphere.",
    no_args_is_help=True,
)
