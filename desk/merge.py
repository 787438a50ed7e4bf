"""Merging two events, previewing a merge, undoing it, and the candidates worth merging.

A merge moves every article of the *merged* event (``source``) into the *target* and deletes the
merged event. What the analyst sees on the preview is what happens:

- the target keeps its English headline and text unless the analyst picks the other's
  (``title_from="other"``); a text it lacks is taken from the merged event, as are its other
  gaps (overrides, a decision while it is still ``new``);
- the target keeps its period (``keep_period``, the default): when the merged articles would
  move it (an earlier article of another period becomes the lead), its date is set inside its
  own period, so an accepted event never silently leaves its release;
- both events' versions are checked, so a colleague's edit of either is never dropped;
- a record of the merge (:class:`storage.models.EventMerge`) keeps the merged event's fields
  and articles and the target's values it replaced, so :func:`undo_merge` restores both.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.period import Period
from desk.errors import EditError, EventNotFound, MergeNotUndoable
from desk.freeze import check_open
from desk.locking import audit_event, check_version, claim, load
from desk.profiles import period_similarities
from desk.values import EDITABLE_FIELDS, Change, as_json
from pipeline.cluster import text_profile
from storage.db import Session
from storage.events import (
    article_ids_of,
    delete_event,
    event_period,
    events_by_ids,
    fresh_event,
    move_articles,
    refresh_machine_columns,
)
from storage.merges import (
    add_merge,
    event_state,
    mark_undone,
    merge_record,
    move_listed_articles,
    restore_event,
)
from storage.models import Event

TITLE_CHOICES = ("target", "other")
DECISION_FIELDS = ("status", "reject_reason")


@dataclass(frozen=True, slots=True)
class MergePreview:
    """The merged event as the merge would leave it (computed, then rolled back)."""

    target_id: int
    source_id: int
    target_version: int
    source_version: int
    headline_en: str | None
    text_en: str | None
    status: str
    target_period: Period | None
    source_period: Period | None
    natural_period: Period | None
    """Where the merged articles alone would put the event."""
    period: Period | None
    """Where it ends up (the target's unless ``keep_period`` is off)."""
    published_override: date | None
    article_ids: list[int]
    warnings: list[str] = field(default_factory=list)
    other_has_title: bool = False
    """The merged event has an English headline of its own to pick instead of the target's."""


def _day_in(period: Period, day: date | None) -> date:
    """``day`` when it lies in ``period``, else the nearest day of the period."""
    if day is None:
        return period.start
    return min(max(day, period.start), period.end)


def _own_day(event: Event) -> date | None:
    if event.published_override is not None:
        return event.published_override
    return event.published_at.date() if event.published_at is not None else None


def _merge(
    session: Session,
    target_id: int,
    source_id: int,
    *,
    actor: str,
    version: int | None,
    source_version: int | None,
    title_from: str,
    keep_period: bool,
) -> tuple[Change, Period | None]:
    """The merge; returns its change and the period the articles alone would give the event."""
    if int(target_id) == int(source_id):
        raise EditError("an event cannot be merged with itself")
    if title_from not in TITLE_CHOICES:
        raise EditError(f"the title comes from the target or the other event, not {title_from!r}")
    target, source = load(session, target_id), load(session, source_id)
    check_version(session, target, version)
    check_version(session, source, source_version)
    if title_from == "other" and not source.headline_en:
        raise EditError(f"event #{source.id} has no English headline to take")
    old_period, old_day = event_period(target), _own_day(target)
    target_articles, source_articles = article_ids_of(session, target.id), article_ids_of(session, source.id)
    old_values = {key: getattr(target, key) for key in (*EDITABLE_FIELDS, *DECISION_FIELDS)}
    taken: dict[str, Any] = {
        key: getattr(source, key)
        for key in EDITABLE_FIELDS
        if getattr(target, key) is None and getattr(source, key) is not None
    }
    if title_from == "other":
        taken.update(headline_en=source.headline_en, text_en=source.text_en or target.text_en)
    if target.status == "new" and source.status != "new":
        taken.update(status=source.status, reject_reason=source.reject_reason)
    source_state = event_state(source)
    claim(session, source)
    move_articles(session, source.id, target.id)
    version_now = claim(session, target)
    for key, value in taken.items():
        setattr(target, key, value)
    refresh_machine_columns(session, target.id)
    natural = event_period(target)
    if natural != old_period and old_period is not None:
        if keep_period:
            target.published_override = _day_in(old_period, old_day)
        else:
            check_open(session, natural, refused=f"event #{target.id} cannot be moved into it")
    changed = {
        key: getattr(target, key)
        for key in (*EDITABLE_FIELDS, *DECISION_FIELDS)
        if getattr(target, key) != old_values[key]
    }
    before = {
        "articles": target_articles,
        **{key: as_json(old_values[key]) for key in changed},
        "version": version_now - 1,
    }
    after = {
        "articles": sorted(target_articles + source_articles),
        "merged_event": source.id,
        **{key: as_json(value) for key, value in changed.items()},
        "version": version_now,
    }
    if event_period(target) != old_period:
        before["period"] = old_period.key if old_period else None
        after["period"] = natural.key if natural else None
    record = add_merge(
        session,
        actor=actor,
        target_id=target.id,
        source_id=source.id,
        source_state=source_state,
        source_articles=source_articles,
        target_before={key: as_json(old_values[key]) for key in changed},
        target_version=version_now,
    )
    after["merge_id"] = record.id
    audit_event(session, target.id, "merge", before, after, actor=actor)
    audit_event(
        session,
        source.id,
        "merged",
        {
            **{
                k: source_state[k]
                for k in ("status", "reject_reason", *EDITABLE_FIELDS, "position", "version")
            },
            "articles": source_articles,
        },
        {"merged_into": target.id, "merge_id": record.id},
        actor=actor,
    )
    delete_event(session, source)
    session.flush()
    return Change(target.id, "merge", version_now, before, after), natural


def merge(
    session: Session,
    target_id: int,
    source_id: int,
    *,
    actor: str,
    version: int | None = None,
    source_version: int | None = None,
    title_from: str = "target",
    keep_period: bool = True,
) -> Change:
    """Merge event ``source_id`` into ``target_id`` (see the module's rules); ``after`` names the
    merge record (``merge_id``) that :func:`undo_merge` takes."""
    return _merge(
        session,
        target_id,
        source_id,
        actor=actor,
        version=version,
        source_version=source_version,
        title_from=title_from,
        keep_period=keep_period,
    )[0]


def preview_merge(
    session: Session, target_id: int, source_id: int, *, title_from: str = "target", keep_period: bool = True
) -> MergePreview:
    """What :func:`merge` would do with these choices: the merge is run inside a savepoint and
    rolled back, so the preview is the rule itself, not a second copy of it."""
    target, source = load(session, target_id), load(session, source_id)
    target_version, source_version = target.version, source.version
    target_period, source_period = event_period(target), event_period(source)
    target_status, source_status = target.status, source.status
    other_has_title = bool(source.headline_en) and source.headline_en != target.headline_en
    savepoint = session.begin_nested()
    try:
        _, natural = _merge(
            session,
            target_id,
            source_id,
            actor="preview",
            version=None,
            source_version=None,
            title_from=title_from,
            keep_period=keep_period,
        )
        merged = load(session, target_id)
        headline_en, text_en, status = merged.headline_en, merged.text_en, merged.status
        period, override = event_period(merged), merged.published_override
        article_ids = article_ids_of(session, target_id)
    finally:
        savepoint.rollback()
        session.expire_all()  # collections loaded during the dry run (the emptied event's) are stale
    warnings: list[str] = []
    label = _label
    if natural != target_period and target_period is not None:
        if keep_period and override is not None:
            warnings.append(
                f"The articles of #{source_id} would move #{target_id} from {label(target_period)} to "
                f"{label(natural)}: it is kept in {label(target_period)} (its date is set to "
                f"{override:%d.%m.%Y})."
            )
        elif target_status == "accepted":
            warnings.append(
                f"#{target_id} is accepted in {label(target_period)} and will move to {label(natural)}: "
                f"it leaves the release of {label(target_period)}."
            )
    if source_status == "accepted" and source_period != period:
        warnings.append(
            f"#{source_id} is accepted in {label(source_period)}: merged into #{target_id}, it leaves that "
            f"release (the merged event belongs to {label(period)})."
        )
    if target_status != "new" and source_status not in ("new", target_status):
        warnings.append(f"#{source_id} is {source_status}; the merged event stays {target_status}.")
    return MergePreview(
        target_id=int(target_id),
        source_id=int(source_id),
        target_version=target_version,
        source_version=source_version,
        target_period=target_period,
        source_period=source_period,
        natural_period=natural,
        warnings=warnings,
        other_has_title=other_has_title,
        headline_en=headline_en,
        text_en=text_en,
        status=status,
        period=period,
        published_override=override,
        article_ids=article_ids,
    )


def _label(period: Period | None) -> str:
    return f"{period.year} {period.label}" if period is not None else "no period"


def undo_merge(session: Session, merge_id: int, *, actor: str, version: int | None = None) -> Change:
    """Restore the merged event (its id, fields and articles) and the target's values the merge
    replaced. Refused when the target changed after the merge (an undo would drop that change)
    or the merge was undone already. Both events get an audit entry."""
    record = merge_record(session, merge_id)
    if record is None:
        raise EventNotFound(f"there is no merge #{merge_id}")
    if record.undone_at is not None:
        raise MergeNotUndoable(f"merge #{merge_id} was undone already ({record.undone_by})")
    target = load(session, record.target_id)
    check_version(session, target, version)
    if target.version != record.target_version:
        raise MergeNotUndoable(
            f"event #{target.id} changed after the merge (version {record.target_version}, now "
            f"{target.version}): undoing it would drop that change. Split the articles out instead."
        )
    if fresh_event(session, record.source_id) is not None:
        raise MergeNotUndoable(f"event #{record.source_id} exists again")
    version_now = claim(session, target)
    state = dict(record.source_state)
    state["version"] = int(state.get("version") or 1) + 1
    restored = restore_event(session, record.source_id, state)
    check_open(session, event_period(restored), refused=f"event #{restored.id} cannot be restored into it")
    moved = move_listed_articles(session, list(record.source_articles), target.id, restored.id)
    before = {key: as_json(getattr(target, key)) for key in record.target_before}
    for key, value in record.target_before.items():
        setattr(target, key, date.fromisoformat(value) if key == "published_override" and value else value)
    refresh_machine_columns(session, target.id)
    refresh_machine_columns(session, restored.id)
    audit_event(
        session,
        target.id,
        "unmerge",
        {**before, "version": version_now - 1},
        {
            **record.target_before,
            "restored_event": restored.id,
            "merge_id": record.id,
            "version": version_now,
        },
        actor=actor,
    )
    audit_event(
        session,
        restored.id,
        "restored",
        {"merged_into": target.id},
        {
            "articles": article_ids_of(session, restored.id),
            "merge_id": record.id,
            "version": restored.version,
        },
        actor=actor,
    )
    mark_undone(session, record, actor)
    return Change(restored.id, "restored", restored.version, {}, {"from_event": target.id, "articles": moved})


@dataclass(frozen=True, slots=True)
class Candidate:
    event: Event
    similarity: float
    """0..1, :func:`pipeline.cluster.profile_similarity` of the two events' texts."""
    period: Period | None


MAX_CANDIDATE_CHARS = 1_500
"""Of each article's text, what the similarity reads: the lead paragraphs tell the story."""


def merge_candidates(session: Session, event: Event, *, limit: int = 60) -> list[Candidate]:
    """Events worth merging into ``event``, the most alike text first: those of its period and
    of the periods either side (a story reported on both sides of a period's end)."""
    period = event_period(event)
    if period is None:
        return []
    own_texts = [event.headline_en or "", event.text_en or ""]
    own_texts += [
        part for a in event.articles for part in (a.title or "", (a.text or "")[:MAX_CANDIDATE_CHARS])
    ]
    own = text_profile("\n".join(part for part in own_texts if part))
    scored: list[tuple[float, bool, int, Period]] = []
    for nearby in (period, period.previous(), period.next()):
        similar = period_similarities(session, nearby, own, besides=event.id, chars=MAX_CANDIDATE_CHARS)
        far = nearby != period
        scored.extend((similarity, far, other_id, nearby) for other_id, similarity in similar.items())
    top = heapq.nsmallest(limit, scored, key=lambda row: (-row[0], row[1], row[2]))
    events = {e.id: e for e in events_by_ids(session, [row[2] for row in top])}
    return [Candidate(events[i], score, p) for score, _, i, p in top if i in events]
