"""Putting articles into candidate events, and keeping the events' machine columns current.

The decision whether two articles tell one story is :func:`core.story.same_story` (pure);
this module only finds the stored candidates to ask it about and writes the result race-free.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, text, union, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from core.facts import facts_from_json, facts_to_json, merge_facts
from core.story import StoryKey, band_keys, same_story, url_key
from core.types import TaggedArticle
from storage.models import Article, ArticleMatchKey, Event, utcnow

# Reposts of a story appear within days of each other (same_story allows MAX_DAYS_APART).
CANDIDATE_WINDOW = timedelta(days=4)

CANDIDATE_BATCH = 500
"""Candidates read per query (many exact duplicates of a boilerplate text must not exceed the
database's limit on bound parameters)."""

CLUSTER_LOCK_KEY = 0x6E65_7773_6D6F_6E31
"""PostgreSQL advisory lock key that serialises event assignment across processes."""
_LOCKED_IN = "newsmon.clustering_locked_in"
"""``Session.info`` key: the transaction that took the clustering lock last."""


_ARTICLES = cast(Table, Article.__table__)
_EVENTS = cast(Table, Event.__table__)

KEY_COLUMNS = tuple(
    _ARTICLES.c[name]
    for name in (
        "id",
        "canonical_url",
        "content_hash",
        "minhash",
        "language",
        "alternates",
        "published_at",
        "event_id",
    )
)
"""What clustering reads of an article: the :class:`StoryKey` columns, not the whole row (whose
raw HTML and text would make every candidate lookup load megabytes)."""

EVENT_COLUMNS = tuple(
    _ARTICLES.c[name]
    for name in (
        "id",
        "published_at",
        "date_uncertain",
        "country",
        "period_year",
        "period_number",
        "relevance_score",
        "relevance_label",
        "topic",
        "facts",
    )
)
"""What an event's machine columns are computed from."""
MACHINE_COLUMNS = EVENT_COLUMNS[1:]

# Built once: an article store runs each of them, and building a statement costs more than
# running it on SQLite.
_ARTICLE_KEY = select(*KEY_COLUMNS).where(_ARTICLES.c.id == bindparam("article_id"))
_KEYS = cast(Table, ArticleMatchKey.__table__)
_CANDIDATE_IDS = union(
    select(_ARTICLES.c.id).where(_ARTICLES.c.content_hash == bindparam("content_hash")),
    select(_ARTICLES.c.id).where(_ARTICLES.c.canonical_url.in_(bindparam("alternates", expanding=True))),
    select(_KEYS.c.article_id).where(_KEYS.c.key == bindparam("url_key")),
    select(_KEYS.c.article_id).where(
        _KEYS.c.key.in_(bindparam("band_keys", expanding=True)),
        _KEYS.c.published_at.between(bindparam("start"), bindparam("end")),
        _KEYS.c.article_id != bindparam("article_id"),  # its own bands, and one row per shared band
    ),
)
"""Who may tell the same story, each branch an index lookup: the same text, a page the article
names as an alternate, a page naming it as one, a signature sharing an LSH band within the
candidate window. Separate lookups rather than one OR over the articles table, which databases
answer by scanning it."""
_CANDIDATES = (
    select(*KEY_COLUMNS)
    .where(
        _ARTICLES.c.id.in_(bindparam("candidate_ids", expanding=True)),
        _ARTICLES.c.id != bindparam("article_id"),
        _ARTICLES.c.event_id.is_not(None),
    )
    .order_by(_ARTICLES.c.id)
)
_DROP_KEYS = delete(_KEYS).where(_KEYS.c.article_id == bindparam("article_id"))
_NEW_EVENT = insert(_EVENTS).returning(_EVENTS.c.id)
_SET_EVENT = (
    update(_ARTICLES)
    .where(_ARTICLES.c.id == bindparam("article_id"), _ARTICLES.c.event_id.is_(None))
    .values(event_id=bindparam("new_event_id"))
)
_DROP_EVENT = delete(_EVENTS).where(_EVENTS.c.id == bindparam("event_id"))
_EVENT_OF = select(_ARTICLES.c.event_id).where(_ARTICLES.c.id == bindparam("article_id"))
_EVENTS_ARTICLES = select(*EVENT_COLUMNS, _ARTICLES.c.event_id).where(
    _ARTICLES.c.event_id.in_(bindparam("event_ids", expanding=True))
)
_REFRESH_EVENT = (
    update(_EVENTS)
    .where(_EVENTS.c.id == bindparam("event_id"))
    .values({column.name: bindparam(f"new_{column.name}") for column in MACHINE_COLUMNS})
)


def story_key(article: Any) -> StoryKey:
    """The clustering key of a stored article (an :class:`Article` or a row of :data:`KEY_COLUMNS`)."""
    return StoryKey.build(
        url=article.canonical_url,
        content_hash=article.content_hash,
        minhash=article.minhash,
        language=article.language,
        alternates=article.alternates or (),
        published=article.published_at,
        canonical=True,  # stored URLs are canonical already
    )


@cache
def _add_keys(dialect: str) -> Any:
    """INSERT of match keys that leaves a key already there alone."""
    if dialect == "postgresql":
        return postgresql.insert(_KEYS).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(_KEYS).on_conflict_do_nothing()
    raise NotImplementedError(f"match keys are implemented for PostgreSQL and SQLite, not {dialect}")


def store_match_keys(
    session: Session, article_id: int, published_at: datetime, key: StoryKey, *, replace: bool = True
) -> None:
    """Store the match keys of an article (:meth:`StoryKey.stored_keys`), replacing its old ones
    (``replace=False`` for an article just inserted, which has none). When the stored ones are
    known (:func:`knowing_stored_rows`) and are these, nothing is written."""
    keys = key.stored_keys()
    known: dict[int, Any] | None = session.info.get(KNOWN_KEYS)
    wanted = frozenset((k, published_at.astimezone(UTC)) for k in keys)
    if replace and known is not None and known.get(article_id) == wanted:
        return
    session.flush()
    connection = session.connection()
    if replace:
        connection.execute(_DROP_KEYS, {"article_id": article_id})
    if keys:
        connection.execute(
            _add_keys(connection.dialect.name),
            [{"key": k, "published_at": published_at, "article_id": article_id} for k in keys],
        )
    if known is not None:
        known[article_id] = wanted


KNOWN_KEYS = "newsmon.known_match_keys"
"""``Session.info`` key: the stored match keys of the articles a batch rewrites, by article id
(see :func:`storage.retag.knowing_stored_rows`), kept current by :func:`store_match_keys`."""
_STORED_KEYS = select(_KEYS.c.article_id, _KEYS.c.key, _KEYS.c.published_at).where(
    _KEYS.c.article_id.in_(bindparam("ids", expanding=True))
)


def stored_match_keys(session: Session, article_ids: Iterable[int]) -> dict[int, frozenset[Any]]:
    """The stored match keys of these articles, ``(key, published_at)`` per article id (one
    query per :data:`CANDIDATE_BATCH` articles)."""
    ids = sorted(set(article_ids))
    found: dict[int, set[Any]] = {article_id: set() for article_id in ids}
    connection = session.connection()
    for start in range(0, len(ids), CANDIDATE_BATCH):
        for row in connection.execute(_STORED_KEYS, {"ids": ids[start : start + CANDIDATE_BATCH]}):
            found[row.article_id].add((row.key, row.published_at.astimezone(UTC)))
    return {article_id: frozenset(keys) for article_id, keys in found.items()}


def candidate_ids(session: Session, article: Any, key: StoryKey | None = None) -> list[int]:
    """The articles :func:`same_story` is asked about for a stored article (an :class:`Article`
    or a row of :data:`KEY_COLUMNS`; ``key`` its :func:`story_key` if already made): those
    :data:`_CANDIDATE_IDS` finds, itself left out."""
    key = key or story_key(article)
    session.flush()
    found = session.connection().execute(
        _CANDIDATE_IDS,
        {
            "article_id": article.id,
            "content_hash": article.content_hash,
            "alternates": sorted(key.alternates),
            "url_key": url_key(key.canonical_url),
            "band_keys": sorted(band_keys(key.minhash)),
            "start": article.published_at - CANDIDATE_WINDOW,
            "end": article.published_at + CANDIDATE_WINDOW,
        },
    )
    return sorted(set(found.scalars()) - {article.id})


def find_matching_event(session: Session, article: Any) -> int | None:
    """The event of a stored article (an :class:`Article` or a row of :data:`KEY_COLUMNS`) that
    tells the same story, if any: the first candidate (oldest article) that does."""
    key = story_key(article)
    ids = candidate_ids(session, article, key)
    connection = session.connection()
    for start in range(0, len(ids), CANDIDATE_BATCH):
        batch = {"candidate_ids": ids[start : start + CANDIDATE_BATCH], "article_id": article.id}
        for candidate in connection.execute(_CANDIDATES, batch):
            if same_story(key, story_key(candidate)):
                return int(candidate.event_id)
    return None


def lock_clustering(session: Session) -> None:
    """On PostgreSQL, take the transaction-scoped advisory lock that serialises event assignment
    (again, if the transaction holds it already; SQLite serialises writing transactions anyway).

    A transaction storing several articles takes it before its first write: holding it while
    inserting a later article could otherwise wait for another transaction that inserted the same
    article and now waits for the lock (a deadlock PostgreSQL would break by aborting one)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    # Once per transaction: taking it again is a statement per article for nothing. A savepoint
    # counts as a transaction of its own (a lock taken in one that is rolled back is released).
    current = session.get_nested_transaction() or session.get_transaction()
    if current is not None and session.info.get(_LOCKED_IN) is current:
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLUSTER_LOCK_KEY})
    session.info[_LOCKED_IN] = session.get_nested_transaction() or session.get_transaction()


@dataclass(frozen=True, slots=True)
class WrittenArticle:
    """What the caller just wrote of an article, as clustering would read it back: its
    :data:`KEY_COLUMNS` and :data:`EVENT_COLUMNS` (``event_id`` as the write found it). Handing
    it to :func:`assign_event` saves reading the row again, and for a new event, reading and
    updating the event after inserting it."""

    id: int
    canonical_url: str
    content_hash: str | None
    minhash: bytes | None
    language: str | None
    alternates: dict[str, str]
    published_at: datetime
    event_id: int | None
    date_uncertain: bool
    country: str | None
    period_year: int
    period_number: int
    relevance_score: float
    relevance_label: str
    topic: str | None
    facts: dict[str, Any] | None

    @classmethod
    def of(
        cls, tagged: TaggedArticle, article_id: int, content_hash: str | None, minhash: bytes | None,
        event_id: int | None,
    ) -> WrittenArticle:
        """The row as :func:`storage.repository.upsert_article` wrote it (with the signatures of
        its text once site-wide paragraphs are dropped), in the form the database reads it back."""
        facts = facts_to_json(tagged.facts) if tagged.facts is not None else None
        return cls(
            id=article_id,
            canonical_url=tagged.canonical_url,
            content_hash=content_hash,
            minhash=minhash,
            language=tagged.language,
            alternates=dict(tagged.page.alternates),
            published_at=tagged.published_at.astimezone(UTC),  # stored as UTC
            event_id=event_id,
            date_uncertain=tagged.date_uncertain,
            country=tagged.country,
            period_year=tagged.period.year,
            period_number=tagged.period.number,
            relevance_score=float(tagged.relevance.score),
            relevance_label=tagged.relevance.label,
            topic=tagged.topic,
            facts=json.loads(json.dumps(facts)) if facts is not None else None,  # as a JSON column reads
        )


def assign_event(
    session: Session,
    article_id: int,
    written: WrittenArticle | None = None,
    *,
    refresh: set[int] | None = None,
) -> int:
    """Give the article an event: an existing one telling the same story, or a new one.

    ``written``: the article's columns as the caller just wrote them (otherwise they are read).
    ``refresh``: the event to refresh is added to this set, for the caller to refresh with
    :func:`refresh_events` before it commits (otherwise it is refreshed now).

    The assignment is a conditional UPDATE (only while the article has no event), so two
    processes storing the same article cannot give it two events. Deciding *which* event is a
    read (the stored candidates) then a write; on PostgreSQL it holds a transaction-scoped
    advisory lock, so two processes storing two versions of one story at once cannot each miss
    the other and open two events (SQLite serialises writing transactions anyway).
    """
    lock_clustering(session)
    session.flush()
    connection = session.connection()
    article: Any = written
    if article is None:
        article = connection.execute(_ARTICLE_KEY, {"article_id": article_id}).one_or_none()
        if article is None:
            raise LookupError(f"no article {article_id}")
    if article.event_id is not None:
        _refresh(session, int(article.event_id), refresh)
        return int(article.event_id)
    target = find_matching_event(session, article)
    created: int | None = None
    if target is None:
        # A new event has this article only: its machine columns are the article's, known when
        # the caller wrote it (no read back, no refresh).
        values = {"created_at": utcnow(), **(_event_values([article]) if written is not None else {})}
        created = target = connection.execute(_NEW_EVENT, values).scalar_one()
    assigned = connection.execute(_SET_EVENT, {"article_id": article_id, "new_event_id": target}).rowcount
    if not assigned:
        if created is not None:
            connection.execute(_DROP_EVENT, {"event_id": created})
            created = None
        target = connection.execute(_EVENT_OF, {"article_id": article_id}).scalar()
        assert target is not None
    if created is None or written is None:
        _refresh(session, int(target), refresh)
    return int(target)


def _refresh(session: Session, event_id: int, later: set[int] | None) -> None:
    if later is None:
        refresh_event(session, event_id)
    else:
        later.add(event_id)


def _merged_facts(articles: list[Any]) -> dict[str, Any] | None:
    """The event's facts: those of its articles merged, the lead's first (None when no article
    has any, i.e. none is relevant)."""
    stated = [facts_from_json(a.facts) for a in articles if a.facts is not None]
    return facts_to_json(merge_facts(stated)) if stated else None


def _event_values(articles: list[Any]) -> dict[str, Any]:
    """An event's machine columns, computed from its articles (rows of :data:`EVENT_COLUMNS`)."""
    dated = [a for a in articles if not a.date_uncertain] or articles
    lead = min(dated, key=lambda a: (a.published_at, a.id))
    strongest = max(articles, key=lambda a: (a.relevance_score, -a.id))
    from_lead = ("country", "published_at", "date_uncertain", "period_year", "period_number")
    values = {name: getattr(lead, name) for name in from_lead}
    from_strongest = ("relevance_score", "relevance_label", "topic")
    values.update({name: getattr(strongest, name) for name in from_strongest})
    values["facts"] = _merged_facts(sorted(articles, key=lambda a: (a is not lead, a.published_at, a.id)))
    return values


def refresh_event(session: Session, event_id: int) -> None:
    """Recompute an event's machine columns from its articles; analyst columns stay as they are."""
    refresh_events(session, [event_id])


def refresh_events(session: Session, event_ids: Iterable[int]) -> None:
    """:func:`refresh_event` for several events: their articles read in one query (per
    :data:`CANDIDATE_BATCH` events) and the events written in one ``executemany``.

    A batch of stores can refresh its events once, at its end (``refresh=`` of
    :func:`assign_event`): an event's machine columns are a function of its articles' rows, and
    nothing in the batch reads them, so the result is the same as refreshing after each article."""
    ids = sorted(set(event_ids))
    if not ids:
        return
    session.flush()
    connection = session.connection()
    articles: dict[int, list[Any]] = {}
    for start in range(0, len(ids), CANDIDATE_BATCH):
        for row in connection.execute(_EVENTS_ARTICLES, {"event_ids": ids[start : start + CANDIDATE_BATCH]}):
            articles.setdefault(row.event_id, []).append(row)
    changes = [
        {"event_id": event_id, **{f"new_{k}": v for k, v in _event_values(rows).items()}}
        for event_id, rows in sorted(articles.items())
    ]
    if changes:
        connection.execute(_REFRESH_EVENT, changes)
    for event_id in articles:
        loaded = session.identity_map.get(identity_key(Event, event_id))
        if loaded is not None:  # an Event the caller holds (editing): let it read the new values
            session.expire(loaded)
