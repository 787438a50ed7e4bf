"""``newsmon crawl`` and ``newsmon sources check``: the Scrapy crawlers from the command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from core.errors import UserError
from newsmon.cli.app import app
from newsmon.cli.core import require_schema, sources_app
from newsmon.cli.crawl_options import (
    Mirror,
    Sources,
    TagProcesses,
    date_option,
    mirror_option,
    politeness_option,
    selected_source_ids,
    tag_processes_option,
)
from newsmon.cli.tables import print_crawl_summary

console = Console()


@app.command("crawl")
def crawl(
    sources: Sources = None,
    since: Annotated[
        str | None, typer.Option(help="Backfill from this date (YYYY-MM-DD, inclusive).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Backfill up to this date (YYYY-MM-DD, inclusive).")
    ] = None,
    mirror: Mirror = None,
    refetch: Annotated[
        bool, typer.Option("--refetch", help="Fetch and re-tag articles that are stored already.")
    ] = False,
    jobdir: Annotated[
        Path | None,
        typer.Option(
            help="Folder of the resumable job state (default: <data dir>/jobs/<source>).", file_okay=False
        ),
    ] = None,
    no_resume: Annotated[
        bool, typer.Option("--no-resume", help="Keep no job state: a stopped crawl starts over.")
    ] = False,
    politeness: Annotated[
        str | None, typer.Option(help="auto (default: off for the mirror), config or off.")
    ] = None,
    distributed: Annotated[
        bool,
        typer.Option(
            "--distributed",
            help="Start the crawl runs for `newsmon worker` processes (needs REDIS_URL): queue the "
            "start requests in Redis once per run, fetch nothing here.",
        ),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait", help="With --distributed: wait until the workers finished the runs."),
    ] = False,
    tag_processes: TagProcesses = None,
) -> None:
    """Crawl sources into the database (incremental by default) and print what each crawl did.

    All sources run concurrently in this process. Ctrl-C stops gracefully; the next crawl of the
    source resumes where it stopped. With --distributed, workers on any machine do the crawling
    (docs/deployment.md).

    Example: `newsmon crawl mvd_kg --since 2025-01-01 --until 2025-01-15`
    """
    from crawlers.process import CrawlOptions, run_crawls
    from storage.db import session_scope
    from storage.repository import sync_sources

    since_date = date_option(since, "--since")
    until_date = date_option(until, "--until")
    if since_date and until_date and since_date > until_date:
        raise UserError(f"--since {since_date} is after --until {until_date}")
    politeness = politeness_option(politeness)
    taggers = tag_processes_option(tag_processes)
    source_ids = selected_source_ids(sources)
    if not source_ids:
        raise UserError("no enabled source to crawl (config/sources.toml)")
    if wait and not distributed:
        raise UserError("--wait goes with --distributed")
    if distributed:
        from newsmon.cli.worker import require_redis

        require_redis()
    require_schema()
    from config import load_sources

    with session_scope() as session:
        sync_sources(session, load_sources())
    if distributed:
        from newsmon.cli.worker import seed

        seed(source_ids, since_date, until_date, mirror_option(mirror), refetch, politeness, wait)
        return
    options = CrawlOptions(
        sources=source_ids,
        since=since_date,
        until=until_date,
        mirror=mirror_option(mirror),
        refetch=refetch,
        jobdir=jobdir,
        resumable=not no_resume,
        politeness=politeness,
        trigger=os.environ.get("NEWSMON_RUN_TRIGGER") or "manual",
        settings={"NEWSMON_TAG_PROCESSES": taggers},
    )
    outcomes = run_crawls(options)
    print_crawl_summary(console, outcomes)
    if any(outcome.status not in ("finished",) for outcome in outcomes):
        raise typer.Exit(1)


CHECK_MIN_TEXT_CHARS = 120
"""A checked article's body must be this long: more than a caption or a cookie notice, less than
an outlet's two-sentence brief (148 characters on vb.kg; heading, date and share links no longer
count since #18)."""


@sources_app.command("check")
def sources_check(
    sources: Sources = None,
    live: Annotated[bool, typer.Option("--live", help="Fetch from the real sites (needs internet).")] = False,
    mirror: Mirror = None,
) -> None:
    """Per source, fetch one feed/listing and one article and say whether discovery, dates and
    text extraction still work. Nothing is stored.

    Example: `newsmon sources check --live polisia_kz`
    """
    from crawlers.process import CrawlOptions, run_crawls

    if not live and not mirror:
        raise UserError("sources check fetches pages: pass --live (the real sites) or --mirror URL")
    source_ids = selected_source_ids(sources)
    options = CrawlOptions(
        sources=source_ids, mirror=mirror_option(mirror), check=True, resumable=False, trigger="check"
    )
    outcomes = run_crawls(options)
    table = Table("source", "discovery", "article", "date", "text", "verdict")
    failed = False
    for outcome in outcomes:
        report = outcome.check or {}
        found = report.get("discovery") or {}
        article = report.get("article") or {}
        errors = report.get("errors") or []
        discovery_ok = bool(found.get("links"))
        date_ok = bool(article.get("site_date")) or (
            bool(article) and not article.get("date_uncertain", True)
        )
        text_ok = article.get("extraction") == "ok" and article.get("text_chars", 0) >= CHECK_MIN_TEXT_CHARS
        ok = discovery_ok and date_ok and text_ok
        failed = failed or not ok
        discovery = "nothing found"
        if found:
            discovery = (
                f"{found.get('links', 0)} links ({found.get('dated', 0)} dated) via {found.get('via')}"
            )
            discovery += f"\n{found.get('channel')}"
        if errors:
            discovery += "\n" + "\n".join(f"{e['kind']}: {e.get('url') or ''}" for e in errors[:3])
        table.add_row(
            outcome.source_id,
            escape(discovery),
            escape(article.get("url") or article.get("error") or "-"),
            escape(str(article.get("site_date") or ("uncertain" if article else "-"))),
            f"{article.get('text_chars', 0)} chars, {article.get('extraction', '-')}",
            "[green]ok[/green]" if ok else "[red]BROKEN[/red]",
        )
    console.print(table)
    if failed:
        raise typer.Exit(1)

