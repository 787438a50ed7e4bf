"""Reads and writes of candidate events for the desk (:mod:`desk`): the queries behind accept,
reject, merge, split and the order of a release section, and the conditional UPDATE that is the
optimistic lock.

The period rule lives here twice, once per side of the database: :func:`event_period` on a
loaded event, :func:`in_period` as the SQL condition. The analyst's date decides when it is
set, else the machine's period.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from core.facts import Facts, facts_from_json
from core.period import Period
from storage.clustering import refresh_event
from storage.models import Article, AuditEntry, Event


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


# --- one event -----------------------------------------------------------------------------------


def fresh_event(session: Session, event_id: int) -> Event | None:
    """The event as stored now (values already loaded in the session are re-read)."""
    return session.get(Event, event_id, populate_existing=True)


def article_by_id(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def last_event_change(session: Session, event_id: int) -> AuditEntry | None:
    """The newest audit entry of an event (who changed it last, and when)."""
    return session.scalar(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "event", AuditEntry.entity_id == str(event_id))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def claim_event_version(session: Session, event: Event) -> bool:
    """Bump the version of the event as read (``… WHERE version = :read``), so two concurrent
    saves cannot both pass. False, with the event re-read, when another writer got there first."""
    read = event.version
    result = session.execute(
        update(Event)
        .where(Event.id == event.id, Event.version == read)
        .values(version=read + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(event)
        return False
    set_committed_value(event, "version", read + 1)
    return True


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


# --- the articles of events (merge and split) ------------------------------------------------------


def article_ids_of(session: Session, event_id: int) -> list[int]:
    return list(session.scalars(select(Article.id).where(Article.event_id == event_id).order_by(Article.id)))


def move_articles(session: Session, from_event_id: int, to_event_id: int) -> None:
    """Every article of one event into another."""
    session.execute(
        update(Article)
        .where(Article.event_id == from_event_id)
        .values(event_id=to_event_id)
        .execution_options(synchronize_session=False)
    )


def move_article(session: Session, article: Article, to_event_id: int) -> None:
    """One article into another event (the loaded article is expired, to be re-read)."""
    session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(event_id=to_event_id)
        .execution_options(synchronize_session=False)
    )
    session.expire(article)


def new_event(session: Session) -> Event:
    """A new, empty event of status ``new`` (its id assigned)."""
    event = Event(status="new")
    session.add(event)
    session.flush()
    return event


def delete_event(session: Session, event: Event) -> None:
    session.flush()
    session.expire(event)
    session.delete(event)


def refresh_machine_columns(session: Session, event_id: int) -> None:
    """Recompute an event's machine columns from its articles (after a merge or split)."""
    session.flush()
    refresh_event(session, event_id)
    session.flush()


# --- events of a period --------------------------------------------------------------------------


def accepted_events(session: Session, period: Period, *, with_articles: bool = False) -> list[Event]:
    """The accepted events of a period, in no particular order."""
    query = select(Event).where(Event.status == "accepted", in_period(period))
    if with_articles:
        query = query.options(selectinload(Event.articles))
    return list(session.scalars(query))


def candidate_stamps(session: Session, period: Period) -> dict[int, tuple[object, ...]]:
    """Per event of ``period``: what its candidate text (:func:`candidate_texts`) is made of,
    short of the text: the event's version (bumped by every analyst change) and its articles'
    ids, content hashes and tagging times (rewritten with their titles and texts). The text
    changes only when this does, so a text read before can be used again while it is the same."""
    rows = session.execute(
        select(Event.id, Event.version, Article.id, Article.content_hash, Article.tagged_at)
        .outerjoin(Article, Article.event_id == Event.id)
        .where(in_period(period))
        .order_by(Event.id, Article.id)
    )
    stamps: dict[int, list[object]] = {}
    for event_id, version, *article in rows:
        stamps.setdefault(event_id, [version]).append(tuple(article))
    return {event_id: tuple(parts) for event_id, parts in stamps.items()}


def candidate_texts(
    session: Session, period: Period, *, besides: int | None, chars: int, only: Collection[int] | None = None
) -> dict[int, str]:
    """Per event of ``period`` (but ``besides``; of ``only``, when given): its English headline
    and text and its articles' titles and first ``chars`` characters, as one text (what the merge
    candidates are ranked by)."""
    query = (
        select(Event.id, Event.headline_en, Event.text_en, Article.title, func.substr(Article.text, 1, chars))
        .outerjoin(Article, Article.event_id == Event.id)
        .where(in_period(period))
        .order_by(Event.id, Article.id)
    )
    if besides is not None:
        query = query.where(Event.id != besides)
    if only is not None:
        query = query.where(Event.id.in_(list(only)))
    rows = session.execute(query)
    texts: dict[int, list[str]] = {}
    for event_id, headline, text_en, title, text in rows:
        parts = texts.setdefault(event_id, [headline or "", text_en or ""])
        parts += [title or "", text or ""]
    return {event_id: "\n".join(part for part in parts if part) for event_id, parts in texts.items()}


def events_by_ids(session: Session, event_ids: Sequence[int]) -> list[Event]:
    """The events, in the order of ``event_ids`` (missing ones left out), with what a list of
    them shows of their articles (title, date, source): not their texts, raw pages and tags,
    which the merge candidates' list never reads and which cost more to load than the list."""
    shown = selectinload(Event.articles).load_only(
        Article.id, Article.event_id, Article.title, Article.published_at, Article.source_id
    )
    found = {
        event.id: event
        for event in session.scalars(select(Event).where(Event.id.in_(list(event_ids))).options(shown))
    }
    return [found[i] for i in event_ids if i in found]


def effective_facts(event: Event) -> Facts:
    """An event's facts: the analyst's correction when there is one, else the machine's."""
    return facts_from_json(event.facts_override if event.facts_override is not None else event.facts)
