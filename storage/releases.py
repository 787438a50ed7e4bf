"""The release rows: one per period, with the editor's texts, the files built and a version
(the optimistic lock of the editor's texts, like :func:`storage.events.claim_event_version`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.period import Period
from storage.events import in_period
from storage.models import AuditEntry, Event, Release, utcnow


def find_release(session: Session, period: Period) -> Release | None:
    return session.scalar(select(Release).where(Release.year == period.year, Release.number == period.number))


def add_release(session: Session, period: Period) -> Release:
    """A new release row for ``period`` (status ``draft``, version 1, no files, no texts), flushed."""
    release = Release(
        year=period.year, number=period.number, period_text=period.text, files=[], topic_sentences={}
    )
    session.add(release)
    session.flush()
    return release


def claim_release_version(session: Session, release: Release) -> bool:
    """Bump the version of the release as read (and its ``updated_at``); False when another
    writer changed it first."""
    read = release.version
    claimed = session.execute(
        update(Release)
        .where(Release.id == release.id, Release.version == read)
        .values(version=read + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(release, "version", read + 1)
    return True


def periods_frozen(session: Session) -> list[Release]:
    """The releases whose period is frozen, newest period first."""
    return list(
        session.scalars(
            select(Release)
            .where(Release.frozen_at.is_not(None))
            .order_by(Release.year.desc(), Release.number.desc())
        )
    )


def events_changed_since(
    session: Session, period: Period, since: datetime, also: Iterable[int] = ()
) -> list[int]:
    """Ids of the events of ``period`` (and of ``also``: events that were in it) with an audit
    entry after ``since``: a build made at ``since`` no longer shows them as they are."""
    ids = {str(i) for i in session.scalars(select(Event.id).where(in_period(period)))}
    ids |= {str(i) for i in also}
    if not ids:
        return []
    changed = session.scalars(
        select(AuditEntry.entity_id)
        .where(
            AuditEntry.entity_type == "event",
            AuditEntry.at > since,
            AuditEntry.entity_id.in_(sorted(ids)),
        )
        .distinct()
    )
    return sorted(int(i) for i in changed)
