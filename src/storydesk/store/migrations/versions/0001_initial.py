"""Initial schema: articles (+ full-text index), duplicates, vectors, stories, briefings, failures.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the settings at the time of this revision (rules may change later; migrations must not).
_FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"
_PG_TS_CONFIG = "english"


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("path", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("removed", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.Text, nullable=False),
    )
    op.create_index("ix_articles_published", "articles", ["published", "id"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])

    op.create_table(
        "duplicates",
        sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("canonical_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_duplicates_canonical", "duplicates", ["canonical_id"])

    op.create_table(
        "vectors",
        sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.Text, primary_key=True),
        sa.Column("dim", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )

    op.create_table(
        "stories",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("first_published", sa.Text),
        sa.Column("last_published", sa.Text),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.Column("outlet_count", sa.Integer, nullable=False),
        sa.Column("lead", sa.Text),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_index("ix_stories_last_published", "stories", ["last_published"])

    op.create_table(
        "story_articles",
        sa.Column("story_id", sa.Text, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("duplicate_of", sa.Text),
    )
    op.create_index("ix_story_articles_article", "story_articles", ["article_id"])

    op.create_table(
        "story_entities",
        sa.Column("story_id", sa.Text, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("type", sa.Text, primary_key=True),
    )
    op.create_index("ix_story_entities_name", "story_entities", ["name"])

    op.create_table(
        "briefings",
        sa.Column("story_id", sa.Text, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )

    op.create_table(
        "ingest_failures",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _create_sqlite_fts()
    elif dialect == "postgresql":
        _create_pg_fts()


def _create_sqlite_fts() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, text, content='articles', content_rowid='seq', "
        f"tokenize='{_FTS5_TOKENIZER}')"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.seq, old.title, old.text); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_au AFTER UPDATE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.seq, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END"
    )


def _create_pg_fts() -> None:
    op.execute(
        "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
        f"setweight(to_tsvector('{_PG_TS_CONFIG}', coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('{_PG_TS_CONFIG}', coalesce(text, '')), 'B')) STORED"
    )
    op.execute("CREATE INDEX ix_articles_tsv ON articles USING GIN (tsv)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in (
        "ingest_failures",
        "briefings",
        "story_entities",
        "story_articles",
        "stories",
        "vectors",
        "duplicates",
        "articles",
    ):
        op.drop_table(table)
