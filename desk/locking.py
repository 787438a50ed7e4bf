"""The optimistic lock and the audit trail of event changes.

The caller passes the ``Event.version`` it read; a save against an event someone else changed
since is refused with :class:`~desk.errors.StaleEdit` instead of silently overwriting their
work. The version is claimed with a conditional UPDATE
(:func:`storage.events.claim_event_version`), so two concurrent saves cannot both pass, on SQLite
or PostgreSQL. Every change writes one audit entry with the values before and after.
"""

from __future__ import annotations

from typing import Any

from core.period import Period
from desk.errors import EventNotFound, StaleEdit
from desk.freeze import check_open
from desk.values import Change, as_json
from storage.db import Session
from storage.events import claim_event_version, event_period, fresh_event, last_event_change
from storage.models import Event
from storage.repository import audit


def load(session: Session, event_id: int) -> Event:
    """The event as stored now, or :class:`EventNotFound`."""
    event = fresh_event(session, event_id)
    if event is None:
        raise EventNotFound(f"there is no event #{event_id}")
    return event


def stale(session: Session, event: Event, expected: int) -> StaleEdit:
    """The refusal of a save made at version ``expected``, naming who changed the event last."""
    last = last_event_change(session, event.id)
    return StaleEdit(
        event.id, expected, event.version, last.actor if last else None, last.at if last else None
    )


def check_version(session: Session, event: Event, expected: int | None) -> None:
    """Refuse when the caller read another version (None: the caller does not check)."""
    if expected is not None and event.version != int(expected):
        raise stale(session, event, int(expected))


def claim(session: Session, event: Event) -> int:
    """Bump the version of the event as read; refuse if another writer got there first, or if
    the event's period is frozen (:class:`~desk.errors.PeriodFrozen`)."""
    check_open(session, event_period(event), refused=f"event #{event.id} cannot be changed")
    read = event.version
    if not claim_event_version(session, event):
        raise stale(session, event, read)
    return read + 1


def apply_changes(
    session: Session,
    event: Event,
    changes: dict[str, Any],
    *,
    actor: str,
    action: str,
) -> Change:
    """Write ``changes`` (only the ones that differ) with a version bump and an audit entry."""
    before = {
        key: as_json(getattr(event, key)) for key, value in changes.items() if getattr(event, key) != value
    }
    after = {key: as_json(changes[key]) for key in before}
    if not before:
        return Change(event.id, action, event.version)
    if "published_override" in before:  # a new date may move the event into a frozen period
        day = changes["published_override"]
        moved_to = Period.containing(day) if day is not None else _machine_period(event)
        check_open(session, moved_to, refused=f"event #{event.id} cannot be moved into it")
    version = claim(session, event)
    for key in before:
        setattr(event, key, changes[key])
    before["version"], after["version"] = version - 1, version
    audit_event(session, event.id, action, before, after, actor=actor)
    session.flush()
    return Change(event.id, action, version, before, after)


def _machine_period(event: Event) -> Period | None:
    if event.period_year is None or event.period_number is None:
        return None
    return Period(event.period_year, event.period_number)


def audit_event(
    session: Session, event_id: int, action: str, before: dict[str, Any], after: dict[str, Any], *, actor: str
) -> None:
    """One audit entry of an event: the values before and after, who (``actor``) and what."""
    audit(
        session,
        actor=actor,
        entity_type="event",
        entity_id=event_id,
        action=action,
        before=before,
        after=after,
    )
