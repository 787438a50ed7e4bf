"""SQL statements and CPU per stored article, as the crawl and ``newsmon retag`` store them:
``python -m benchmarks.store_statements [--size N] [--database URL]``.

A crawl of the generated mirror fills a SQLite store (as the retag benchmark does); its pages are
tagged again in this process (not measured), then written into a fresh store three ways, in
batches of :data:`newsmon.retag.BATCH_SIZE`, each batch one transaction:

* ``new``: :func:`storage.article_store.store_batch`, every article new (a first crawl), counted
  on a crawl run as the crawl does;
* ``again``: the same batches once more (a re-crawl: every article is an update);
* ``retag``: the retag's write of a batch (``newsmon.retag._store``) for every article.

For each it prints the statements sent per article (one ``executemany`` is one statement) and
the CPU time of this process per article (the database's own CPU is in it for SQLite, which
runs in-process; for PostgreSQL only the client's).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

BATCH = 100


@dataclass(frozen=True)
class StoreCost:
    """One way of writing: statements and CPU per article, and the statements by kind."""

    articles: int
    statements_per_article: float
    cpu_ms_per_article: float
    by_kind: dict[str, int]


def _tagged(store: str) -> list[tuple[Any, Any]]:
    """Every stored page of ``store`` and its article tagged again, in id order."""
    from pipeline.runner import tag_page
    from storage.db import session_scope
    from storage.retag import select_article_ids, stored_pages

    with session_scope(store) as session:
        pages = stored_pages(session, select_article_ids(session))
    return [(page, tag_page(page.page())) for page in pages]


def _measure(
    database_url: str, batches: Sequence[Sequence[Any]], write: Callable[[Sequence[Any]], None]
) -> StoreCost:
    from storage.statements import counting_statements

    articles = sum(len(batch) for batch in batches)
    with counting_statements(database_url) as count:
        started = time.process_time()
        for batch in batches:
            write(batch)
        cpu = time.process_time() - started
    by_kind = dict(count.by_kind.most_common())
    return StoreCost(articles, count.total / articles, 1000 * cpu / articles, by_kind)


def measure(store: str, database_url: str) -> dict[str, StoreCost]:
    """Write the articles of ``store`` into the empty, migrated ``database_url`` the three ways."""
    from config import load_sources
    from newsmon.retag import _store as write_retagged
    from storage.article_store import store_batch
    from storage.db import session_scope
    from storage.repository import start_run, sync_sources

    sources = load_sources()
    with session_scope(database_url) as session:
        sync_sources(session, sources)
        run_id = start_run(session, sources.sources[0].id, trigger="benchmark")
    tagged = _tagged(store)
    batches = [tagged[start : start + BATCH] for start in range(0, len(tagged), BATCH)]
    ids: dict[str, int] = {}

    def crawl(batch: Sequence[Any]) -> None:
        results = store_batch(database_url, [(article, run_id) for _, article in batch])
        for (_, article), result in zip(batch, results, strict=True):
            ids[article.canonical_url] = result.article_id

    def retag(batch: Sequence[Any]) -> None:
        outcomes = [
            (replace(page, article_id=ids[article.canonical_url], canonical_url=article.canonical_url),
             article)
            for page, article in batch
        ]
        write_retagged(database_url, outcomes, "benchmark", isolated=False)

    return {
        "new": _measure(database_url, batches, crawl),
        "again": _measure(database_url, batches, crawl),
        "retag": _measure(database_url, batches, retag),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store_statements", description=__doc__)
    parser.add_argument("--size", type=int, default=300, help="articles of the mirror crawled (default 300)")
    parser.add_argument("--database", help="an empty database to write into (default: a new SQLite file)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    from benchmarks.retag import build_store
    from storage import schema

    work = Path(tempfile.mkdtemp(prefix="newsmon-store-statements-"))
    try:
        store = build_store(args.size, work / "store", print)
        target = args.database or f"sqlite:///{work / 'target.sqlite'}"
        schema.upgrade(target)
        costs = measure(store, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, cost in costs.items():
        print(f"{name:6} {cost.articles} articles: {cost.statements_per_article:.2f} statements and "
              f"{cost.cpu_ms_per_article:.2f} ms CPU per article  {cost.by_kind}")
    if args.json:
        args.json.write_text(json.dumps({name: asdict(cost) for name, cost in costs.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
