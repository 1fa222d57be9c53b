"""The store: articles, vectors, near-duplicates, stories and cached briefings.

SQLite by default (WAL mode, one transaction per article), Postgres for a team, through SQLAlchemy Core;
the schema is versioned with Alembic migrations that run on :meth:`Store.open`.
"""

from __future__ import annotations

from ._records import SearchHit, StoryRow
from ._store import Store

__all__ = ["Store", "StoryRow", "SearchHit"]
