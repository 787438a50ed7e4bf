"""source paragraphs

The paragraphs (fingerprints) of each stored article, per source: a paragraph on enough distinct
articles of a source is site-wide boilerplate (issue #18, ``storage/boilerplate.py``). Articles
stored before this revision are counted when they are next stored or retagged.

Revision ID: 0007_source_paragraphs
Revises: 0006_event_lead
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_source_paragraphs"
down_revision: str | None = "0006_event_lead"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_paragraphs",
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_source_paragraphs_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", "fingerprint", "article_id", name=op.f("pk_source_paragraphs")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_source_paragraphs_article_id"), "source_paragraphs", ["article_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_source_paragraphs_article_id"), table_name="source_paragraphs")
    op.drop_table("source_paragraphs")
