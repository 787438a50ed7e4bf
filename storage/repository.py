"""Typed reads and idempotent writes. The only dialect-aware code in newsmon.

Writes are upserts keyed by unique constraints (``INSERT … ON CONFLICT``), so re-crawling
never duplicates a row, two processes writing the same article at once end with one row, and
the analyst-edited columns of events are never part of what a crawl writes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from config import SourcesFile
from core.facts import facts_to_json
from core.types import PageInput, TaggedArticle
from core.urls import InvalidURL, is_web_url, url_host
from storage.models import Article, AuditEntry, CrawlRun, Event, Source, utcnow

ERROR_SAMPLES_KEPT = 50


@dataclass(frozen=True, slots=True)
class StoreResult:
    article_id: int
    created: bool
    event_id: int | None


def _insert(session: Session, table: Any) -> Any:
    """The dialect's INSERT construct that supports ON CONFLICT."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"upserts are implemented for PostgreSQL and SQLite, not {dialect}")


# --- sources -----------------------------------------------------------------------------------


def sync_sources(session: Session, sources: SourcesFile) -> None:
    """Create or update one row per configured source (crawl bookkeeping is kept)."""
    for source in sources.sources:
        values = {
            "id": source.id,
            "name": source.name,
            "country": source.country,
            "timezone": source.timezone,
            "enabled": source.enabled,
            "crawl_state": {},
        }
        statement = _insert(session, Source).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[Source.id],
            set_={key: statement.excluded[key] for key in ("name", "country", "timezone", "enabled")},
        )
        session.execute(statement)


def sources_in_order(session: Session) -> Sequence[Source]:
    """Every stored source, by id."""
    return session.scalars(select(Source).order_by(Source.id)).all()


def source_zones(session: Session) -> dict[str, str]:
    """Each source's time zone (the one its articles' periods are computed in), by source id."""
    return {source.id: source.timezone for source in session.scalars(select(Source))}


def source_names(session: Session) -> dict[str, str]:
    return {source.id: source.name for source in session.scalars(select(Source))}


def source_zone(session: Session, source_id: str) -> str | None:
    source = session.get(Source, source_id)
    return source.timezone if source is not None else None


def articles_per_source(session: Session) -> dict[str | None, int]:
    """How many articles are stored per source id."""
    rows = session.execute(select(Article.source_id, func.count()).group_by(Article.source_id)).all()
    return {source_id: count for source_id, count in rows}


def crawl_state(session: Session, source_id: str) -> dict[str, Any]:
    state = session.scalar(select(Source.crawl_state).where(Source.id == source_id))
    return dict(state or {})


def save_crawl_state(session: Session, source_id: str, state: dict[str, Any]) -> None:
    session.execute(update(Source).where(Source.id == source_id).values(crawl_state=state))


def merge_crawl_state(
    session: Session,
    source_id: str,
    *,
    channels: dict[str, dict[str, Any]] | None = None,
    walk: dict[str, int] | None = None,
) -> None:
    """Merge what one of several concurrent crawlers of a source learnt into its crawl state
    (distributed crawling): the given channels' entries replace the stored ones except the
    high-water mark, which only advances; walk ids only grow. The row is locked while merging,
    so concurrent merges never lose each other's channels."""
    row = session.scalar(select(Source).where(Source.id == source_id).with_for_update())
    if row is None:
        raise LookupError(f"no source {source_id}")
    state = dict(row.crawl_state or {})
    stored_channels = dict(state.get("channels") or {})
    for key, value in (channels or {}).items():
        merged = {**stored_channels.get(key, {}), **value}
        old_mark, new_mark = stored_channels.get(key, {}).get("high_water"), value.get("high_water")
        if old_mark and new_mark and datetime.fromisoformat(old_mark) > datetime.fromisoformat(new_mark):
            merged["high_water"] = old_mark
        stored_channels[key] = merged
    state["channels"] = stored_channels
    stored_walk = dict(state.get("walk") or {})
    for key, position in (walk or {}).items():
        stored_walk[key] = max(int(position), int(stored_walk.get(key, 0)))
    if walk:
        state["walk"] = stored_walk
    row.crawl_state = state


# --- crawl runs --------------------------------------------------------------------------------


def start_run(
    session: Session, source_id: str, *, trigger: str = "manual", options: dict[str, Any] | None = None
) -> int:
    run = CrawlRun(source_id=source_id, trigger=trigger, options=options or {}, status="running")
    session.add(run)
    session.flush()
    return run.id


def count_page(session: Session, run_id: int, pages: int = 1) -> None:
    session.execute(
        update(CrawlRun).where(CrawlRun.id == run_id).values(pages_fetched=CrawlRun.pages_fetched + pages)
    )


_RUNS = cast(Table, CrawlRun.__table__)
_COUNT_ARTICLE = {
    created: update(_RUNS)
    .where(_RUNS.c.id == bindparam("run_id"))
    .values({column.name: column + 1})
    for created, column in (
        (True, _RUNS.c.articles_new),
        (False, _RUNS.c.articles_updated),
    )
}


_COUNT_ARTICLES = {
    created: update(_RUNS)
    .where(_RUNS.c.id == bindparam("run_id"))
    .values({column.name: column + bindparam("number")})
    for created, column in (
        (True, _RUNS.c.articles_new),
        (False, _RUNS.c.articles_updated),
    )
}


def count_article(session: Session, run_id: int, *, created: bool) -> None:
    session.connection().execute(_COUNT_ARTICLE[created], {"run_id": run_id})


def record_error(
    session: Session,
    run_id: int,
    kind: str,
    url: str | None = None,
    detail: str | None = None,
    *,
    counted: bool = True,
) -> None:
    """Count an error of ``kind`` on the run and keep a sample of it (the first few per run).

    ``counted=False``: a note, not a loss (known markup that matched nothing while the crawl went
    on generically): it is counted by kind, for the health checks, but not in ``errors``."""
    run = session.get(CrawlRun, run_id, with_for_update=session.get_bind().dialect.name == "postgresql")
    if run is None:
        raise LookupError(f"no crawl run {run_id}")
    by_kind = dict(run.errors_by_kind or {})
    by_kind[kind] = by_kind.get(kind, 0) + 1
    run.errors_by_kind = by_kind
    if counted:
        run.errors = (run.errors or 0) + 1
    if len(run.error_samples or []) < ERROR_SAMPLES_KEPT:
        run.error_samples = [
            *(run.error_samples or []),
            {"kind": kind, "url": url, "detail": (detail or "")[:500]},
        ]


def finish_run(session: Session, run_id: int, *, status: str, message: str | None = None) -> None:
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(status=status, finished_at=utcnow(), message=message)
    )


def last_runs(session: Session, source_id: str, limit: int = 5) -> Sequence[CrawlRun]:
    return session.scalars(
        select(CrawlRun).where(CrawlRun.source_id == source_id).order_by(CrawlRun.id.desc()).limit(limit)
    ).all()


# --- articles ----------------------------------------------------------------------------------


def known_canonical_urls(session: Session, canonical_urls: Iterable[str]) -> set[str]:
    """Which of these canonical URLs are stored already."""
    wanted = list(dict.fromkeys(canonical_urls))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(session.scalars(select(Article.canonical_url).where(Article.canonical_url.in_(chunk))))
    return found


def newest_published(session: Session, source_id: str, host: str | None = None) -> datetime | None:
    query = select(func.max(Article.published_at)).where(
        Article.source_id == source_id, Article.date_uncertain.is_(False)
    )
    if host is not None:
        query = query.where(Article.host == host)
    return session.scalar(query)


def compress_html(html: str | None) -> bytes | None:
    return None if html is None else zlib.compress(html.encode("utf-8", "surrogatepass"), 6)


def decompress_html(blob: bytes | None) -> str | None:
    return None if blob is None else zlib.decompress(blob).decode("utf-8", "surrogatepass")


def page_columns(page: PageInput) -> dict[str, Any]:
    """The columns of an article row that the page states (what a retag reads back)."""
    return {
        "url": page.url,
        "host": url_host(page.url),
        "source_id": page.source_id,
        "fetched_at": page.fetched_at or utcnow(),
        "http_status": page.http_status,
        "encoding": page.encoding,
        "encoding_confidence": page.encoding_confidence,
        "raw_html_z": compress_html(page.html),
        "declared_language": page.declared_language,
        "alternates": dict(page.alternates),
        "site_published": page.site_published if page.site_published and page.site_published.tzinfo else None,
    }


def tag_columns(tagged: TaggedArticle) -> dict[str, Any]:
    """The columns of an article row that the tagger computes (what a retag writes)."""
    return {
        "title": tagged.title,
        "text": tagged.text,
        "author": tagged.author,
        "published_at": tagged.published_at,
        "date_uncertain": tagged.date_uncertain,
        "language": tagged.language,
        "language_confidence": tagged.language_confidence,
        "country": tagged.country,
        "countries_mentioned": list(tagged.countries_mentioned),
        "period_year": tagged.period.year,
        "period_number": tagged.period.number,
        "relevance_score": tagged.relevance.score,
        "relevance_label": tagged.relevance.label,
        "relevance_evidence": [asdict(item) for item in tagged.relevance.evidence],
        "relevance_lexicon_score": tagged.relevance.lexicon_score,
        "relevance_model": tagged.relevance.model,
        "relevance_note": tagged.relevance.note,
        "topic": tagged.topic,
        "facts": facts_to_json(tagged.facts) if tagged.facts is not None else None,
        "content_hash": tagged.content_hash,
        "minhash": tagged.minhash,
        "extraction_status": tagged.extraction_status,
        "extraction_reason": tagged.extraction_reason,
        "tagged_at": utcnow(),
        "tagger_version": tagged.tagger_version,
    }


def _article_values(tagged: TaggedArticle) -> dict[str, Any]:
    """The machine-owned columns of an article row."""
    return {**page_columns(tagged.page), **tag_columns(tagged)}


@cache
def _article_statements(dialect: str) -> tuple[Any, Any]:
    """The article upsert's two statements, built once: values come as execution parameters, so
    each store only binds them (building ``.values(**row)`` per article is most of its cost)."""
    table = cast(Table, Article.__table__)
    if dialect == "postgresql":
        insert: Any = postgresql.insert(table).on_conflict_do_nothing(index_elements=[table.c.canonical_url])
    elif dialect == "sqlite":
        insert = sqlite.insert(table).on_conflict_do_nothing(index_elements=[table.c.canonical_url])
    else:
        raise NotImplementedError(f"upserts are implemented for PostgreSQL and SQLite, not {dialect}")
    create = insert.returning(table.c.id)
    refresh = (
        update(table)
        .where(table.c.canonical_url == bindparam("match_canonical_url"))
        .returning(table.c.id, table.c.event_id)
    )
    return create, refresh


def upsert_article(
    session: Session,
    tagged: TaggedArticle,
    run_id: int | None = None,
    *,
    count: bool = True,
    refresh: set[int] | None = None,
) -> StoreResult:
    """Insert the article, or refresh the machine columns of the stored one; drop the paragraphs
    its source prints on every page (:mod:`storage.boilerplate`); then cluster it.

    ``count=False``: the caller counts the article on its run (:func:`count_articles`, once per
    batch rather than a statement per article). ``refresh``: the caller refreshes the article's
    event before it commits (:func:`storage.clustering.refresh_events`, once per batch); its id
    is added to this set.

    Race-free across processes: the unique canonical URL decides, never a read-then-write.
    """
    from storage.clustering import lock_clustering

    if not is_web_url(tagged.page.url):
        raise InvalidURL(f"not an http(s) article URL, not stored: {tagged.page.url[:200]!r}")
    values = _article_values(tagged)
    lock_clustering(session)  # before the first write (see lock_clustering)
    session.flush()
    connection = session.connection()
    create, update_stored = _article_statements(connection.dialect.name)
    article_id = connection.execute(
        create,
        {
            "canonical_url": tagged.canonical_url,
            "first_run_id": run_id,
            "last_run_id": run_id,
            "first_seen_at": utcnow(),
            **values,
        },
    ).scalar()
    created = article_id is not None
    event_id: int | None = None
    if not created:
        row = connection.execute(
            update_stored, {"match_canonical_url": tagged.canonical_url, "last_run_id": run_id, **values}
        ).one()
        article_id, event_id = row.id, row.event_id
    assert article_id is not None
    event_id = cluster_article(
        session, tagged, article_id, created=created, event_id=event_id, refresh=refresh
    )
    if run_id is not None and count:
        # Last, so the run row (shared by concurrent crawl workers) stays locked only briefly.
        count_article(session, run_id, created=created)
    return StoreResult(article_id=article_id, created=created, event_id=event_id)


def cluster_article(
    session: Session,
    tagged: TaggedArticle,
    article_id: int,
    *,
    created: bool,
    event_id: int | None,
    refresh: set[int] | None = None,
) -> int:
    """After an article's row is written: drop the paragraphs its source prints on every page,
    store its clustering keys and give it an event (refreshing the event's machine columns); the
    event's id. ``event_id``: the row's event as the write found it (RETURNING; None for a row
    just inserted); ``refresh`` as for :func:`storage.clustering.assign_event`. The caller took
    :func:`storage.clustering.lock_clustering` before writing.

    Nothing of the row is read back: clustering is handed what was just written
    (:class:`storage.clustering.WrittenArticle`), in the form the database gives it back."""
    from core.story import StoryKey
    from storage.boilerplate import drop_site_wide
    from storage.clustering import WrittenArticle, assign_event, store_match_keys

    cleaned = drop_site_wide(
        session, tagged.page.source_id, article_id, tagged.text, tagged.canonical_url, fresh=created
    )
    content_hash = cleaned.content_hash if cleaned else tagged.content_hash
    minhash = cleaned.minhash if cleaned else tagged.minhash
    key = StoryKey.build(
        url=tagged.canonical_url,
        content_hash=content_hash,
        minhash=minhash,
        alternates=tagged.page.alternates,
    )
    store_match_keys(session, article_id, tagged.published_at, key, replace=not created)
    written = WrittenArticle.of(tagged, article_id, content_hash, minhash, event_id)
    return assign_event(session, article_id, written, refresh=refresh)


def count_articles(session: Session, results: Iterable[tuple[int | None, StoreResult]]) -> None:
    """Count stored articles on their crawl runs: ``(run id, result)`` pairs, one UPDATE per run
    and kind (new / updated) rather than one per article."""
    counts: dict[tuple[int, bool], int] = {}
    for run_id, result in results:
        if run_id is not None:
            counts[run_id, result.created] = counts.get((run_id, result.created), 0) + 1
    connection = session.connection()
    for (run_id, created), number in sorted(counts.items()):
        connection.execute(_COUNT_ARTICLES[created], {"run_id": run_id, "number": number})


def article_by_url(session: Session, canonical: str) -> Article | None:
    return session.scalar(select(Article).where(Article.canonical_url == canonical))


def articles_in_period(session: Session, year: int, number: int) -> Select[Article]:
    return select(Article).where(Article.period_year == year, Article.period_number == number)


# --- audit -------------------------------------------------------------------------------------


def audit(
    session: Session,
    *,
    actor: str,
    entity_type: str,
    entity_id: object,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one row to the audit log (values must be JSON-serialisable)."""
    session.add(
        AuditEntry(
            actor=actor,
            entity_type=entity_type,
            entity_id=str(entity_id),
            action=action,
            before=before or {},
            after=after or {},
        )
    )


def audit_trail(session: Session, entity_type: str, entity_id: object) -> Sequence[AuditEntry]:
    return session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    ).all()


def event_by_id(session: Session, event_id: int) -> Event | None:
    return session.get(Event, event_id)


# --- crawl support (crawlers/) -----------------------------------------------------------------


def canonical_urls_of_source(session: Session, source_id: str) -> set[str]:
    """Every stored canonical URL of a source (the crawler's known-URL cache at spider open)."""
    return set(session.scalars(select(Article.canonical_url).where(Article.source_id == source_id)))


def crawl_runs_by_id(session: Session, run_ids: Sequence[int]) -> list[CrawlRun | None]:
    """The crawl runs with these ids, in the same order (None for an id with no row)."""
    return [session.get(CrawlRun, run_id) for run_id in run_ids]
