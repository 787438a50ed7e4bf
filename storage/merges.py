"""The merge records behind an undo (:class:`storage.models.EventMerge`), and restoring a merged
(deleted) event with its own id from the fields a record kept."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Article, Event, EventMerge, utcnow

_DATES = {"published_override"}
_TIMES = {"created_at", "published_at", "reviewed_at"}


def event_state(event: Event) -> dict[str, Any]:
    """Every column of an event but its id, as JSON (dates and times as ISO text)."""
    state: dict[str, Any] = {}
    for column in Event.__table__.columns:
        if column.key == "id":
            continue
        value = getattr(event, column.key)
        state[column.key] = value.isoformat() if isinstance(value, datetime | date) else value
    return state


def restore_event(session: Session, event_id: int, state: dict[str, Any]) -> Event:
    """Insert the event ``event_id`` again with the columns of :func:`event_state`."""
    values: dict[str, Any] = {}
    known = {column.key for column in Event.__table__.columns}
    for key, value in state.items():
        if key not in known or key == "id":
            continue
        if value is not None and key in _DATES:
            value = date.fromisoformat(value)
        elif value is not None and key in _TIMES:
            value = datetime.fromisoformat(value)
        values[key] = value
    event = Event(id=int(event_id), **values)
    session.add(event)
    session.flush()
    return event


def add_merge(
    session: Session,
    *,
    actor: str,
    target_id: int,
    source_id: int,
    source_state: dict[str, Any],
    source_articles: list[int],
    target_before: dict[str, Any],
    target_version: int,
) -> EventMerge:
    record = EventMerge(
        at=utcnow(),
        actor=actor,
        target_id=target_id,
        source_id=source_id,
        source_state=source_state,
        source_articles=source_articles,
        target_before=target_before,
        target_version=target_version,
    )
    session.add(record)
    session.flush()
    return record


def merge_record(session: Session, merge_id: int) -> EventMerge | None:
    return session.get(EventMerge, merge_id)


def undoable_merges(session: Session, target_id: int) -> list[EventMerge]:
    """The merges into an event not undone yet, newest first."""
    return list(
        session.scalars(
            select(EventMerge)
            .where(EventMerge.target_id == target_id, EventMerge.undone_at.is_(None))
            .order_by(EventMerge.id.desc())
        )
    )


def move_listed_articles(
    session: Session, article_ids: list[int], from_event_id: int, to_event_id: int
) -> int:
    """Move the listed articles that are still in ``from_event_id``; returns how many moved."""
    if not article_ids:
        return 0
    result = session.execute(
        update(Article)
        .where(Article.id.in_(article_ids), Article.event_id == from_event_id)
        .values(event_id=to_event_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def mark_undone(session: Session, record: EventMerge, actor: str) -> None:
    record.undone_at, record.undone_by = utcnow(), actor
    session.flush()
