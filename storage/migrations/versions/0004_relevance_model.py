"""relevance model columns

The learned relevance model's version beside its probability (``relevance_score``), the
lexicon's own score, and a note on how the article was judged (a language without a lexicon).

Revision ID: 0004_relevance_model
Revises: 0003_match_keys
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_relevance_model"
down_revision: str | None = "0003_match_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("relevance_lexicon_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("relevance_model", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("relevance_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("relevance_note")
        batch.drop_column("relevance_model")
        batch.drop_column("relevance_lexicon_score")
