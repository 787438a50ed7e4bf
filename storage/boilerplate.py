"""Site-wide paragraphs: counted here, across runs; decided and dropped by :mod:`pipeline.boilerplate`.

Every stored article files the fingerprints of its paragraphs under its source
(:class:`~storage.models.SourceParagraph`). When an article is stored, the paragraphs of it that
are on enough distinct articles of the source (:func:`pipeline.boilerplate.is_site_wide`) are
dropped from its text, and its content hash and MinHash are computed again from what is left. The
article that makes a paragraph site-wide also cleans the source's earlier articles carrying it, so
a crawl that fetches three pages today and two tomorrow ends with none of them holding it. (Their
events stay as clustering made them; ``newsmon retag`` re-clusters.)

The counting is by distinct article, so fetching one page again never makes its own paragraphs
site-wide.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from pipeline import cluster
from pipeline.boilerplate import drop_paragraphs, is_site_wide, paragraph_fingerprints
from storage.models import Article, SourceParagraph

_PARAGRAPHS = cast(Table, SourceParagraph.__table__)
_ARTICLES = cast(Table, Article.__table__)
_FORGET = delete(_PARAGRAPHS).where(_PARAGRAPHS.c.article_id == bindparam("article_id"))
_COUNTS = (
    select(_PARAGRAPHS.c.fingerprint, func.count())
    .where(
        _PARAGRAPHS.c.source_id == bindparam("source_id"),
        _PARAGRAPHS.c.fingerprint.in_(bindparam("fingerprints", expanding=True)),
    )
    .group_by(_PARAGRAPHS.c.fingerprint)
)
_SOURCE_ARTICLES = (
    select(func.count()).select_from(_ARTICLES).where(_ARTICLES.c.source_id == bindparam("source_id"))
)
_CARRIERS = select(_PARAGRAPHS.c.article_id).where(
    _PARAGRAPHS.c.source_id == bindparam("source_id"),
    _PARAGRAPHS.c.fingerprint.in_(bindparam("fingerprints", expanding=True)),
    _PARAGRAPHS.c.article_id != bindparam("article_id"),
)
_TEXTS = select(
    _ARTICLES.c.id,
    _ARTICLES.c.text,
    _ARTICLES.c.canonical_url,
    _ARTICLES.c.published_at,
    _ARTICLES.c.alternates,
).where(_ARTICLES.c.id.in_(bindparam("ids", expanding=True)))
_SET_TEXT = (
    update(_ARTICLES)
    .where(_ARTICLES.c.id == bindparam("article_id"))
    .values(text=bindparam("new_text"), content_hash=bindparam("new_hash"), minhash=bindparam("new_minhash"))
)


KNOWN_PARAGRAPHS = "newsmon.known_paragraphs"
"""``Session.info`` key: the filed paragraphs of the articles a batch rewrites, ``(source id,
fingerprints)`` by article id (see :func:`storage.retag.knowing_stored_rows`), kept current by
:func:`remember_paragraphs`."""
_FILED = select(_PARAGRAPHS.c.article_id, _PARAGRAPHS.c.source_id, _PARAGRAPHS.c.fingerprint).where(
    _PARAGRAPHS.c.article_id.in_(bindparam("ids", expanding=True))
)


def filed_paragraphs(
    session: Session, article_ids: Collection[int]
) -> dict[int, tuple[str | None, frozenset[int]]]:
    """The filed paragraph fingerprints of these articles, ``(source id, fingerprints)`` by id."""
    ids = sorted(set(article_ids))
    found: dict[int, tuple[set[str], set[int]]] = {article_id: (set(), set()) for article_id in ids}
    connection = session.connection()
    for start in range(0, len(ids), 500):
        for row in connection.execute(_FILED, {"ids": ids[start : start + 500]}):
            found[row.article_id][0].add(row.source_id)
            found[row.article_id][1].add(int(row.fingerprint))
    result: dict[int, tuple[str | None, frozenset[int]]] = {}
    for article_id, (sources, fingerprints) in found.items():
        # filed under one source (or none filed); under several, never equal to what is filed now
        source = next(iter(sources)) if len(sources) == 1 else None
        result[article_id] = (source, frozenset(fingerprints)) if len(sources) <= 1 else ("", frozenset())
    return result


@dataclass(frozen=True, slots=True)
class CleanText:
    """An article's text without its site-wide paragraphs, and the signatures of that text."""

    text: str
    content_hash: str
    minhash: bytes | None


def remember_paragraphs(
    session: Session, source_id: str, article_id: int, fingerprints: Collection[int], *, replace: bool = True
) -> None:
    """File the article's paragraph fingerprints under its source (replacing what it had;
    ``replace=False`` for an article just inserted, which has none: its id is new, and the rows
    of a deleted article with the same id went with it, ``ON DELETE CASCADE``)."""
    known: dict[int, Any] | None = session.info.get(KNOWN_PARAGRAPHS)
    wanted = (source_id if fingerprints else None, frozenset(fingerprints))
    if replace and known is not None and known.get(article_id) == wanted:
        return
    connection = session.connection()
    if replace:
        connection.execute(_FORGET, {"article_id": article_id})
    if known is not None:
        known[article_id] = wanted
    if fingerprints:
        connection.execute(
            insert(_PARAGRAPHS),
            [
                {"source_id": source_id, "fingerprint": f, "article_id": article_id}
                for f in sorted(fingerprints)
            ],
        )


def paragraph_counts(session: Session, source_id: str, fingerprints: Collection[int]) -> dict[int, int]:
    """On how many distinct stored articles of the source each of these paragraphs is."""
    if not fingerprints:
        return {}
    rows = session.connection().execute(
        _COUNTS, {"source_id": source_id, "fingerprints": sorted(fingerprints)}
    )
    return {int(fingerprint): int(count) for fingerprint, count in rows}


def source_articles(session: Session, source_id: str) -> int:
    """How many articles of the source are stored."""
    return int(session.connection().execute(_SOURCE_ARTICLES, {"source_id": source_id}).scalar_one())


def _signatures(text: str, canonical_url: str) -> CleanText:
    digest = (
        cluster.content_hash(text) if text.strip() else cluster.content_hash("empty page " + canonical_url)
    )
    return CleanText(text=text, content_hash=digest, minhash=cluster.minhash_signature(text))


def drop_site_wide(
    session: Session,
    source_id: str | None,
    article_id: int,
    text: str,
    canonical_url: str,
    *,
    fresh: bool = False,
) -> CleanText | None:
    """Count the stored article's paragraphs and drop those that are site-wide from its text (and
    from the source's earlier articles, when this article is the one that makes them so).

    ``fresh``: the article's row was just inserted, so it has no paragraphs filed to replace.

    Returns the article's cleaned text and signatures, or None when it had no site-wide paragraph
    (its row is left as written)."""
    if not source_id:
        return None
    session.flush()
    fingerprints = paragraph_fingerprints(text)
    remember_paragraphs(session, source_id, article_id, fingerprints, replace=not fresh)
    counts = paragraph_counts(session, source_id, fingerprints)
    if not counts or not any(is_site_wide(count, 0) for count in counts.values()):
        return None  # no paragraph on enough articles: the source's size need not be counted
    stored = source_articles(session, source_id)
    site_wide = {f for f, count in counts.items() if is_site_wide(count, stored)}
    if not site_wide:
        return None
    just_now = {f for f in site_wide if not is_site_wide(counts[f] - 1, stored - 1)}
    if just_now:
        _clean_earlier(session, source_id, article_id, just_now)
    cleaned = drop_paragraphs(text, site_wide)
    if cleaned == text:
        return None
    result = _signatures(cleaned, canonical_url)
    session.connection().execute(
        _SET_TEXT,
        {
            "article_id": article_id,
            "new_text": result.text,
            "new_hash": result.content_hash,
            "new_minhash": result.minhash,
        },
    )
    return result


def _clean_earlier(session: Session, source_id: str, article_id: int, site_wide: set[int]) -> None:
    """Drop newly site-wide paragraphs from the source's other articles that carry them."""
    from core.story import StoryKey
    from storage.clustering import store_match_keys

    connection = session.connection()
    ids = sorted(
        set(
            connection.execute(
                _CARRIERS,
                {"source_id": source_id, "fingerprints": sorted(site_wide), "article_id": article_id},
            ).scalars()
        )
    )
    if not ids:
        return
    for row in connection.execute(_TEXTS, {"ids": ids}).all():
        cleaned = drop_paragraphs(row.text or "", site_wide)
        if cleaned == (row.text or ""):
            continue
        result = _signatures(cleaned, row.canonical_url)
        connection.execute(
            _SET_TEXT,
            {
                "article_id": row.id,
                "new_text": result.text,
                "new_hash": result.content_hash,
                "new_minhash": result.minhash,
            },
        )
        key = StoryKey.build(
            url=row.canonical_url,
            content_hash=result.content_hash,
            minhash=result.minhash,
            alternates=row.alternates or (),
            canonical=True,
        )
        store_match_keys(session, row.id, row.published_at, key)
        loaded = session.identity_map.get(identity_key(Article, row.id))
        if loaded is not None:  # an Article the caller holds: let it read the new text
            session.expire(loaded)
