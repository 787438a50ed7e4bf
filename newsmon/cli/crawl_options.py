"""Arguments and options shared by ``newsmon crawl``, ``newsmon sources check`` and ``newsmon worker``,
with their validation (one-line user errors)."""

from __future__ import annotations

import os
from datetime import date
from typing import Annotated

import typer

from core.errors import UserError

Sources = Annotated[list[str] | None, typer.Argument(help="Source ids (default: every enabled source).")]
Mirror = Annotated[
    str | None,
    typer.Option(
        "--mirror", help="Use the offline mirror at this URL (http://127.0.0.1:PORT), not the sites."
    ),
]
TagProcesses = Annotated[
    str | None,
    typer.Option(
        "--tag-processes",
        help="Worker processes that tag pages while the crawl fetches and stores: auto (one less "
        "than the cores, at most 4) or a number, 0 = in the crawl process. "
        "Default: NEWSMON_TAG_PROCESSES or auto.",
    ),
]
POLITENESS_MODES = ("auto", "config", "off")


def date_option(value: str | None, name: str) -> date | None:
    """An ISO date option (``--since``, ``--until``), None when not given."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UserError(f"{name} must be a date like 2025-01-15, not {value!r}") from exc


def mirror_option(value: str | None) -> str | None:
    """The ``--mirror`` base URL without its trailing slash."""
    if value is None:
        return None
    if not value.startswith(("http://", "https://")):
        raise UserError(f"--mirror must be the mirror's base URL like http://127.0.0.1:8080, not {value!r}")
    return value.rstrip("/")


def politeness_option(value: str | None) -> str | None:
    """The ``--politeness`` mode, checked."""
    if value is not None and value not in POLITENESS_MODES:
        raise UserError(f"--politeness must be auto, config or off, not {value!r}")
    return value


def selected_source_ids(requested: list[str] | None) -> list[str]:
    """The requested source ids (checked against ``sources.toml``), or every enabled source."""
    from config import load_sources

    configured = load_sources()
    if not requested:
        return [source.id for source in configured.sources if source.enabled]
    for source_id in requested:
        configured.source(source_id)  # a ConfigError naming the known ids
    return list(dict.fromkeys(requested))


def tag_processes_option(value: str | None) -> int:
    """The validated ``--tag-processes`` (or ``NEWSMON_TAG_PROCESSES``) value."""
    from crawlers.tagging import tag_processes

    try:
        return tag_processes(value if value is not None else os.environ.get("NEWSMON_TAG_PROCESSES"))
    except ValueError as exc:
        raise UserError(
            str(exc).replace("NEWSMON_TAG_PROCESSES", "--tag-processes (NEWSMON_TAG_PROCESSES)")
        ) from exc
