"""articles.outlet_inferred: whether storydesk read the outlet from the page itself (#15).

Revision ID: 0004_outlet_inferred
Revises: 0003_story_links
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_outlet_inferred"
down_revision = "0003_story_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "articles",
        sa.Column("outlet_inferred", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("outlet_inferred")
