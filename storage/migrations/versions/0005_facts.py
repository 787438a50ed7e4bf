"""seizure facts

What the facts stage read from each relevant article (``articles.facts``), the merged facts of an
event's articles (``events.facts``, recomputed by clustering) and the analyst's corrections
(``events.facts_override``, never touched by the machine). JSON: see ``core/facts.py``.

Revision ID: 0005_facts
Revises: 0004_relevance_model
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_facts"
down_revision: str | None = "0004_relevance_model"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("facts", sa.JSON(), nullable=True))
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("facts", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("facts_override", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("facts_override")
        batch.drop_column("facts")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("facts")
