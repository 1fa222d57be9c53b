"""The store: articles, vectors, near-duplicates, stories and cached briefings.

SQLite by default (WAL mode, one transaction per article), Postgres for a team, through SQLAlchemy Core;
the schema is versioned with Alembic migrations that run on :meth:`Store.open`.

:class:`Store` is the one object callers use. Behind it, one repository per table or concern:
``_articles`` (articles), ``_vectors`` (document vectors and their encoding), ``_analyses`` (stored
per-article analyses, #17), ``_duplicates``
(near-duplicates), ``_failures`` (inputs that failed), ``_stories`` (stories, members, actors, cached
briefings, the filtered listing), ``_fulltext`` (search, with the query rewriting of ``_search``), all
over one ``_database.Database`` (connections, transactions, errors).
"""

from __future__ import annotations

from ._doctor import Membership
from ._records import SearchHit, StoryRow
from ._store import Store

__all__ = ["Store", "StoryRow", "SearchHit", "Membership"]
