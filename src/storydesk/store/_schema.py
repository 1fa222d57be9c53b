"""The tables as SQLAlchemy Core objects, used to build queries.

The schema itself is created and changed only by the Alembic migrations in ``migrations/versions``;
this module must describe the latest revision (a test compares the two).

Full-text search lives outside these objects because it differs by backend:

* SQLite: an external-content FTS5 table ``articles_fts(title, text)`` whose rowid is ``articles.seq``,
  kept in sync by triggers, so an insert and its index entry share one transaction.
* Postgres: a stored generated ``tsvector`` column ``articles.tsv`` (title weighted A, text B) with a GIN
  index.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    false,
)

__all__ = [
    "metadata",
    "articles",
    "duplicates",
    "vectors",
    "analyses",
    "stories",
    "story_articles",
    "story_entities",
    "briefings",
    "story_links",
    "ingest_failures",
    "sources",
    "source_entries",
    "pages",
    "host_holds",
]

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("outlet", Text),
    Column("published", Text),
    Column("url", Text),
    Column("path", Text),
    Column("author", Text),
    Column("language", Text),
    Column("removed", Text, nullable=False),
    Column("ingested_at", Text, nullable=False),
    Column("outlet_inferred", Boolean, nullable=False, server_default=false()),
    Index("ix_articles_published", "published", "id"),
    Index("ix_articles_outlet", "outlet"),
)

duplicates = Table(
    "duplicates",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("canonical_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Index("ix_duplicates_canonical", "canonical_id"),
)

vectors = Table(
    "vectors",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("model", Text, primary_key=True),
    Column("dim", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# Each article's analysis (#17): its facts and the vectors of the sentences its briefings embedded, as one
# encoded blob (storydesk.analyse._stored), valid only for the ``version`` key that made it.
analyses = Table(
    "analyses",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Text, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("first_published", Text),
    Column("last_published", Text),
    Column("article_count", Integer, nullable=False),
    Column("outlet_count", Integer, nullable=False),
    Column("lead", Text),
    Column("updated_at", Text, nullable=False),
    Index("ix_stories_last_published", "last_published"),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", Text, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    # NULL for a member of the story; the canonical article's id for a folded near-duplicate.
    Column("duplicate_of", Text),
    Index("ix_story_articles_article", "article_id"),
)

story_entities = Table(
    "story_entities",
    metadata,
    Column("story_id", Text, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("name", Text, primary_key=True),
    Column("type", Text, primary_key=True),
    Index("ix_story_entities_name", "name"),
)

briefings = Table(
    "briefings",
    metadata,
    Column("story_id", Text, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("json", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)

# Subjects above stories (#21): the stories a story lists as related (same subject), ``rank`` 0 the most
# alike. ``related_id`` has no foreign key: a related story may be saved after the story naming it; readers
# keep only stored stories, and deleting a story deletes the links naming it either way.
story_links = Table(
    "story_links",
    metadata,
    Column("story_id", Text, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("related_id", Text, primary_key=True),
    Column("rank", Integer, nullable=False),
    Index("ix_story_links_related", "related_id"),
)

ingest_failures = Table(
    "ingest_failures",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("reason", Text, nullable=False),
)

# -- live sources (#18): what is followed, the entries each source listed, the fetched-page cache --------

sources = Table(
    "sources",
    metadata,
    Column("id", Text, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("title", Text),
    Column("tags", Text, nullable=False),  # JSON list
    Column("interval_s", Integer),
    Column("added_at", Text, nullable=False),
    Column("final_url", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_fetch_at", Text),
    Column("last_status", Text),
    Column("http_status", Integer),
    Column("last_error", Text),
    Column("consecutive_errors", Integer, nullable=False),
    Column("fetch_count", Integer, nullable=False),
    Column("not_modified_count", Integer, nullable=False),
    Column("error_count", Integer, nullable=False),
    Column("next_poll_at", Text),
    Index("ix_sources_next_poll", "next_poll_at"),
)

source_entries = Table(
    "source_entries",
    metadata,
    Column("source_id", Text, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("url", Text),
    Column("title", Text),
    Column("author", Text),
    Column("outlet", Text),
    Column("feed_published", Text),
    Column("page_published", Text),
    Column("fetched_at", Text),
    Column("first_seen_at", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("flags", Text, nullable=False),  # JSON list
    Column("error", Text),
    Column("attempts", Integer, nullable=False),
    Column("article_id", Text),
    Index("ix_source_entries_status", "source_id", "status"),
    Index("ix_source_entries_url", "url"),
)

pages = Table(
    "pages",
    metadata,
    Column("url", Text, primary_key=True),
    Column("final_url", Text),
    Column("fetched_at", Text, nullable=False),
    Column("http_status", Integer),
    Column("error", Text),
    Column("final", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("article_id", Text),
    Column("published", Text),  # the page's own date, found by extraction
)

host_holds = Table(
    "host_holds",
    metadata,
    Column("host", Text, primary_key=True),  # host:port
    Column("until", Text, nullable=False),  # no request to this host before then (its Retry-After)
)
