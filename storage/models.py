"""SQLAlchemy 2.x models.

Machine-computed columns (refreshed by every crawl or retag) and analyst-edited columns (never
touched by the machine) are kept apart: on :class:`Event` the analyst's choices are the
``status``/``headline_en``/``text_en``/``*_override`` columns; everything else on events and
articles is the machine's and may be recomputed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC; SQLite gives it back aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: storage keeps aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Source(Base):
    """A configured site; rows are synchronised from ``config/sources.toml``."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Per-host high-water marks and other crawl bookkeeping: {"host": {"newest": iso, "max_id": n}}
    crawl_state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    runs: Mapped[list[CrawlRun]] = relationship(back_populates="source")


class CrawlRun(Base):
    """One crawl of one source: what it fetched, stored and failed on."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # running, finished, failed, interrupted
    status: Mapped[str] = mapped_column(String(16), default="running")
    trigger: Mapped[str] = mapped_column(String(16), default="manual")  # manual, schedule, demo
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_updated: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    # {"http_404": 2, "timeout": 1, "no_text": 1, ...}
    errors_by_kind: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # [{"url": ..., "kind": ..., "detail": ...}] — capped, the counts above are complete
    error_samples: Mapped[list[Any]] = mapped_column(JSON, default=list)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # since/until/refetch/mirror
    message: Mapped[str | None] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="runs")


class Event(Base):
    """A candidate event: one story, clustering one or more articles (language versions, reposts)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # --- machine-computed (refreshed from the cluster's articles) ---
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    published_at: Mapped[datetime | None]
    date_uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    period_year: Mapped[int | None] = mapped_column(Integer)
    period_number: Mapped[int | None] = mapped_column(Integer)
    relevance_score: Mapped[float] = mapped_column(Float, default=0.0)
    relevance_label: Mapped[str] = mapped_column(String(16), default="irrelevant")
    topic: Mapped[str | None] = mapped_column(String(32))
    facts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The merged facts of its articles (``core.facts`` JSON)."""
    # --- analyst-edited (never written by a crawl or retag) ---
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)  # new/accepted/rejected
    reject_reason: Mapped[str | None] = mapped_column(Text)
    headline_en: Mapped[str | None] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    country_override: Mapped[str | None] = mapped_column(String(2))
    published_override: Mapped[date | None] = mapped_column(Date, index=True)
    topic_override: Mapped[str | None] = mapped_column(String(32))
    facts_override: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The analyst's corrected facts; when set, they are the event's facts."""
    position: Mapped[int | None] = mapped_column(Integer)  # order inside its release section
    lead_url: Mapped[str | None] = mapped_column(String(2000))
    """Canonical URL of the article the analyst names as the event's original (a decision's
    ``url``, or picked in the UI); the release prints and links it."""
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None]
    # Optimistic locking: a save carries the version it was read at; a stale save is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    articles: Mapped[list[Article]] = relationship(back_populates="event", order_by="Article.id")

    __table_args__ = (Index("ix_events_period", "period_year", "period_number"),)

    @property
    def section_country(self) -> str | None:
        return self.country_override or self.country

    @property
    def effective_topic(self) -> str | None:
        return self.topic_override or self.topic


class Article(Base):
    """One harvested page, unique by canonical URL; the raw HTML is kept zlib-compressed."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String(2000), unique=True)
    url: Mapped[str] = mapped_column(String(2000))  # as the site publishes it
    host: Mapped[str] = mapped_column(String(255), index=True)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    # Indexed: source health counts the articles of a source's recent runs.
    first_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
    last_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    # --- what the site stated ---
    http_status: Mapped[int | None] = mapped_column(Integer)
    encoding: Mapped[str | None] = mapped_column(String(40))
    # How sure the charset is (crawlers.integrity): below 0.9 the page is fetched again.
    encoding_confidence: Mapped[float | None] = mapped_column(Float)
    raw_html_z: Mapped[bytes | None] = mapped_column(LargeBinary)
    declared_language: Mapped[str | None] = mapped_column(String(8))
    alternates: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    site_published: Mapped[datetime | None]
    # --- machine-computed tags ---
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(index=True)
    date_uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8), index=True)
    language_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    countries_mentioned: Mapped[list[Any]] = mapped_column(JSON, default=list)
    period_year: Mapped[int] = mapped_column(Integer)
    period_number: Mapped[int] = mapped_column(Integer)
    relevance_score: Mapped[float] = mapped_column(Float, default=0.0)
    relevance_label: Mapped[str] = mapped_column(String(16), default="irrelevant")
    relevance_evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The learned model's version (its probability is relevance_score), the lexicon's own score
    # and a note on how the article was judged; None for articles tagged before the model.
    relevance_lexicon_score: Mapped[float | None] = mapped_column(Float)
    relevance_model: Mapped[str | None] = mapped_column(String(64))
    relevance_note: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(32), default="other")
    facts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What the facts stage read (``core.facts`` JSON); None for an irrelevant article."""
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    extraction_status: Mapped[str] = mapped_column(String(16), default="ok")
    extraction_reason: Mapped[str | None] = mapped_column(Text)
    tagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The tagger that made the tags above (pipeline.version); None: tagged before it was recorded.
    # `newsmon retag` retags the articles whose version is not the running tagger's.
    tagger_version: Mapped[str | None] = mapped_column(String(32))

    event: Mapped[Event | None] = relationship(back_populates="articles")

    __table_args__ = (
        Index("ix_articles_period", "period_year", "period_number"),
        # newsmon status: articles and relevant articles per source, from the index alone
        Index("ix_articles_source_relevance", "source_id", "relevance_label"),
        # the desk's change marker (storage.page_cache.store_marker): the newest rewritten article
        Index("ix_articles_tagged_at", "tagged_at"),
    )


class ArticleMatchKey(Base):
    """Keys under which clustering finds an article's candidates (:meth:`StoryKey.stored_keys`):
    its MinHash's LSH bands and its hreflang alternates' URLs, with its publication date.
    Machine-owned, rewritten with the article's machine columns. The key and the date lead the
    primary key, so "articles sharing this band within these days" is one index range, and storing
    an article costs the same in a quiet and in a busy news week and after years of articles."""

    __tablename__ = "article_match_keys"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    published_at: Mapped[datetime] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    __table_args__ = {"sqlite_with_rowid": False}


class SourceParagraph(Base):
    """One paragraph (by its fingerprint, :func:`pipeline.boilerplate.fingerprint`) of one stored
    article of a source: what tells site-wide boilerplate (a template's notice on every page) from
    an article's own text, across crawl runs. Machine-owned, rewritten with the article's text."""

    __tablename__ = "source_paragraphs"

    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    __table_args__ = {"sqlite_with_rowid": False}


class Release(Base):
    """One issue of the Information Release (a period) and the files built for it."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    period_text: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft, final
    summary_en: Mapped[str | None] = mapped_column(Text)  # editor's override of the generated one
    summary_ru: Mapped[str | None] = mapped_column(Text)
    # {"en": {"KZ": "..."}, "ru": {...}} — editor's overrides of the drafted topic sentences
    topic_sentences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # [{"edition": "en", "format": "pdf", "path": "...", "draft": true, "built_at": iso, "sha256": ...}]
    files: Mapped[list[Any]] = mapped_column(JSON, default=list)
    built_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # A final build freezes the period: the desk refuses edits to its events until reopened.
    frozen_at: Mapped[datetime | None]
    frozen_by: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (UniqueConstraint("year", "number"),)


class EventMerge(Base):
    """What one merge did, so it can be undone: the merged (deleted) event's fields and articles,
    and the target's values the merge replaced."""

    __tablename__ = "event_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    target_id: Mapped[int] = mapped_column(Integer, index=True)
    source_id: Mapped[int] = mapped_column(Integer, index=True)
    source_state: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The merged event's columns as JSON (dates as ISO text)."""
    source_articles: Mapped[list[Any]] = mapped_column(JSON)
    target_before: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The target's analyst values the merge overwrote (JSON), restored by an undo."""
    target_version: Mapped[int] = mapped_column(Integer)
    """The target's version right after the merge: an undo is refused once it changed."""
    undone_at: Mapped[datetime | None]
    undone_by: Mapped[str | None] = mapped_column(String(100))


class User(Base):
    """A person who uses the review UI; the password is stored as an argon2 hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))  # analyst, editor, admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    # Raised to end every session of the user at once (whichever store keeps the sessions).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class UserSession(Base):
    """A logged-in browser. Only a hash of the random session id is stored: the id itself is in
    the browser's cookie alone, so a copy of this table opens no session."""

    __tablename__ = "user_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stamp: Mapped[str] = mapped_column(String(64))  # the user's session stamp at log-in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class LoginFailure(Base):
    """One failed log-in: counted per client address (and kept per account name) by the throttle."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    account: Mapped[str] = mapped_column(String(100))


class AuditEntry(Base):
    """Who changed what, when: one row per change, with the values before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))  # a user name, or "system:<job>"
    entity_type: Mapped[str] = mapped_column(String(32))  # event, release, user, source
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))  # accept, reject, edit, merge, split, build…
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)
