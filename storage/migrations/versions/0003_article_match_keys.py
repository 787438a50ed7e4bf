"""article match keys

The keys clustering looks an article's candidates up by (LSH bands of its MinHash, its
alternates' URLs), filled in for the articles already stored.

Revision ID: 0003_match_keys
Revises: 0002_jobstore
"""

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003_match_keys"
down_revision: str | None = "0002_jobstore"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500


def upgrade() -> None:
    op.create_table(
        "article_match_keys",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_match_keys_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "published_at", "article_id", name=op.f("pk_article_match_keys")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_article_match_keys_article_id"), "article_match_keys", ["article_id"], unique=False
    )
    _fill_keys(op.get_bind())


def _fill_keys(connection: sa.Connection) -> None:
    keys = sa.table(
        "article_match_keys",
        sa.column("key", sa.BigInteger()),
        sa.column("published_at", sa.DateTime(timezone=True)),
        sa.column("article_id", sa.Integer()),
    )
    batch: list[dict[str, Any]] = []
    for article_id, published_at, keys_of_article in _stored_keys(connection):
        batch.extend(
            {"key": key, "published_at": published_at, "article_id": article_id} for key in keys_of_article
        )
        if len(batch) >= BATCH:
            connection.execute(sa.insert(keys), batch)
            batch = []
    if batch:
        connection.execute(sa.insert(keys), batch)


def _stored_keys(connection: sa.Connection) -> Iterator[tuple[int, Any, set[int]]]:
    from core.story import StoryKey

    articles = sa.table(
        "articles",
        sa.column("id", sa.Integer()),
        sa.column("canonical_url", sa.String()),
        sa.column("content_hash", sa.String()),
        sa.column("alternates", sa.JSON()),
        sa.column("minhash", sa.LargeBinary()),
        sa.column("published_at", sa.DateTime(timezone=True)),
    )
    for row in connection.execute(sa.select(articles).order_by(articles.c.id)).fetchall():
        alternates: Any = row.alternates
        if isinstance(alternates, str):
            alternates = json.loads(alternates or "{}")
        key = StoryKey.build(
            url=row.canonical_url,
            content_hash=row.content_hash,
            minhash=bytes(row.minhash) if row.minhash is not None else None,
            alternates=alternates or {},
        )
        yield int(row.id), row.published_at, key.stored_keys()


def downgrade() -> None:
    op.drop_index(op.f("ix_article_match_keys_article_id"), table_name="article_match_keys")
    op.drop_table("article_match_keys")
