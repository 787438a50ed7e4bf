"""Storing crawled articles, for the crawl's item pipeline: one article per transaction, or a
batch of them in one transaction (a group commit).

Both take plain values and open their own transaction on ``database_url`` (None:
``DATABASE_URL``); the upsert itself is :func:`storage.repository.upsert_article`. Database errors
are raised as they come (see :data:`storage.runs.DATABASE_ERRORS`).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.types import TaggedArticle
from storage.clustering import refresh_events
from storage.db import session_scope
from storage.repository import StoreResult, count_articles, upsert_article


def store_article(database_url: str | None, tagged: TaggedArticle, run_id: int | None) -> StoreResult:
    """Upsert one article (counted on crawl run ``run_id``) and commit."""
    with session_scope(database_url) as session:
        return upsert_article(session, tagged, run_id)


def store_batch(
    database_url: str | None, articles: Sequence[tuple[TaggedArticle, int | None]]
) -> list[StoreResult]:
    """Upsert each ``(article, crawl run id)`` in order and commit them together: all are stored,
    or none (the error is raised). The batch's events are refreshed, and its articles counted on
    their runs, once at its end (a few statements per batch instead of three per article)."""
    with session_scope(database_url) as session:
        events: set[int] = set()
        results = [
            upsert_article(session, tagged, run_id, count=False, refresh=events)
            for tagged, run_id in articles
        ]
        refresh_events(session, events)
        # Last, so the run rows (shared by concurrent crawl workers) stay locked only briefly.
        count_articles(session, zip((run_id for _, run_id in articles), results, strict=True))
        return results
