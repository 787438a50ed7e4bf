"""newsmon's side: ``newsmon crawl --mirror URL`` into a SQLite file, measured as a child process."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.measure import REPO, Usage, child_env, run_measured
from benchmarks.probe_files import clear_probe, peak_rss_mb, read_totals
from mirror import MirrorServer


@dataclass
class CrawlResult:
    usage: Usage
    articles: int
    """Articles in the database after the crawl."""
    new: int
    """Articles the crawl stored for the first time (its runs' ``articles_new``)."""
    errors: dict[str, int]
    requests: int
    """Requests the mirror answered (robots.txt, feeds, listings, articles, retries)."""
    article_requests: int
    """Of those, requests for article pages."""
    stages: dict[str, float] = field(default_factory=dict)
    """CPU seconds per pipeline stage and for storing (see :mod:`benchmarks.probe`)."""
    processes_rss_mb: float = 0.0
    """The peaks of the crawl process and of its tagging workers, added up."""

    @property
    def peak_rss_mb(self) -> float:
        """Memory of the whole crawl: its processes' peaks added up (where the probe could tell),
        else the largest process's."""
        return max(self.processes_rss_mb, self.usage.peak_rss_mb)


def prepare(directory: Path) -> str:
    """A fresh data folder with a migrated SQLite database; returns its URL."""
    from storage import schema

    directory.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{directory / 'newsmon.sqlite'}"
    schema.upgrade(url)
    return url


def crawl(
    mirror: MirrorServer,
    directory: Path,
    database_url: str,
    *,
    sources: Sequence[str] = (),
    timeout_s: float = 1800,
    extra_env: Mapping[str, str] | None = None,
) -> CrawlResult:
    """One ``newsmon crawl`` of ``sources`` (default all) from ``mirror`` into ``database_url``
    (``extra_env``: more environment for the crawl, such as ``NEWSMON_POLITENESS``)."""
    probe = directory / "probe"
    clear_probe(probe)
    env = child_env(
        {
            "DATABASE_URL": database_url,
            "NEWSMON_DATA_DIR": str(directory),
            "NEWSMON_TAGGER": "benchmarks.probe.tag_page",
            "NEWSMON_TAGGER_WARM_UP": "pipeline.runner.warm_up_worker",  # as for the default tagger
            "NEWSMON_BENCH_PROBE": str(probe),
            **(extra_env or {}),
        }
    )
    before_runs = _max_run_id(database_url)
    mirror.reset_log()
    usage = run_measured(
        [sys.executable, "-m", "newsmon", "-q", "crawl", *sources, "--mirror", mirror.url],
        env=env,
        cwd=directory,
        timeout_s=timeout_s,
    )
    if usage.returncode != 0:
        raise RuntimeError(
            f"newsmon crawl failed ({usage.returncode}):\n{usage.stdout}\n{usage.stderr[-4000:]}"
        )
    article_paths = {(a.host, urlsplit(a.url).path) for a in mirror.articles}
    requests = mirror.requests
    article_requests = sum(1 for host, path, _ in requests if (host, path.split("?")[0]) in article_paths)
    new, errors = _runs_after(database_url, before_runs)
    stages = read_totals(probe)
    return CrawlResult(
        usage=usage,
        articles=_count_articles(database_url),
        new=new,
        errors=errors,
        requests=len(requests),
        article_requests=article_requests,
        stages=stages,
        processes_rss_mb=peak_rss_mb(probe),
    )


def _path(database_url: str) -> str:
    return database_url.removeprefix("sqlite:///")


def _count_articles(database_url: str) -> int:
    with sqlite3.connect(_path(database_url)) as connection:
        return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])


def _max_run_id(database_url: str) -> int:
    with sqlite3.connect(_path(database_url)) as connection:
        return int(connection.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0])


def _runs_after(database_url: str, run_id: int) -> tuple[int, dict[str, int]]:
    with sqlite3.connect(_path(database_url)) as connection:
        rows = connection.execute(
            "SELECT articles_new, errors_by_kind, status FROM crawl_runs WHERE id > ?", (run_id,)
        ).fetchall()
    errors: dict[str, int] = {}
    for _, by_kind, status in rows:
        if status != "finished":
            errors[f"run {status}"] = errors.get(f"run {status}", 0) + 1
        for kind, count in json.loads(by_kind or "{}").items():
            errors[kind] = errors.get(kind, 0) + int(count)
    return sum(int(row[0] or 0) for row in rows), errors


__all__ = ["REPO", "CrawlResult", "crawl", "prepare"]
