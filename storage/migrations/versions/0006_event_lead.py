"""the analyst's lead article of an event

``events.lead_url``: the canonical URL of the article an analyst names as the event's original
(a decisions file's ``url``, or picked in the review UI). Analyst-owned: never written by a crawl.

Revision ID: 0006_event_lead
Revises: 0005_facts
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_event_lead"
down_revision: str | None = "0005_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("lead_url", sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("lead_url")
