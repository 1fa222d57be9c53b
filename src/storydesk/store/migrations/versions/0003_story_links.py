"""Subjects above stories (#21): each story's related stories (same subject), most alike first.

Revision ID: 0003_story_links
Revises: 0002_sources
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_story_links"
down_revision = "0002_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_links",
        sa.Column("story_id", sa.Text, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("related_id", sa.Text, primary_key=True),
        sa.Column("rank", sa.Integer, nullable=False),
    )
    op.create_index("ix_story_links_related", "story_links", ["related_id"])


def downgrade() -> None:
    op.drop_index("ix_story_links_related", table_name="story_links")
    op.drop_table("story_links")
