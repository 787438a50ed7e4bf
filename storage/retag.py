"""What ``newsmon retag`` reads and writes: stored articles as pages again, and their new tags.

The retag loop itself (:mod:`newsmon.retag`) runs the pipeline; here are the selection, the
rebuilt :class:`~core.types.PageInput` and the write that keeps the crawl bookkeeping as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from core.types import PageInput, TaggedArticle
from storage.models import Article
from storage.repository import decompress_html, upsert_article


def select_article_ids(
    session: Session, *, since: date | None = None, source_id: str | None = None
) -> list[int]:
    """Ids of the stored articles to retag: published on or after ``since`` (UTC day), of one source."""
    query = select(Article.id).order_by(Article.id)
    if since is not None:
        query = query.where(Article.published_at >= datetime.combine(since, time.min, ZoneInfo("UTC")))
    if source_id is not None:
        query = query.where(Article.source_id == source_id)
    return list(session.scalars(query))


def articles_by_ids(session: Session, ids: Sequence[int]) -> list[Article]:
    """The stored articles with these ids, in id order."""
    return list(session.scalars(select(Article).where(Article.id.in_(ids)).order_by(Article.id)))


def page_input(article: Article) -> PageInput:
    """The page as the crawler handed it over, rebuilt from the stored columns.

    The stored title and text go in as what the site "stated": the extract stage re-extracts
    from the raw HTML and falls back to them only when the page yields too little (as it did
    for a feed's full text). A regional host's time zone is found again by the runner.
    """
    return PageInput(
        url=article.url,
        source_id=article.source_id,
        html=decompress_html(article.raw_html_z),
        encoding=article.encoding,
        title=article.title or None,
        text=article.text or None,
        site_published=article.site_published,
        declared_language=article.declared_language,
        alternates=dict(article.alternates or {}),
        http_status=article.http_status,
        fetched_at=article.fetched_at,
    )


def store_retagged(article: Article, tagged: TaggedArticle) -> None:
    """Write the new machine columns of ``article`` (loaded by :func:`articles_by_ids`) in a
    savepoint of its session, rolled back alone if it fails, and reload it.

    The stored key is kept even if canonicalisation rules changed since (update, never add), and
    so is the crawl run that last wrote the row: a retag is no run.
    """
    session = object_session(article)
    if session is None:
        raise ValueError(f"article {article.id} is not attached to a session")
    last_run_id = article.last_run_id
    with session.begin_nested():
        upsert_article(session, replace(tagged, canonical_url=article.canonical_url), run_id=None)
        session.execute(update(Article).where(Article.id == article.id).values(last_run_id=last_run_id))
    session.refresh(article)
