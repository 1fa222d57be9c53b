"""analyses: each article's stored analysis (facts and sentence vectors) with its version key (#17).

Revision ID: 0005_analyses
Revises: 0004_outlet_inferred
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_analyses"
down_revision = "0004_outlet_inferred"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analyses",
        sa.Column(
            "article_id",
            sa.Text,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("analyses")
