"""how sure an article's charset is

``articles.encoding_confidence``: 1.0 when the page's bytes read as text in the charset it was
decoded in; lower when the charset was guessed from the bytes against what the page declared
(``crawlers.integrity``). Below 0.9 the crawl fetches the page again. Machine-owned.

Revision ID: 0010_encoding_confidence
Revises: 0009_merges_frozen
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_encoding_confidence"
down_revision: str | None = "0009_merges_frozen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("encoding_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("encoding_confidence")
