"""What a crawl knows of its source between runs: the source's crawl state (high-water marks, walk
positions) and which articles are stored already.

For the crawlers: each function opens its own transaction on ``database_url`` (None:
``DATABASE_URL``) and takes and returns plain values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from storage import repository
from storage.db import session_scope


def stored_urls_of_source(database_url: str | None, source_id: str) -> set[str]:
    """Every stored canonical URL of a source (a crawler's known-URL cache when it opens)."""
    with session_scope(database_url) as session:
        return repository.canonical_urls_of_source(session, source_id)


def stored_among(database_url: str | None, canonical_urls: Iterable[str]) -> set[str]:
    """Which of these canonical URLs are stored already."""
    with session_scope(database_url) as session:
        return repository.known_canonical_urls(session, canonical_urls)


def merge_crawl_state(
    database_url: str | None,
    source_id: str,
    *,
    channels: dict[str, Any] | None = None,
    walk: dict[str, int] | None = None,
) -> None:
    """Merge what one of several concurrent crawlers of a source learnt into its stored crawl state
    (see :func:`storage.repository.merge_crawl_state`: marks only advance, nothing is lost)."""
    with session_scope(database_url) as session:
        repository.merge_crawl_state(session, source_id, channels=channels, walk=walk)
