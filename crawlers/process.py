"""Running crawls from Python: one Scrapy ``CrawlerProcess`` (one reactor) for all sources.

Used by ``newsmon crawl``, ``newsmon sources check`` and the demo. A Twisted reactor cannot be
restarted, so :func:`run_crawls` may be called once per process; callers that need another
crawl (tests, the scheduler) start a new process.

Each source gets a job directory (``JOBDIR``, default ``<data dir>/jobs/<source>``): a crawl
stopped by Ctrl-C or SIGTERM keeps its queue there and the next crawl of the source resumes it;
a crawl that finished removes it; the directory of a crawl that was killed is discarded by the
next one, which catches up from the database (:mod:`crawlers.jobs`).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from config import ConfigError, load_sources
from crawlers.jobs import claim as claim_job_directory
from crawlers.jobs import release as release_job_directory
from crawlers.locks import hold_sources
from crawlers.outcomes import SourceOutcome, distributed_outcome, local_outcome
from storage.db import data_dir

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrawlOptions:
    """What to crawl and how."""

    sources: Sequence[str]
    since: date | None = None
    until: date | None = None
    mirror: str | None = None
    """``http://127.0.0.1:PORT`` of a mirror to route every request to (None: the
    ``NEWSMON_MIRROR_URL`` setting/environment if set, else the real sites)."""
    refetch: bool = False
    jobdir: Path | None = None
    """Base folder of the per-source job directories (default ``<data dir>/jobs``)."""
    resumable: bool = True
    politeness: str | None = None
    """``auto``/``config``/``off`` (None: the setting or environment)."""
    database_url: str | None = None
    trigger: str = "manual"
    discovery: str = "auto"
    log_level: str | None = None
    check: bool = False
    """Check mode: one feed/listing and one article per source, nothing stored."""
    settings: dict[str, Any] = field(default_factory=dict)
    """Extra Scrapy settings (command-line priority)."""
    distributed: str | None = None
    """``seed`` (``newsmon crawl --distributed``: open the runs and queue their start requests in
    Redis) or ``work`` (``newsmon worker``: crawl what Redis holds); None: a local crawl. See
    :mod:`crawlers.distributed`."""
    redis_url: str | None = None
    """Redis of distributed mode (None: ``REDIS_URL``)."""
    redis_prefix: str | None = None
    """Key prefix in Redis (None: ``NEWSMON_REDIS_PREFIX`` or ``newsmon``)."""
    idle_timeout_s: float | None = None
    """A worker with no crawl run to work on stops after this long."""


def scrapy_settings(options: CrawlOptions) -> Any:
    """The project settings with the options applied at command-line priority."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    values: dict[str, Any] = dict(options.settings)
    if options.mirror:
        values["NEWSMON_MIRROR_URL"] = options.mirror
    if options.database_url:
        values["NEWSMON_DATABASE_URL"] = options.database_url
    if options.politeness:
        values["NEWSMON_POLITENESS"] = options.politeness
    if options.log_level:
        values["LOG_LEVEL"] = options.log_level
    if options.distributed:
        from crawlers.distributed.settings import distributed_settings, prefix_from_env, redis_url_from_env

        redis_url = options.redis_url or redis_url_from_env()
        if not redis_url:
            raise ValueError("distributed crawling needs REDIS_URL")
        values.update(
            distributed_settings(
                options.distributed,
                redis_url,
                prefix=options.redis_prefix or prefix_from_env(),
                idle_timeout_s=options.idle_timeout_s,
            )
        )
    if options.check:
        values["NEWSMON_DRY_RUN"] = True
        values["ITEM_PIPELINES"] = {"crawlers.pipelines.CheckPipeline": 300}
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    return settings


def job_directory(options: CrawlOptions, source_id: str) -> Path:
    base = options.jobdir or data_dir() / "jobs"
    return Path(base) / source_id


def run_crawls(options: CrawlOptions) -> list[SourceOutcome]:
    """Crawl ``options.sources`` concurrently in this process; block until all are done."""
    from scrapy.crawler import CrawlerProcess

    configured = load_sources()
    for source_id in options.sources:
        configured.source(source_id)  # unknown ids fail before the reactor starts
    settings = scrapy_settings(options)
    # When the CLI has set up logging (newsmon.logs), Scrapy's records go through its handlers,
    # at the level it chose for libraries (Scrapy would log everything at DEBUG).
    newsmon_logging = bool(logging.getLogger().handlers)
    if newsmon_logging:
        settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
        logging.disable(logging.INFO)  # Scrapy's start-up banner and version list
    try:
        process = CrawlerProcess(settings)
    finally:
        logging.disable(logging.NOTSET)
    if newsmon_logging:
        logging.getLogger("scrapy").setLevel(max(logging.getLogger().level, logging.INFO))
    spiders = set(process.spider_loader.list())
    for source_id in options.sources:
        if source_id not in spiders:
            raise ConfigError(
                f"config/sources.toml: source {source_id!r} has no spider (crawlers/spiders/{source_id}.py): "
                "add one, or set enabled = false"
            )
    # One crawl per source, before its job directory is touched, until it is cleaned up
    # (crawlers.locks).
    locally = not options.check and not options.distributed
    locks = hold_sources(options.sources, options.database_url) if locally else []
    try:
        crawlers = _start_crawlers(process, settings, options)
        process.start()
        outcomes = [outcome_of(source_id, crawler, options) for source_id, crawler, _ in crawlers]
        for (_, _, jobdir), outcome in zip(crawlers, outcomes, strict=True):
            if jobdir is not None and outcome.finish_reason == "finished" and jobdir.exists():
                # The job is complete: the next crawl starts afresh instead of "resuming" it.
                shutil.rmtree(jobdir, ignore_errors=True)
            elif jobdir is not None:
                release_job_directory(jobdir)  # stopped cleanly: the next crawl resumes it
        return outcomes
    finally:
        for lock in locks:
            lock.release()


def _start_crawlers(process: Any, settings: Any, options: CrawlOptions) -> list[tuple[str, Any, Path | None]]:
    """A crawler per source, each with its job directory claimed (None: not resumable)."""
    from scrapy.crawler import Crawler

    crawlers: list[tuple[str, Any, Path | None]] = []
    for index, source_id in enumerate(options.sources):
        spidercls = process.spider_loader.load(source_id)
        if options.distributed:
            from crawlers.distributed.spider import distributed_spider

            spidercls = distributed_spider(spidercls)
        crawler_settings = settings.copy()
        jobdir = None
        # Distributed crawls keep their queue in Redis, not in a job directory.
        if options.resumable and not options.check and not options.distributed:
            jobdir = job_directory(options, source_id)
            claim_job_directory(jobdir, source_id, options.database_url)  # a killed crawl's is discarded
            crawler_settings.set("JOBDIR", str(jobdir), priority="cmdline")
        crawler = Crawler(spidercls, crawler_settings, init_reactor=index == 0)
        process.crawl(
            crawler,
            since=options.since.isoformat() if options.since else None,
            until=options.until.isoformat() if options.until else None,
            refetch=options.refetch,
            trigger=options.trigger,
            discovery=options.discovery,
            check=options.check,
        )
        crawlers.append((source_id, crawler, jobdir))
    return crawlers


def outcome_of(source_id: str, crawler: Any, options: CrawlOptions) -> SourceOutcome:
    if options.distributed:
        return distributed_outcome(
            source_id, crawler, mode=options.distributed, database_url=options.database_url
        )
    return local_outcome(source_id, crawler, check=options.check, database_url=options.database_url)
