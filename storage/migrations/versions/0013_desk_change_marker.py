"""index for the desk's change marker

``articles.tagged_at`` is rewritten with an article's title and text; its newest value, read
from this index, is part of the marker (:func:`storage.page_cache.store_marker`) that tells the
review pages whether anything they keep between pages (the period menu, the filters' choices,
the merge candidates' stamps) may have changed. Without it, the newest value is a scan of every
article (measured on a generated store of 1,000,000 articles, ``python -m benchmarks.store``).

Revision ID: 0013_desk_change_marker
Revises: 0012_large_store_indexes
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_desk_change_marker"
down_revision: str | None = "0012_large_store_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_articles_tagged_at", "articles", ["tagged_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_tagged_at", table_name="articles")
