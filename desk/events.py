"""The analyst's decisions on one event: accept, reject, reset, edit (translate; set the
section country, the date, the topic), split an article out (merging is :mod:`desk.merge`).

Every operation writes one audit entry per changed event (who, when, the values before and
after) and is guarded by the optimistic lock (:mod:`desk.locking`). Only the analyst-owned
columns of :class:`~storage.models.Event` are written here, plus the articles' ``event_id`` for
merge and split (after which the machine columns are recomputed from the articles).
"""

from __future__ import annotations

from typing import Any

from desk.errors import EditError, EventNotFound
from desk.locking import apply_changes, audit_event, check_version, claim, load
from desk.values import (
    CLEANERS,
    EDITABLE_FIELDS,
    MAX_HEADLINE_CHARS,
    STATUSES,
    Change,
    capped,
    clean_text,
)
from storage.db import Session
from storage.events import (
    article_by_id,
    article_ids_of,
    move_article,
    new_event,
    refresh_machine_columns,
)
from storage.models import utcnow

# --- status ------------------------------------------------------------------------------------


def set_status(
    session: Session,
    event_id: int,
    status: str,
    *,
    actor: str,
    version: int | None = None,
    reason: str | None = None,
) -> Change:
    """Accept, reject (a reason is required) or reset an event to ``new``."""
    if status not in STATUSES:
        raise EditError(f"unknown status {status!r} (one of: {', '.join(STATUSES)})")
    reason = capped(clean_text, MAX_HEADLINE_CHARS, "reason")(reason)
    if status == "rejected" and not reason:
        raise EditError("a rejection needs a reason")
    event = load(session, event_id)
    check_version(session, event, version)
    changes: dict[str, Any] = {"status": status, "reject_reason": reason if status == "rejected" else None}
    if status == "new":
        changes.update(reviewed_by=None, reviewed_at=None)
    action = {"new": "reset", "accepted": "accept", "rejected": "reject"}[status]
    change = apply_changes(session, event, changes, actor=actor, action=action)
    if change.changed and status != "new":
        # Who decided and when: bookkeeping of the decision, not part of the audited values.
        event.reviewed_by, event.reviewed_at = actor, utcnow()
        session.flush()
    return change


def accept(session: Session, event_id: int, *, actor: str, version: int | None = None) -> Change:
    return set_status(session, event_id, "accepted", actor=actor, version=version)


def reject(session: Session, event_id: int, reason: str, *, actor: str, version: int | None = None) -> Change:
    return set_status(session, event_id, "rejected", actor=actor, version=version, reason=reason)


def reset(session: Session, event_id: int, *, actor: str, version: int | None = None) -> Change:
    return set_status(session, event_id, "new", actor=actor, version=version)


# --- edits -------------------------------------------------------------------------------------


def edit(session: Session, event_id: int, *, actor: str, version: int | None = None, **fields: Any) -> Change:
    """Edit the English headline/text, section country, date, topic, facts or lead article.

    Only the fields passed are touched; an empty string clears a field (for the overrides:
    back to the machine's value). Nothing is written when nothing differs.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise EditError(f"cannot edit {', '.join(sorted(unknown))} (editable: {', '.join(EDITABLE_FIELDS)})")
    changes = {key: CLEANERS[key](value) for key, value in fields.items()}
    event = load(session, event_id)
    check_version(session, event, version)
    lead = changes.get("lead_url")
    if lead is not None and lead not in {article.canonical_url for article in event.articles}:
        raise EditError(f"{lead} is not an article of event #{event.id}")
    return apply_changes(session, event, changes, actor=actor, action="edit")


# --- split ---------------------------------------------------------------------------------------


def split(session: Session, article_id: int, *, actor: str, version: int | None = None) -> Change:
    """Take one article out of its event into a new event of its own (status ``new``).

    Returns the change of the new event; the old event gets an audit entry naming it.
    """
    article = article_by_id(session, article_id)
    if article is None:
        raise EventNotFound(f"there is no article #{article_id}")
    if article.event_id is None:
        raise EditError(f"article #{article_id} belongs to no event")
    event = load(session, article.event_id)
    check_version(session, event, version)
    articles = article_ids_of(session, event.id)
    if len(articles) < 2:
        raise EditError(f"article #{article_id} is the only article of event #{event.id}: nothing to split")
    moved = article.id
    created = new_event(session)
    move_article(session, article, created.id)
    version_now = claim(session, event)
    remaining = [a for a in articles if a != moved]
    audit_event(
        session,
        event.id,
        "split",
        {"articles": articles, "version": version_now - 1},
        {"articles": remaining, "new_event": created.id, "version": version_now},
        actor=actor,
    )
    audit_event(
        session, created.id, "split_from", {}, {"from_event": event.id, "articles": [moved]}, actor=actor
    )
    refresh_machine_columns(session, event.id)
    refresh_machine_columns(session, created.id)
    return Change(created.id, "split_from", created.version, {}, {"from_event": event.id})
