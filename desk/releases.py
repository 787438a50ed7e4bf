"""The editor's decisions on a release: its texts (summary, topic phrases) and freezing it.

A release row is guarded by ``Release.version`` like events are: a text edit names the version
the editor read (:class:`~desk.errors.StaleRelease` when it changed since), and every build
bumps it. A release is frozen (``final``) once a final, non-draft file of it is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from core.period import Period, PeriodError
from desk.errors import EditError, StaleRelease
from desk.freeze import freeze
from desk.values import MAX_HEADLINE_CHARS, MAX_TEXT_CHARS, Change, capped, clean_text
from storage.db import Session
from storage.models import Release, utcnow
from storage.releases import add_release, claim_release_version, find_release
from storage.repository import audit


def release_period(year: int, number: int) -> Period:
    """Release ``number`` of ``year``, or :class:`EditError` saying why there is no such release."""
    try:
        return Period(year, number)
    except PeriodError as exc:
        raise EditError(str(exc)) from exc


def get_or_create_release(session: Session, period: Period) -> Release:
    """The release row of a period, created (status ``draft``) if there is none yet."""
    return find_release(session, period) or add_release(session, period)


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

    An empty summary or phrase means "use the generated one".
    """
    period = release_period(year, number)
    release = find_release(session, period)
    current = release.version if release is not None else 0  # 0: the caller saw no release row yet
    if version is not None and current != int(version):
        raise StaleRelease(
            f"release {year} #{number} was changed (built or edited) after you opened it "
            f"(you edited version {version}, it is now version {current}); nothing was saved. "
            "Reload the page and redo your change."
        )
    if release is None:
        release = add_release(session, period)
    changes: dict[str, Any] = {}
    summary = capped(clean_text, MAX_TEXT_CHARS, "summary")
    phrase_text = capped(clean_text, MAX_HEADLINE_CHARS, "topic phrase")
    for key, value in (("summary_en", summary_en), ("summary_ru", summary_ru)):
        if value is not None and summary(value) != getattr(release, key):
            changes[key] = summary(value)
    if topic_sentences is not None:
        cleaned = {
            edition: {code: text for code, phrase in sorted(phrases.items()) if (text := phrase_text(phrase))}
            for edition, phrases in sorted(topic_sentences.items())
        }
        cleaned = {edition: phrases for edition, phrases in cleaned.items() if phrases}
        if cleaned != (release.topic_sentences or {}):
            changes["topic_sentences"] = cleaned
    if not changes:
        return Change(release.id, "edit", release.version)
    read = release.version
    if not claim_release_version(session, release):
        raise StaleRelease(f"release {year} #{number} was changed by someone else just now; reload and redo.")
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


def record_build(
    session: Session,
    period: Period,
    built: Sequence[Mapping[str, Any]],
    *,
    edition: str,
    draft: bool,
    event_ids: Sequence[int],
    built_at: datetime | None = None,
    actor: str,
) -> Release:
    """Record the files of one build on the release row (created if absent) and audit it.

    ``built`` holds one record per file (``edition``, ``format``, ``path``, ``draft``,
    ``built_at``, ``sha256``, ``events``; ``built_by``, the actor's name, is added). One record
    is kept per edition, format and draft flag: a rebuild replaces its own earlier record. The
    release is ``final`` (frozen) as soon as any recorded file is not a draft, else ``draft``;
    every build bumps its version, so an editor's
    text edit made on the page before the build is refused as stale. A final build freezes the
    period (:mod:`desk.freeze`): its events cannot be changed until an editor reopens it.
    Each file record carries the ids of the events it printed (``event_ids``), so the release
    page can tell when one of them changed after the build (a stale file).
    """
    release = get_or_create_release(session, period)
    now = built_at or utcnow()
    before = {"status": release.status, "files": list(release.files or [])}
    records = [
        {**dict(item), "event_ids": [int(i) for i in event_ids], "built_by": actor.split(":", 1)[-1]}
        for item in built
    ]
    replaced = {(item["edition"], item["format"], item["draft"]) for item in records}
    kept = [
        item
        for item in (release.files or [])
        if (item.get("edition"), item.get("format"), item.get("draft")) not in replaced
    ]
    release.files = [*kept, *records]
    release.period_text = period.text
    release.built_at = now
    release.updated_at = now
    release.status = "final" if any(not item.get("draft") for item in release.files) else "draft"
    release.version = (release.version or 0) + 1
    audit(
        session,
        actor=actor,
        entity_type="release",
        entity_id=release.id,
        action="build",
        before=before,
        after={
            "status": release.status,
            "edition": edition,
            "draft": draft,
            "formats": [item["format"] for item in records],
            "files": records,
            "events": list(event_ids),
        },
    )
    if not draft:
        freeze(session, period, actor=actor)
    return release
