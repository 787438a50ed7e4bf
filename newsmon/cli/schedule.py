"""Operations commands: ``schedule`` (the unattended scheduler), ``schedule jobs``, ``retag``."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newsmon.cli.app import app, group
from newsmon.cli.core import require_schema

console = Console()

schedule_app = group(
    help="Run the scheduler: crawls per config/schedules.toml, retries, period-end drafts.\n\n"
    "Example: `newsmon schedule --mirror http://127.0.0.1:8088`",
    invoke_without_command=True,
)
app.add_typer(schedule_app, name="schedule")


@schedule_app.callback()
def schedule(
    ctx: typer.Context,
    mirror: str | None = typer.Option(
        None, "--mirror", help="Crawl the offline mirror at this URL instead of the real sites."
    ),
) -> None:
    """Run the scheduler in the foreground until SIGTERM or Ctrl-C.

    Jobs are kept in the database (DATABASE_URL), so a restart keeps them; runs missed while
    the machine slept are made up once or skipped (misfire grace), never fired in a burst.
    On SIGTERM/SIGINT running crawls get [scheduler].shutdown_grace_s to finish, then are
    stopped and their runs marked interrupted; a second signal stops them at once.

    Example: `newsmon schedule --mirror http://127.0.0.1:8088`
    """
    if ctx.invoked_subcommand is not None:
        return
    from config import load_sources
    from config.schedules import load_schedules
    from newsmon.scheduler.service import run_forever
    from storage.db import session_scope
    from storage.repository import sync_sources

    sources = load_sources()
    schedules = load_schedules()
    require_schema()
    with session_scope() as session:
        sync_sources(session, sources)
    run_forever(schedules=schedules, sources=sources, mirror=mirror)


@schedule_app.command("jobs")
def jobs() -> None:
    """List the scheduled jobs with their next run time (desk time), as stored in the database.

    Example: `newsmon schedule jobs`
    """
    from apscheduler.schedulers.base import BaseScheduler

    from config import load_sources
    from config.schedules import load_schedules
    from newsmon.scheduler.service import configured_jobs, create_scheduler

    sources = load_sources()
    schedules = load_schedules()
    require_schema()
    scheduler: BaseScheduler = create_scheduler(schedules, background=True)
    scheduler.start(paused=True)
    try:
        stored = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    zone = schedules.scheduler.zone
    table = Table("job", "what", f"when ({schedules.scheduler.timezone})", "next run")
    for spec in configured_jobs(schedules, sources):
        job = stored.pop(spec.id, None)
        if job is None:
            next_run = "not stored yet (start `newsmon schedule`)"
        elif job.next_run_time is None:
            next_run = "paused"
        else:
            next_run = _local(job.next_run_time, zone)
        table.add_row(spec.id, spec.name, spec.when, next_run)
    for job in stored.values():
        when = _local(job.next_run_time, zone) if job.next_run_time else "paused"
        table.add_row(job.id, job.name, str(job.trigger), when)
    console.print(table)


def _local(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


@app.command("retag")
def retag(
    since: Annotated[
        datetime | None,
        typer.Option("--since", formats=["%Y-%m-%d"], help="Only articles published on or after this day."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only this source's articles (an id from `sources`).")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Tagging processes (default: one per core; 1: no pool)."),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Also retag the articles this tagger version tagged already.")
    ] = False,
) -> None:
    """Re-run the tagging pipeline on stored raw HTML (after a lexicon change): no fetching.

    Machine tags (language, country, period, relevance, topic, clusters) are recomputed;
    analysts' decisions and texts on events are kept. Only articles that another version of the
    tagger (code, configuration, model) tagged are retagged: a stopped retag resumes where it
    ended, and a second one has nothing to do.

    Example: `newsmon retag --since 2025-01-01 --source mvd_kg --workers 2`
    """
    from config import load_sources
    from newsmon.progress import progress
    from newsmon.retag import default_tagger
    from newsmon.retag import retag as run_retag
    from newsmon.retag_workers import TaggingWorkers, default_workers

    sources = load_sources()
    if source is not None:
        sources.source(source)
    require_schema()
    # The workers are forked first: before the progress bar starts its drawing thread.
    with TaggingWorkers(workers or default_workers(), default_tagger()) as pool, progress("retag") as bar:
        report = run_retag(since=since.date() if since else None, source_id=source, progress=bar, pool=pool,
                           everything=everything)
    typer.echo(f"retagged {report.retagged} of {report.selected} articles, {report.changed} changed tags, "
               f"{report.failed} failed ({report.up_to_date} already tagged by tagger "
               f"{report.tagger_version}; {report.workers} tagging process(es))")
    for line in report.failures:
        typer.echo(f"  {line}", err=True)
    if report.failed:
        raise typer.Exit(1)
