"""A writer process for the concurrent-upsert test (importable by a spawned child)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

ARTICLES_PER_WRITER = 40


def write_all(database_url: str, seed: int, barrier) -> None:
    """Store the same 40 articles as the other writer, in another order, one transaction each."""
    from storage.db import session_scope as scope
    from storage.repository import upsert_article as upsert
    from tests.factories import tagged_article as build

    numbers = list(range(ARTICLES_PER_WRITER))
    random.Random(seed).shuffle(numbers)
    barrier.wait(timeout=60)
    for number in numbers:
        article = build(
            f"https://xn--b1aew.xn--p1ai/news/item/{60000000 + number}/",
            source_id=None,
            country="RU",
            text=f"Сообщение номер {number}: изъято {number + 1} граммов мефедрона в ходе рейда.",
            published=datetime(2025, 1, 3, tzinfo=UTC) + timedelta(days=number * 7),
        )
        with scope(database_url) as session:
            upsert(session, article)
