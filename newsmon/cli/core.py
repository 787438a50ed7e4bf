"""Foundation commands: ``db upgrade``, ``sources``, ``status``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import func, select

from config import load_sources
from newsmon.cli.app import app
from storage import schema
from storage.db import check_connection, database_url, redact, session_scope
from storage.models import Article, CrawlRun, Event
from storage.repository import last_runs, sync_sources

if TYPE_CHECKING:
    from newsmon.health import SourceHealth

db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")

console = Console()


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or migrate the schema of DATABASE_URL (default: the SQLite file in data/)."""
    sources = load_sources()
    check_connection()
    schema.upgrade(revision=revision)
    with session_scope() as session:
        sync_sources(session, sources)
    typer.echo(f"database {redact(database_url())} is at revision {schema.current_revision()}")


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision of the database."""
    check_connection()
    typer.echo(schema.current_revision() or "empty (run: newsmon db upgrade)")


sources_app = typer.Typer(help="Configured sources (config/sources.toml).", invoke_without_command=True)
app.add_typer(sources_app, name="sources")


@sources_app.callback()
def sources_list(ctx: typer.Context) -> None:
    """List the configured sources."""
    if ctx.invoked_subcommand is not None:
        return
    table = Table("id", "country", "time zone", "languages", "start points", "enabled")
    for source in load_sources().sources:
        hosts = [*source.start_urls, *source.feeds]
        if source.region_codes:
            hosts.append(f"regions: {', '.join(source.region_codes)}")
        table.add_row(
            source.id, source.country, source.timezone, ", ".join(source.languages), "\n".join(hosts),
            "yes" if source.enabled else "no",
        )
    console.print(table)


def require_schema() -> None:
    """Fail with a clear message when the database is unreachable or not migrated."""
    check_connection()
    if not schema.is_up_to_date():
        from newsmon.errors import UserError

        raise UserError(f"the database {redact(database_url())} is not up to date: run `newsmon db upgrade`")


@app.command("status")
def status(
    check: bool = typer.Option(
        False, "--check",
        help="For monitoring: print one line per unhealthy source and exit 1 if there is any.",
    ),
) -> None:
    """Per source: the last crawl run, articles stored, errors, health."""
    from newsmon.health import source_health, unhealthy

    sources = load_sources()
    require_schema()
    if check:
        with session_scope() as session:
            health = source_health(session, sources=sources)
        bad = unhealthy(health)
        for item in bad:
            typer.echo(f"{item.source_id}: {item.state}: {item.summary}")
        if bad:
            raise typer.Exit(1)
        typer.echo(f"ok: none of {len(health)} sources is unhealthy")
        return
    table = Table(
        "source", "last run", "status", "pages", "new", "updated", "errors", "articles", "relevant", "health"
    )
    with session_scope() as session:
        health_of = {item.source_id: item for item in source_health(session, sources=sources)}
        stored = dict(
            session.execute(select(Article.source_id, func.count()).group_by(Article.source_id)).all()
        )
        relevant = dict(
            session.execute(
                select(Article.source_id, func.count())
                .where(Article.relevance_label == "relevant")
                .group_by(Article.source_id)
            ).all()
        )
        for source in sources.sources:
            runs = last_runs(session, source.id, limit=1)
            run: CrawlRun | None = runs[0] if runs else None
            table.add_row(
                source.id,
                run.started_at.strftime("%Y-%m-%d %H:%M UTC") if run else "never",
                run.status if run else "-",
                str(run.pages_fetched) if run else "-",
                str(run.articles_new) if run else "-",
                str(run.articles_updated) if run else "-",
                _errors_text(run),
                str(stored.get(source.id, 0)),
                str(relevant.get(source.id, 0)),
                _health_text(health_of.get(source.id)),
            )
        events = session.scalar(select(func.count()).select_from(Event)) or 0
    console.print(table)
    typer.echo(f"{events} candidate events in {redact(database_url())}")


def _health_text(item: SourceHealth | None) -> str:
    if item is None:
        return "-"
    if item.healthy:
        return item.summary
    return f"[red]{escape(item.summary)}[/red]"


def _errors_text(run: CrawlRun | None) -> str:
    if run is None or not run.errors:
        return "0" if run else "-"
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted((run.errors_by_kind or {}).items()))
    return f"{run.errors} ({kinds})"
