"""merge records (undo) and frozen periods

``event_merges`` records what each merge did: the merged event's fields and articles and the
target's values it replaced, so the merge can be undone. ``releases.frozen_at``/``frozen_by``:
a final build freezes its period (the desk refuses edits to its events) until an editor
reopens it.

Revision ID: 0009_merges_frozen
Revises: 0008_user_sessions
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_merges_frozen"
down_revision: str | None = "0008_user_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_merges",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("source_state", sa.JSON(), nullable=False),
        sa.Column("source_articles", sa.JSON(), nullable=False),
        sa.Column("target_before", sa.JSON(), nullable=False),
        sa.Column("target_version", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(100), nullable=True),
    )
    op.create_index("ix_event_merges_target_id", "event_merges", ["target_id"])
    op.create_index("ix_event_merges_source_id", "event_merges", ["source_id"])
    with op.batch_alter_table("releases") as batch:
        batch.add_column(sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("frozen_by", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("releases") as batch:
        batch.drop_column("frozen_by")
        batch.drop_column("frozen_at")
    op.drop_index("ix_event_merges_source_id", table_name="event_merges")
    op.drop_index("ix_event_merges_target_id", table_name="event_merges")
    op.drop_table("event_merges")
