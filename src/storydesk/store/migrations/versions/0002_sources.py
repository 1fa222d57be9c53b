"""Live sources (#18): followed feeds, sitemaps and pages; the entries each listed; the page cache; hosts
that asked (Retry-After) to be left alone until a time.

Revision ID: 0002_sources
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_sources"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("interval_s", sa.Integer),
        sa.Column("added_at", sa.Text, nullable=False),
        sa.Column("final_url", sa.Text),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_fetch_at", sa.Text),
        sa.Column("last_status", sa.Text),
        sa.Column("http_status", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("consecutive_errors", sa.Integer, nullable=False),
        sa.Column("fetch_count", sa.Integer, nullable=False),
        sa.Column("not_modified_count", sa.Integer, nullable=False),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("next_poll_at", sa.Text),
    )
    op.create_index("ix_sources_next_poll", "sources", ["next_poll_at"])

    op.create_table(
        "source_entries",
        sa.Column("source_id", sa.Text, sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("feed_published", sa.Text),
        sa.Column("page_published", sa.Text),
        sa.Column("fetched_at", sa.Text),
        sa.Column("first_seen_at", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("flags", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Text),
    )
    op.create_index("ix_source_entries_status", "source_entries", ["source_id", "status"])
    op.create_index("ix_source_entries_url", "source_entries", ["url"])

    op.create_table(
        "pages",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("final_url", sa.Text),
        sa.Column("fetched_at", sa.Text, nullable=False),
        sa.Column("http_status", sa.Integer),
        sa.Column("error", sa.Text),
        sa.Column("final", sa.Integer, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Text),
        sa.Column("published", sa.Text),
    )

    op.create_table(
        "host_holds",
        sa.Column("host", sa.Text, primary_key=True),
        sa.Column("until", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("host_holds", "pages", "source_entries", "sources"):
        op.drop_table(table)
