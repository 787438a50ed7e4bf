"""which tagger tagged each article

``articles.tagger_version``: the fingerprint of the tagger (code, configuration data, relevance
model, extraction libraries; ``pipeline.version``) that computed the article's machine columns.
``newsmon retag`` retags the articles whose version is not the running tagger's, so a stopped
retag resumes where it ended and a second one has nothing to do. NULL for articles stored before
this revision: the next retag takes them. Machine-owned.

Revision ID: 0011_tagger_version
Revises: 0010_encoding_confidence
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_tagger_version"
down_revision: str | None = "0010_encoding_confidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("tagger_version", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("tagger_version")
