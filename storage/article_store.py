"""Storing crawled articles, for the crawl's item pipeline: one article per transaction, or a
batch of them in one transaction (a group commit).

Both take plain values and open their own transaction on ``database_url`` (None:
``DATABASE_URL``); the upsert itself is :func:`storage.repository.upsert_article`. Database errors
are raised as they come (see :data:`storage.runs.DATABASE_ERRORS`).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.types import TaggedArticle
from storage.db import session_scope
from storage.repository import StoreResult, upsert_article


def store_article(database_url: str | None, tagged: TaggedArticle, run_id: int | None) -> StoreResult:
    """Upsert one article (counted on crawl run ``run_id``) and commit."""
    with session_scope(database_url) as session:
        return upsert_article(session, tagged, run_id)


def store_batch(
    database_url: str | None, articles: Sequence[tuple[TaggedArticle, int | None]]
) -> list[StoreResult]:
    """Upsert each ``(article, crawl run id)`` in order and commit them together: all are stored,
    or none (the error is raised)."""
    with session_scope(database_url) as session:
        return [upsert_article(session, tagged, run_id) for tagged, run_id in articles]
