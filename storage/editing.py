"""Analyst operations on candidate events, shared by the review web UI and the CLI.

Every operation writes one audit entry per changed event (who, when, the values before and
after) and is guarded by optimistic locking: the caller passes the ``Event.version`` it read,
and a save against an event someone else changed since is refused with :class:`StaleEdit`
instead of silently overwriting their work. The version is claimed with a conditional UPDATE
(``… WHERE version = :read``), so two concurrent saves cannot both pass, on SQLite or PostgreSQL.

Only the analyst-owned columns of :class:`~storage.models.Event` are written here, plus the
articles' ``event_id`` for merge and split (after which the machine columns are recomputed by
:func:`storage.clustering.refresh_event`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.errors import UserError
from core.period import Period, PeriodError
from storage.models import Article, AuditEntry, Event, Release, utcnow
from storage.repository import audit

STATUSES = ("new", "accepted", "rejected")
TOPICS = ("prevention", "seizure_arrest", "legislation", "cooperation", "statistics", "treatment", "other")
EDITABLE_FIELDS = ("headline_en", "text_en", "country_override", "published_override", "topic_override")
# Reasons offered in the UI (free text is accepted too).
REJECT_REASONS = (
    "not about drugs",
    "duplicate",
    "outside the period",
    "not a media report",
    "too minor",
)
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class EditError(UserError):
    """An analyst operation that cannot be done as asked (bad value, unknown event…)."""


class EventNotFound(EditError):
    """No event (or article) with that id."""


class StaleEdit(EditError):
    """The event changed since the caller read it: the save was refused, nothing was written."""

    def __init__(
        self, event_id: int, expected: int, current: int, by: str | None, at: datetime | None
    ) -> None:
        self.event_id = event_id
        self.expected = expected
        self.current = current
        self.by = by
        self.at = at
        who = f" by {by}" if by else ""
        when = f" at {at:%Y-%m-%d %H:%M} UTC" if at else ""
        super().__init__(
            f"event #{event_id} was changed{who}{when} after you opened it "
            f"(you edited version {expected}, it is now version {current}); your change was not saved. "
            "Reload the event, check the other change, then redo yours."
        )


class StaleOrder(EditError):
    """The order of a release section changed since the caller read it."""


@dataclass(slots=True)
class Change:
    """What one operation did to one event."""

    event_id: int
    action: str
    version: int
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.after) or bool(self.before)


# --- periods -----------------------------------------------------------------------------------


def release_period(year: int, number: int) -> Period:
    """Release ``number`` of ``year``, or :class:`EditError` saying why there is no such release."""
    try:
        return Period(year, number)
    except PeriodError as exc:
        raise EditError(str(exc)) from exc


def event_period(event: Event) -> Period | None:
    """The period an event belongs to: the analyst's date decides when set, else the machine's."""
    if event.published_override is not None:
        return Period.containing(event.published_override)
    if event.period_year is None or event.period_number is None:
        return None
    return Period(event.period_year, event.period_number)


def in_period(period: Period) -> ColumnElement[bool]:
    """SQL condition: the event belongs to ``period`` (see :func:`event_period`)."""
    return or_(
        and_(
            Event.published_override.is_(None),
            Event.period_year == period.year,
            Event.period_number == period.number,
        ),
        Event.published_override.between(period.start, period.end),
    )


# --- helpers -----------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _load(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id, populate_existing=True)
    if event is None:
        raise EventNotFound(f"there is no event #{event_id}")
    return event


def _last_change(session: Session, event_id: int) -> AuditEntry | None:
    return session.scalar(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "event", AuditEntry.entity_id == str(event_id))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def _stale(session: Session, event: Event, expected: int) -> StaleEdit:
    last = _last_change(session, event.id)
    return StaleEdit(
        event.id, expected, event.version, last.actor if last else None, last.at if last else None
    )


def _check_version(session: Session, event: Event, expected: int | None) -> None:
    if expected is not None and event.version != int(expected):
        raise _stale(session, event, int(expected))


def _claim(session: Session, event: Event) -> int:
    """Bump the version of the event as read; refuse if another writer got there first."""
    read = event.version
    result = session.execute(
        update(Event)
        .where(Event.id == event.id, Event.version == read)
        .values(version=read + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(event)
        raise _stale(session, event, read)
    set_committed_value(event, "version", read + 1)
    return read + 1


def _apply(
    session: Session,
    event: Event,
    changes: dict[str, Any],
    *,
    actor: str,
    action: str,
    extra: dict[str, Any] | None = None,
) -> Change:
    """Write ``changes`` (only the ones that differ) with a version bump and an audit entry."""
    before = {
        key: _json(getattr(event, key)) for key, value in changes.items() if getattr(event, key) != value
    }
    after = {key: _json(changes[key]) for key in before}
    if not before:
        return Change(event.id, action, event.version)
    version = _claim(session, event)
    for key in before:
        setattr(event, key, changes[key])
    before["version"], after["version"] = version - 1, version
    if extra:
        after.update(extra)
    audit(
        session,
        actor=actor,
        entity_type="event",
        entity_id=event.id,
        action=action,
        before=before,
        after=after,
    )
    session.flush()
    return Change(event.id, action, version, before, after)


def _clean_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\r\n", "\n").strip()
    return text or None


def _clean_line(value: Any) -> str | None:
    """One line of text: a headline never carries line breaks or runs of spaces."""
    text = _clean_text(value)
    return " ".join(text.split()) if text else None


def _clean_country(value: Any) -> str | None:
    text = _clean_text(value)
    if text is None:
        return None
    text = text.upper()
    if not _COUNTRY.match(text):
        raise EditError(f"a country is a two-letter ISO code such as KZ, not {value!r}")
    return text


def _clean_date(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    text = _clean_text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise EditError(f"a date is written YYYY-MM-DD, not {value!r}") from exc


def _clean_topic(value: Any) -> str | None:
    text = _clean_text(value)
    if text is None:
        return None
    if text not in TOPICS:
        raise EditError(f"unknown topic {text!r} (one of: {', '.join(TOPICS)})")
    return text


_CLEANERS = {
    "headline_en": _clean_line,
    "text_en": _clean_text,
    "country_override": _clean_country,
    "published_override": _clean_date,
    "topic_override": _clean_topic,
}


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
    reason = _clean_text(reason)
    if status == "rejected" and not reason:
        raise EditError("a rejection needs a reason")
    event = _load(session, event_id)
    _check_version(session, event, version)
    changes: dict[str, Any] = {"status": status, "reject_reason": reason if status == "rejected" else None}
    if status == "new":
        changes.update(reviewed_by=None, reviewed_at=None)
    action = {"new": "reset", "accepted": "accept", "rejected": "reject"}[status]
    change = _apply(session, event, changes, actor=actor, action=action)
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
    """Edit the English headline/text, section country, date or topic.

    Only the fields passed are touched; an empty string clears a field (for the overrides:
    back to the machine's value). Nothing is written when nothing differs.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise EditError(f"cannot edit {', '.join(sorted(unknown))} (editable: {', '.join(EDITABLE_FIELDS)})")
    changes = {key: _CLEANERS[key](value) for key, value in fields.items()}
    event = _load(session, event_id)
    _check_version(session, event, version)
    return _apply(session, event, changes, actor=actor, action="edit")


def set_position(session: Session, event_id: int, position: int | None, *, actor: str) -> Change:
    """Set an event's place in its release section directly (bulk decisions).

    Like every reorder, this is audited but does not bump the version (see :func:`_renumber`).
    """
    if position is not None and int(position) < 1:
        raise EditError(f"a position is 1 or more, not {position}")
    event = _load(session, event_id)
    change = _move(session, event, None if position is None else int(position), actor=actor)
    session.flush()
    return change or Change(event.id, "reorder", event.version)


def _move(session: Session, event: Event, place: int | None, *, actor: str) -> Change | None:
    """Put the event at ``place`` in its section, audited; None when it is there already."""
    if event.position == place:
        return None
    change = Change(event.id, "reorder", event.version, {"position": event.position}, {"position": place})
    audit(
        session,
        actor=actor,
        entity_type="event",
        entity_id=event.id,
        action="reorder",
        before=change.before,
        after=change.after,
    )
    event.position = place
    return change


# --- merge and split ---------------------------------------------------------------------------


def _article_ids(session: Session, event_id: int) -> list[int]:
    return list(session.scalars(select(Article.id).where(Article.event_id == event_id).order_by(Article.id)))


def _refresh(session: Session, event_id: int) -> None:
    from storage.clustering import refresh_event

    session.flush()
    refresh_event(session, event_id)
    session.flush()


def merge(
    session: Session,
    target_id: int,
    source_id: int,
    *,
    actor: str,
    version: int | None = None,
    source_version: int | None = None,
) -> Change:
    """Move every article of event ``source_id`` into ``target_id`` and delete the emptied event.

    The target keeps its analyst fields; those it has not set (headline, text, overrides, a
    decision when it is still ``new``) are taken from the merged event. Both events get an
    audit entry; the merged event's entry names the target, so its old address can redirect.
    """
    if int(target_id) == int(source_id):
        raise EditError("an event cannot be merged with itself")
    target = _load(session, target_id)
    source = _load(session, source_id)
    _check_version(session, target, version)
    _check_version(session, source, source_version)
    target_articles, source_articles = _article_ids(session, target.id), _article_ids(session, source.id)
    inherited: dict[str, Any] = {}
    for key in ("headline_en", "text_en", "country_override", "published_override", "topic_override"):
        if getattr(target, key) is None and getattr(source, key) is not None:
            inherited[key] = getattr(source, key)
    if target.status == "new" and source.status != "new":
        inherited.update(status=source.status, reject_reason=source.reject_reason)
    source_state = {
        key: _json(getattr(source, key))
        for key in ("status", "reject_reason", *EDITABLE_FIELDS, "position", "version")
    }
    _claim(session, source)
    session.execute(
        update(Article)
        .where(Article.event_id == source.id)
        .values(event_id=target.id)
        .execution_options(synchronize_session=False)
    )
    before = {"articles": target_articles, **{key: _json(getattr(target, key)) for key in inherited}}
    version_now = _claim(session, target)
    for key, value in inherited.items():
        setattr(target, key, value)
    after = {
        "articles": sorted(target_articles + source_articles),
        "merged_event": source.id,
        **{key: _json(value) for key, value in inherited.items()},
        "version": version_now,
    }
    before["version"] = version_now - 1
    audit(
        session,
        actor=actor,
        entity_type="event",
        entity_id=target.id,
        action="merge",
        before=before,
        after=after,
    )
    audit(
        session,
        actor=actor,
        entity_type="event",
        entity_id=source.id,
        action="merged",
        before={**source_state, "articles": source_articles},
        after={"merged_into": target.id},
    )
    session.flush()
    session.expire(source)
    session.delete(source)
    _refresh(session, target.id)
    return Change(target.id, "merge", version_now, before, after)


def merged_into(session: Session, event_id: int) -> int | None:
    """For a deleted event: the event it was merged into (following later merges), if any."""
    seen: set[int] = set()
    current = int(event_id)
    while session.get(Event, current) is None:
        if current in seen:
            return None
        seen.add(current)
        entry = session.scalar(
            select(AuditEntry)
            .where(
                AuditEntry.entity_type == "event",
                AuditEntry.entity_id == str(current),
                AuditEntry.action == "merged",
            )
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
        if entry is None:
            return None
        current = int(entry.after["merged_into"])
    return current if current != int(event_id) else None


def split(session: Session, article_id: int, *, actor: str, version: int | None = None) -> Change:
    """Take one article out of its event into a new event of its own (status ``new``).

    Returns the change of the new event; the old event gets an audit entry naming it.
    """
    article = session.get(Article, article_id)
    if article is None:
        raise EventNotFound(f"there is no article #{article_id}")
    if article.event_id is None:
        raise EditError(f"article #{article_id} belongs to no event")
    event = _load(session, article.event_id)
    _check_version(session, event, version)
    articles = _article_ids(session, event.id)
    if len(articles) < 2:
        raise EditError(f"article #{article_id} is the only article of event #{event.id}: nothing to split")
    new_event = Event(status="new")
    session.add(new_event)
    session.flush()
    session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(event_id=new_event.id)
        .execution_options(synchronize_session=False)
    )
    session.expire(article)
    version_now = _claim(session, event)
    remaining = [a for a in articles if a != article.id]
    audit(
        session,
        actor=actor,
        entity_type="event",
        entity_id=event.id,
        action="split",
        before={"articles": articles, "version": version_now - 1},
        after={"articles": remaining, "new_event": new_event.id, "version": version_now},
    )
    audit(
        session,
        actor=actor,
        entity_type="event",
        entity_id=new_event.id,
        action="split_from",
        before={},
        after={"from_event": event.id, "articles": [article.id]},
    )
    _refresh(session, event.id)
    _refresh(session, new_event.id)
    return Change(new_event.id, "split_from", new_event.version, {}, {"from_event": event.id})


# --- order inside a release section -------------------------------------------------------------


def section_events(session: Session, period: Period, country: str) -> list[Event]:
    """The accepted events of one country's section, in release order.

    Events with a position come first, by position; the rest follow by date (then id), so a
    section is always in a definite order even before anyone reordered it.
    """
    events = session.scalars(select(Event).where(in_period(period), Event.status == "accepted")).all()
    section = [e for e in events if e.section_country == country]
    return sorted(section, key=section_sort_key)


def section_sort_key(event: Event) -> tuple[Any, ...]:
    day = event.published_override or (event.published_at.date() if event.published_at else date.max)
    return (event.position is None, event.position or 0, day, event.id)


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
    event = _load(session, event_id)
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
    session: Session, year: int, number: int, country: str, event_ids: Iterable[int], *, actor: str
) -> list[Change]:
    """Put a section in exactly this order (every accepted event of the section, once)."""
    section = {e.id: e for e in section_events(session, release_period(year, number), country)}
    wanted = [int(i) for i in event_ids]
    if sorted(wanted) != sorted(section):
        raise StaleOrder("the list does not match the section's accepted events; reload and try again")
    return _renumber(session, [section[i] for i in wanted], actor=actor)


def _renumber(session: Session, ordered: Sequence[Event], *, actor: str) -> list[Change]:
    # Positions are the release layout, not content: they are audited but do not bump the
    # version, so reordering a section never makes an analyst's pending text edit look stale.
    changes = []
    for place, event in enumerate(ordered, start=1):
        change = _move(session, event, place, actor=actor)
        if change is not None:
            changes.append(change)
    session.flush()
    return changes


# --- release texts (editor) --------------------------------------------------------------------


class StaleRelease(EditError):
    """The release's texts changed since the editor read them."""


def edit_release_texts(
    session: Session,
    year: int,
    number: int,
    *,
    actor: str,
    version: int | None = None,
    summary_en: str | None = None,
    summary_ru: str | None = None,
    topic_sentences: dict[str, dict[str, str]] | None = None,
) -> Change:
    """Set the editor's summary and topic-phrase overrides of a release (created if absent).

    An empty summary or phrase means "use the generated one". Guarded by ``Release.version``
    like events are.
    """
    period = release_period(year, number)
    release = session.scalar(select(Release).where(Release.year == year, Release.number == number))
    current = release.version if release is not None else 0  # 0: the caller saw no release row yet
    if version is not None and current != int(version):
        raise StaleRelease(
            f"release {year} #{number} was changed (built or edited) after you opened it "
            f"(you edited version {version}, it is now version {current}); nothing was saved. "
            "Reload the page and redo your change."
        )
    if release is None:
        release = Release(
            year=year,
            number=number,
            period_text=period.text,
            files=[],
            topic_sentences={},
            version=1,
        )
        session.add(release)
        session.flush()
    changes: dict[str, Any] = {}
    for key, value in (("summary_en", summary_en), ("summary_ru", summary_ru)):
        if value is not None and _clean_text(value) != getattr(release, key):
            changes[key] = _clean_text(value)
    if topic_sentences is not None:
        cleaned = {
            edition: {code: text for code, phrase in sorted(phrases.items()) if (text := _clean_text(phrase))}
            for edition, phrases in sorted(topic_sentences.items())
        }
        cleaned = {edition: phrases for edition, phrases in cleaned.items() if phrases}
        if cleaned != (release.topic_sentences or {}):
            changes["topic_sentences"] = cleaned
    if not changes:
        return Change(release.id, "edit", release.version)
    read = release.version
    claimed = session.execute(
        update(Release)
        .where(Release.id == release.id, Release.version == read)
        .values(version=read + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleRelease(f"release {year} #{number} was changed by someone else just now; reload and redo.")
    set_committed_value(release, "version", read + 1)
    before = {key: getattr(release, key) for key in changes}
    for key, value in changes.items():
        setattr(release, key, value)
    before["version"] = read
    after = {**changes, "version": read + 1}
    audit(
        session,
        actor=actor,
        entity_type="release",
        entity_id=release.id,
        action="edit",
        before=before,
        after=after,
    )
    session.flush()
    return Change(release.id, "edit", read + 1, before, after)
