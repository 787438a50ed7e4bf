"""indexes for a large store

Measured on a generated store of 1,000,000 articles (``python -m benchmarks.store --compare``):

- ``articles.first_run_id`` / ``last_run_id``: source health (the inbox's banner, ``newsmon
  status``) counts the articles of each source's recent runs; without them that is a scan of
  every article, once per source;
- ``events.published_override``: the period condition (the analyst's date, else the machine's
  period) is an OR, and without an index on its second half every inbox, event page and count
  of a period scans every event;
- ``articles (source_id, relevance_label)``: ``newsmon status`` counts articles and relevant
  ones per source from the index alone.

Revision ID: 0012_large_store_indexes
Revises: 0011_tagger_version
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_large_store_indexes"
down_revision: str | None = "0011_tagger_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_articles_first_run_id", "articles", ["first_run_id"]),
    ("ix_articles_last_run_id", "articles", ["last_run_id"]),
    ("ix_events_published_override", "events", ["published_override"]),
    ("ix_articles_source_relevance", "articles", ["source_id", "relevance_label"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
