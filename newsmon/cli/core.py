"""Foundation commands: ``db upgrade``, ``sources``, ``status``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from newsmon.cli.app import app, group
from newsmon.cli.tables import Column, print_fitted

if TYPE_CHECKING:
    from storage.health import SourceHealth
    from storage.models import CrawlRun

# Database and configuration modules are imported inside the commands: `newsmon --help` and
# commands that need neither start without loading SQLAlchemy, Alembic or pydantic models.

db_app = group(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")

console = Console()


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or migrate the schema of DATABASE_URL (default: the SQLite file in data/).

    Example: `newsmon db upgrade`
    """
    from config import load_sources
    from storage import schema
    from storage.db import check_connection, database_url, redact, session_scope
    from storage.repository import sync_sources

    sources = load_sources()
    check_connection(create=True)
    schema.upgrade(revision=revision)
    with session_scope() as session:
        sync_sources(session, sources)
    typer.echo(f"database {redact(database_url())} is at revision {schema.current_revision()}")


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision of the database.

    Example: `newsmon db current`
    """
    from storage import schema
    from storage.db import check_connection

    check_connection()
    typer.echo(schema.current_revision() or "empty (run: newsmon db upgrade)")


sources_app = group(
    help="Configured sources (config/sources.toml).\n\nExample: `newsmon sources --json`",
    invoke_without_command=True,
)
app.add_typer(sources_app, name="sources")


@sources_app.callback()
def sources_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (one object per source) for scripts."),
) -> None:
    """List the configured sources.

    Example: `newsmon sources --json`
    """
    if ctx.invoked_subcommand is not None:
        return
    from crawlers.registry import require_spiders

    sources = [registered.config for registered in require_spiders()]
    if as_json:
        dumped = [
            {**source.model_dump(mode="json"), "regional_hosts": source.regional_hosts} for source in sources
        ]
        typer.echo(json.dumps(dumped, ensure_ascii=False, indent=2))
        return
    rows = []
    for source in sources:
        starts = [*source.start_urls, *source.feeds]
        hosts = ", ".join([*source.hosts, *source.regional_hosts])
        rows.append(
            [source.id, source.country, source.timezone, ", ".join(source.languages), hosts,
             "\n".join(starts), "yes" if source.enabled else "no"]
        )
    columns = [
        Column("id"), Column("country"), Column("time zone", priority=3), Column("languages", priority=2),
        Column("hosts", wrap=True), Column("start points", wrap=True, priority=2),
        Column("enabled", priority=4),
    ]
    print_fitted(console, columns, rows, hint="; --json has everything")


def require_schema() -> None:
    """Fail with a clear message when the database is unreachable or not migrated."""
    from storage import schema

    schema.require_current()


@app.command("status")
def status(
    check: bool = typer.Option(
        False, "--check",
        help="For monitoring: print one line per source that is unhealthy, degraded (crawled "
        "generically: its markup changed) or never crawled, and exit 1 if there is any.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Per source: the last crawl run, articles stored, errors, health.

    Example: `DATABASE_URL=sqlite:///data/demo.sqlite newsmon status`
    """
    from config import load_sources
    from storage.db import database_url, redact, session_scope
    from storage.health import source_health, unhealthy
    from storage.repository import last_runs
    from storage.stats import stored_counts

    sources = load_sources()
    require_schema()
    if check:
        with session_scope() as session:
            health = source_health(session, sources=sources)
        bad = unhealthy(health)
        for item in bad:
            detail = "" if item.summary == item.state else f": {item.summary}"
            typer.echo(f"{item.source_id}: {item.state}{detail}")
        if bad:
            raise typer.Exit(1)
        typer.echo(f"ok: none of {len(health)} sources is unhealthy")
        return
    rows: list[dict[str, Any]] = []
    with session_scope() as session:
        health_of = {item.source_id: item for item in source_health(session, sources=sources)}
        counts = stored_counts(session)
        for source in sources.sources:
            runs = last_runs(session, source.id, limit=1)
            run: CrawlRun | None = runs[0] if runs else None
            verdict: SourceHealth | None = health_of.get(source.id)
            rows.append(
                {
                    "source": source.id,
                    "last_run": run.started_at.isoformat() if run else None,
                    "status": run.status if run else None,
                    "pages": run.pages_fetched if run else None,
                    "new": run.articles_new if run else None,
                    "updated": run.articles_updated if run else None,
                    "errors": run.errors if run else None,
                    "errors_by_kind": dict(run.errors_by_kind or {}) if run else {},
                    "articles": counts.articles.get(source.id, 0),
                    "relevant": counts.relevant.get(source.id, 0),
                    "healthy": verdict.healthy if verdict else None,
                    "health": verdict.summary if verdict else None,
                    "_run": run,
                    "_health": verdict,
                }
            )
        events = counts.events
    if as_json:
        public = [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]
        typer.echo(json.dumps({"sources": public, "candidate_events": events}, ensure_ascii=False, indent=2))
        return
    columns = [
        Column("source"), Column("last run", priority=2), Column("status"), Column("pages", priority=5),
        Column("new", priority=2), Column("updated", priority=5), Column("errors", priority=3, wrap=True),
        Column("articles", priority=3), Column("relevant", priority=4), Column("health", wrap=True),
    ]
    table_rows = [
        [
            row["source"],
            row["_run"].started_at.strftime("%Y-%m-%d %H:%M") if row["_run"] else "never",
            row["status"] or "-",
            _number(row["pages"]),
            _number(row["new"]),
            _number(row["updated"]),
            _errors_text(row["_run"]),
            str(row["articles"]),
            str(row["relevant"]),
            _health_text(row["_health"]),
        ]
        for row in rows
    ]
    print_fitted(console, columns, table_rows, hint="; --json has everything")
    typer.echo(f"{events} candidate events in {redact(database_url())} (times in UTC)")


def _number(value: int | None) -> str:
    return "-" if value is None else str(value)


def _health_text(item: SourceHealth | None) -> str:
    if item is None:
        return "-"
    if item.healthy:
        return item.summary
    return f"[red]{escape(item.summary)}[/red]"


def _errors_text(run: CrawlRun | None) -> str:
    """A run's errors as the crawl's own table prints them (``-`` without a run)."""
    from crawlers.outcomes import errors_text

    return "-" if run is None else errors_text(run.errors or 0, dict(run.errors_by_kind or {}))
