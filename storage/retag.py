"""What ``newsmon retag`` reads and writes: stored articles as pages again, and their new tags.

The retag loop itself (:mod:`newsmon.retag`) runs the pipeline, in worker processes; here are
the selection, the stored page (plain values a worker can be handed: no session, no SQL) and
the write that keeps the crawl bookkeeping as it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from core.types import PageInput, TaggedArticle
from storage.boilerplate import KNOWN_PARAGRAPHS, filed_paragraphs
from storage.clustering import KNOWN_KEYS, lock_clustering, stored_match_keys
from storage.models import Article
from storage.repository import cluster_article, decompress_html, tag_columns

SIGNATURE_COLUMNS = (
    "relevance_label",
    "topic",
    "country",
    "language",
    "period_year",
    "period_number",
    "date_uncertain",
    "extraction_status",
)
"""The tags whose change a retag counts as "changed" (what an analyst would see move)."""

Signature = tuple[Any, ...]

_ARTICLES = cast(Table, Article.__table__)
_RETAG = update(_ARTICLES).where(_ARTICLES.c.id == bindparam("match_id")).returning(_ARTICLES.c.event_id)
"""Built once, the new tags come as parameters (building ``.values(**row)`` per article costs more
than running it)."""
_PAGE_COLUMNS = (
    "id", "url", "canonical_url", "source_id", "raw_html_z", "encoding", "encoding_confidence", "title",
    "text", "site_published", "declared_language", "alternates", "http_status", "fetched_at", "last_run_id",
)


@dataclass(frozen=True, slots=True)
class StoredPage:
    """One stored article as the retag needs it: the page (HTML still compressed, so handing it to
    a worker process copies a third of the bytes) and what the write must keep or compare."""

    article_id: int
    canonical_url: str
    last_run_id: int | None
    signature: Signature
    """The tags of :data:`SIGNATURE_COLUMNS` before the retag."""
    page_values: dict[str, Any]
    html_z: bytes | None

    def page(self) -> PageInput:
        """The page as the crawler handed it over (pure: runs in a worker process).

        The stored title and text go in as what the site "stated": the extract stage re-extracts
        from the raw HTML and falls back to them only when the page yields too little (as it did
        for a feed's full text). A regional host's time zone is found again by the runner.
        """
        return PageInput(html=decompress_html(self.html_z), **self.page_values)


def select_article_ids(
    session: Session,
    *,
    since: date | None = None,
    source_id: str | None = None,
    not_tagged_by: str | None = None,
) -> list[int]:
    """Ids of the stored articles to retag, in id order: published on or after ``since`` (UTC
    day), of one source, and (``not_tagged_by``) whose tags another tagger version made."""
    query = select(Article.id).order_by(Article.id)
    if since is not None:
        query = query.where(Article.published_at >= datetime.combine(since, time.min, ZoneInfo("UTC")))
    if source_id is not None:
        query = query.where(Article.source_id == source_id)
    if not_tagged_by is not None:
        query = query.where(or_(Article.tagger_version.is_(None), Article.tagger_version != not_tagged_by))
    return list(session.scalars(query))


def stored_pages(session: Session, ids: Sequence[int]) -> list[StoredPage]:
    """The stored pages of these articles, in id order, read in one query (only the columns
    a page and the write need: not the old text's siblings such as MinHash or facts)."""
    columns = [_ARTICLES.c[name] for name in (*_PAGE_COLUMNS, *SIGNATURE_COLUMNS)]
    rows = session.execute(select(*columns).where(_ARTICLES.c.id.in_(ids)).order_by(_ARTICLES.c.id))
    pages = []
    for row in rows.mappings():
        pages.append(
            StoredPage(
                article_id=row["id"],
                canonical_url=row["canonical_url"],
                last_run_id=row["last_run_id"],
                signature=tuple(row[name] for name in SIGNATURE_COLUMNS),
                html_z=row["raw_html_z"],
                page_values={
                    "url": row["url"],
                    "source_id": row["source_id"],
                    "encoding": row["encoding"],
                    "encoding_confidence": row["encoding_confidence"],
                    "title": row["title"] or None,
                    "text": row["text"] or None,
                    "site_published": row["site_published"],
                    "declared_language": row["declared_language"],
                    "alternates": dict(row["alternates"] or {}),
                    "http_status": row["http_status"],
                    "fetched_at": row["fetched_at"],
                },
            )
        )
    return pages


def signature_of(tagged: TaggedArticle) -> Signature:
    """The :data:`SIGNATURE_COLUMNS` a tagged article will store."""
    return (
        tagged.relevance.label, tagged.topic, tagged.country, tagged.language, tagged.period.year,
        tagged.period.number, tagged.date_uncertain, tagged.extraction_status,
    )


@contextmanager
def knowing_stored_rows(session: Session, article_ids: Sequence[int]) -> Iterator[None]:
    """Within the ``with`` block, the articles' filed paragraphs and match keys are known (read in
    two queries for the batch), and rewriting them with the same rows is skipped: a retag that
    leaves an article's text as it was costs four statements less for it.

    The known rows are kept current by every write of them in the session
    (:func:`storage.boilerplate.remember_paragraphs`, :func:`storage.clustering.store_match_keys`,
    the cleaning of earlier articles included). Use it only where no savepoint is rolled back
    inside the block: a rollback would leave them stale (the retag's row-by-row retry does
    without)."""
    lock_clustering(session)  # so that no other writer changes them between this read and ours
    session.info[KNOWN_PARAGRAPHS] = filed_paragraphs(session, article_ids)
    session.info[KNOWN_KEYS] = stored_match_keys(session, article_ids)
    try:
        yield
    finally:
        session.info.pop(KNOWN_PARAGRAPHS, None)
        session.info.pop(KNOWN_KEYS, None)


def store_retagged(
    session: Session, stored: StoredPage, tagged: TaggedArticle, *, refresh: set[int] | None = None
) -> None:
    """Write the new tags of one article, then cluster it again.

    Only the columns the tagger computes are written (:func:`storage.repository.tag_columns`):
    the page's columns are what the page was rebuilt from, the stored key is kept even if
    canonicalisation rules changed since, and so is the crawl run that last wrote the row (a
    retag is no run). Analyst columns of events are never written. ``refresh``: the caller
    refreshes the article's event before committing (:func:`storage.clustering.refresh_events`).
    """
    lock_clustering(session)  # before the first write (see lock_clustering)
    row = session.connection().execute(_RETAG, {"match_id": stored.article_id, **tag_columns(tagged)}).one()
    event_id = row.event_id
    kept_key = replace(tagged, canonical_url=stored.canonical_url)
    cluster_article(session, kept_key, stored.article_id, created=False, event_id=event_id, refresh=refresh)
