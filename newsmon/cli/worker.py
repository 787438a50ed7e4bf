"""``newsmon worker``: one crawl worker of a distributed crawl; and the seeding half of
``newsmon crawl --distributed``. The design is in :mod:`crawlers.distributed` and
``docs/deployment.md``."""

from __future__ import annotations

import os
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from core.errors import UserError
from newsmon.cli.app import app
from newsmon.cli.core import require_schema
from newsmon.cli.crawl_options import (
    Mirror,
    Sources,
    TagProcesses,
    mirror_option,
    politeness_option,
    selected_source_ids,
    tag_processes_option,
)
from newsmon.cli.tables import print_crawl_summary

console = Console()


def require_redis() -> str:
    """``REDIS_URL``, checked to answer (a one-line user error otherwise)."""
    import redis

    from crawlers.distributed.settings import prefix_from_env, redis_url_from_env

    url = redis_url_from_env()
    if not url:
        raise UserError("distributed crawling needs REDIS_URL (like redis://127.0.0.1:6379/0)")
    try:
        prefix_from_env()
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        raise UserError(f"cannot use Redis at {url}: {exc}") from exc
    return url


def seed(
    source_ids: list[str],
    since: date | None,
    until: date | None,
    mirror: str | None,
    refetch: bool,
    politeness: str | None,
    wait: bool = False,
) -> None:
    """``newsmon crawl --distributed``: open one crawl run per source (unless one is in progress)
    and queue its start requests in Redis; print what happened per source. With ``wait``, then
    wait until the workers have finished the runs and print them like a local crawl."""
    from crawlers.process import CrawlOptions, run_crawls

    options = CrawlOptions(
        sources=source_ids,
        since=since,
        until=until,
        mirror=mirror,
        refetch=refetch,
        resumable=False,
        politeness=politeness,
        trigger=os.environ.get("NEWSMON_RUN_TRIGGER") or "manual",
        distributed="seed",
    )
    outcomes = run_crawls(options)
    table = Table("source", "run", "status", "")
    for outcome in outcomes:
        table.add_row(
            outcome.source_id, str(outcome.run_id or "-"), outcome.status, escape(outcome.message or "")
        )
    console.print(table)
    if any(outcome.status not in ("seeded", "already running") for outcome in outcomes):
        raise typer.Exit(1)
    if wait:
        wait_for_runs([outcome.run_id for outcome in outcomes if outcome.run_id is not None])


def wait_for_runs(run_ids: list[int], poll_s: float = 1.0) -> None:
    """Block until these crawl runs are no longer ``running``; print them; exit 1 unless all
    finished."""
    import time

    from crawlers.outcomes import errors_text
    from storage.db import session_scope
    from storage.repository import crawl_runs_by_id

    while True:
        with session_scope() as session:
            runs = crawl_runs_by_id(session, run_ids)
        if all(run is None or run.status != "running" for run in runs):
            break
        time.sleep(poll_s)
    table = Table("source", "run", "status", "pages", "new", "updated", "errors")
    for run in runs:
        if run is None:
            continue
        table.add_row(
            run.source_id,
            str(run.id),
            run.status,
            str(run.pages_fetched),
            str(run.articles_new),
            str(run.articles_updated),
            escape(errors_text(run.errors, run.errors_by_kind)),
        )
    console.print(table)
    if any(run is None or run.status != "finished" for run in runs):
        raise typer.Exit(1)


@app.command("worker")
def worker(
    sources: Sources = None,
    idle_timeout: Annotated[
        float,
        typer.Option(
            "--idle-timeout",
            help="Stop after this many seconds without a crawl run to work on (a worker also stops "
            "when the run it worked on is finished).",
            min=0,
        ),
    ] = 60.0,
    lease_ttl: Annotated[
        float,
        typer.Option(
            "--lease-ttl",
            help="Seconds after which the requests of a worker that stopped answering (killed, "
            "machine down) go back to the queue.",
            min=1,
        ),
    ] = 30.0,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            help="Requests in flight per host in this worker (default: the source's politeness). "
            "N workers send up to N times this to one host.",
            min=1,
        ),
    ] = None,
    mirror: Mirror = None,
    politeness: Annotated[
        str | None, typer.Option(help="auto (default: off for the mirror), config or off.")
    ] = None,
    status: Annotated[
        bool,
        typer.Option("--status", help="Print each source's distributed run (queued, in progress) and exit."),
    ] = False,
    tag_processes: TagProcesses = None,
) -> None:
    """Crawl what `newsmon crawl --distributed` queued in Redis (REDIS_URL), into DATABASE_URL.

    Start any number of workers on any number of machines; they share each source's queue and
    duplicate filter. A killed worker loses nothing: its unfinished requests go back to the
    queue when its heartbeat expires.

    Example: `REDIS_URL=redis://queue:6379/0 newsmon worker --concurrency 4`
    """
    from crawlers.distributed.settings import prefix_from_env

    redis_url = require_redis()
    source_ids = selected_source_ids(sources)
    if not source_ids:
        raise UserError("no enabled source to crawl (config/sources.toml)")
    if status:
        from crawlers.distributed.control import run_status

        table = Table("source", "run", "state", "queued", "in progress")
        for row in run_status(redis_url, prefix_from_env(), source_ids):
            table.add_row(
                row["source"],
                str(row["run_id"] or "-"),
                row["state"] or "no run",
                str(row["queued"]),
                str(row["leased"]),
            )
        console.print(table)
        return
    politeness = politeness_option(politeness)
    taggers = tag_processes_option(tag_processes)
    require_schema()
    from crawlers.process import CrawlOptions, run_crawls
    from pipeline.runner import warm_up

    warm_up()  # load the models before taking requests, not while holding them
    options = CrawlOptions(
        sources=source_ids,
        mirror=mirror_option(mirror),
        resumable=False,
        politeness=politeness,
        distributed="work",
        idle_timeout_s=idle_timeout,
        settings={
            "NEWSMON_LEASE_TTL_S": lease_ttl,
            "NEWSMON_TAG_PROCESSES": taggers,
            **_concurrency_settings(concurrency),
        },
    )
    outcomes = run_crawls(options)
    print_crawl_summary(console, outcomes, worker=True)
    # Stopped on request (SIGTERM, Ctrl-C) is fine too: the other workers carry on.
    if any(outcome.finish_reason not in ("finished", "idle", "shutdown") for outcome in outcomes):
        raise typer.Exit(1)


def _concurrency_settings(concurrency: int | None) -> dict[str, int]:
    if concurrency is None:
        return {}
    return {"CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "NEWSMON_MAX_IN_FLIGHT": concurrency}
