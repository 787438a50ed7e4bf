"""The order of the events inside a release section (one country of one period).

Positions are the release layout, not content: a reorder is audited but does not bump the
event's version, so reordering a section never makes an analyst's pending text edit look stale.
The section's order is guarded on its own: a move names the order the caller saw
(:class:`~desk.errors.StaleOrder` when it changed since).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from core.period import Period
from desk.errors import EditError, StaleOrder
from desk.freeze import check_open
from desk.locking import audit_event, load
from desk.values import Change
from storage.db import Session
from storage.events import accepted_events, event_period
from storage.models import Event


def section_sort_key(event: Event) -> tuple[Any, ...]:
    """Events with a position first, by position; the rest by date (then id)."""
    day = event.published_override or (event.published_at.date() if event.published_at else date.max)
    return (event.position is None, event.position or 0, day, event.id)


def section_events(session: Session, period: Period, country: str) -> list[Event]:
    """The accepted events of one country's section, in release order (:func:`section_sort_key`),
    so a section is always in a definite order even before anyone reordered it."""
    section = [e for e in accepted_events(session, period) if e.section_country == country]
    return sorted(section, key=section_sort_key)


def set_position(session: Session, event_id: int, position: int | None, *, actor: str) -> Change:
    """Set an event's place in its release section directly (bulk decisions); audited, no
    version bump (like every reorder)."""
    if position is not None and int(position) < 1:
        raise EditError(f"a position is 1 or more, not {position}")
    event = load(session, event_id)
    change = _place(session, event, None if position is None else int(position), actor=actor)
    session.flush()
    return change or Change(event.id, "reorder", event.version)


def move(
    session: Session,
    event_id: int,
    offset: int,
    *,
    actor: str,
    expected_order: Sequence[int] | None = None,
) -> list[Change]:
    """Move an accepted event ``offset`` places up (negative) or down within its section.

    ``expected_order`` is the section as the caller saw it; if the section has changed since,
    the move is refused (:class:`StaleOrder`). Positions are renumbered 1..n.
    """
    event = load(session, event_id)
    if event.status != "accepted":
        raise EditError(
            f"event #{event_id} is not accepted: only accepted events have a place in the release"
        )
    period = event_period(event)
    country = event.section_country
    if period is None or country is None:
        raise EditError(f"event #{event_id} has no period or country yet")
    section = section_events(session, period, country)
    ids = [e.id for e in section]
    if expected_order is not None and list(map(int, expected_order)) != ids:
        raise StaleOrder(
            "the order of this section changed after you opened the page; nothing was moved. "
            "Reload and try again."
        )
    index = ids.index(event.id)
    target = max(0, min(len(ids) - 1, index + int(offset)))
    ordered = section[:]
    ordered.insert(target, ordered.pop(index))
    return _renumber(session, ordered, actor=actor)


def set_order(
    session: Session, period: Period, country: str, event_ids: Iterable[int], *, actor: str
) -> list[Change]:
    """Put a section in exactly this order (every accepted event of the section, once)."""
    section = {e.id: e for e in section_events(session, period, country)}
    wanted = [int(i) for i in event_ids]
    if sorted(wanted) != sorted(section):
        raise StaleOrder("the list does not match the section's accepted events; reload and try again")
    return _renumber(session, [section[i] for i in wanted], actor=actor)


def _renumber(session: Session, ordered: Sequence[Event], *, actor: str) -> list[Change]:
    changes = []
    for place, event in enumerate(ordered, start=1):
        change = _place(session, event, place, actor=actor)
        if change is not None:
            changes.append(change)
    session.flush()
    return changes


def _place(session: Session, event: Event, place: int | None, *, actor: str) -> Change | None:
    """Put the event at ``place`` in its section, audited; None when it is there already."""
    if event.position == place:
        return None
    check_open(session, event_period(event), refused="the order of its events cannot be changed")
    change = Change(event.id, "reorder", event.version, {"position": event.position}, {"position": place})
    audit_event(session, event.id, "reorder", change.before, change.after, actor=actor)
    event.position = place
    return change
