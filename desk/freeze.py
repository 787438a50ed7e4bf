"""Frozen periods: a final build freezes its period, and the desk refuses every change to the
events of a frozen period (status, texts, facts, order, merge, split) until an editor reopens
it. Freezing and reopening are audited on the release.

Why: a final release is what the readers got; an event edited after it would make the archive
copy and the database disagree without anyone noticing.
"""

from __future__ import annotations

from core.period import Period
from desk.errors import EditError, PeriodFrozen
from storage.db import Session
from storage.models import Release, utcnow
from storage.releases import add_release, find_release
from storage.repository import audit


def frozen_release(session: Session, period: Period | None) -> Release | None:
    """The release row freezing ``period``, or None when the period is open."""
    if period is None:
        return None
    release = find_release(session, period)
    return release if release is not None and release.frozen_at is not None else None


def check_open(
    session: Session, period: Period | None, *, refused: str = "its events cannot be changed"
) -> None:
    """Refuse (:class:`PeriodFrozen`) when ``period`` is frozen."""
    release = frozen_release(session, period)
    if release is None or period is None:
        return
    when = f" on {release.frozen_at:%Y-%m-%d %H:%M} UTC" if release.frozen_at else ""
    who = f" by {release.frozen_by}" if release.frozen_by else ""
    raise PeriodFrozen(
        f"period {period.year} {period.label} is frozen: its final release was built{when}{who}; "
        f"{refused}. An editor can reopen the period on its release page."
    )


def freeze(session: Session, period: Period, *, actor: str) -> Release:
    """Freeze ``period`` (its release row is created if absent); audited, a no-op when frozen."""
    release = find_release(session, period) or add_release(session, period)
    if release.frozen_at is None:
        release.frozen_at, release.frozen_by = utcnow(), actor
        audit(
            session,
            actor=actor,
            entity_type="release",
            entity_id=release.id,
            action="freeze",
            before={"frozen": False},
            after={"frozen": True, "period": period.key},
        )
        session.flush()
    return release


def reopen(session: Session, period: Period, *, actor: str, reason: str | None = None) -> Release:
    """Let the events of a frozen period be edited again (an editor's decision, audited)."""
    release = frozen_release(session, period)
    if release is None:
        raise EditError(f"period {period.year} {period.label} is not frozen")
    before = {
        "frozen": True,
        "frozen_at": release.frozen_at.isoformat() if release.frozen_at else None,
        "frozen_by": release.frozen_by,
    }
    release.frozen_at, release.frozen_by = None, None
    audit(
        session,
        actor=actor,
        entity_type="release",
        entity_id=release.id,
        action="reopen",
        before=before,
        after={"frozen": False, "reason": (reason or "").strip()[:500] or None},
    )
    session.flush()
    return release
