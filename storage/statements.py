"""Counting the SQL statements a piece of code sends (for benchmarks and tests that pin them).

A statement is one ``cursor.execute`` or ``cursor.executemany`` (one round trip to the server): an
INSERT of a hundred rows through ``executemany`` counts once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

from storage.db import get_engine


@dataclass
class StatementCount:
    """What was sent while counting: in all, and by the statement's first words."""

    total: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)

    def add(self, statement: str) -> None:
        self.total += 1
        words = statement.split(None, 3)
        kind = " ".join(words[:3] if words[:1] == ["DELETE"] or words[:1] == ["INSERT"] else words[:1])
        self.by_kind[kind.upper()] += 1


@contextmanager
def counting_statements(database_url: str | None = None) -> Iterator[StatementCount]:
    """Count the statements sent on the engine of ``database_url`` (None: ``DATABASE_URL``)
    while the ``with`` block runs."""
    engine = get_engine(database_url)
    count = StatementCount()

    def sent(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        count.add(statement)

    event.listen(engine, "before_cursor_execute", sent)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", sent)
