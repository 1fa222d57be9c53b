"""The :class:`Store`: one object over the repositories, the names every caller uses.

Each method hands over to the repository of its table (``_articles``, ``_vectors``, ``_duplicates``,
``_failures``, ``_stories``, ``_analyses``, ``_fulltext``), which holds the SQL and the documentation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from types import TracebackType

import numpy as np
from sqlalchemy import Engine

from ..model import AnalysisBlob, Article, Failure, Story
from ._analyses import AnalysisRepository
from ._articles import ArticleRepository
from ._database import Database, open_database
from ._doctor import StoreDoctor
from ._duplicates import DuplicateRepository
from ._failures import FailureRepository
from ._fulltext import FullTextSearch
from ._lock import writer_lock
from ._records import SearchHit, StoryRow
from ._sources import SourceRepository
from ._stories import StoryRepository
from ._vectors import VectorRepository

__all__ = ["Store"]

log = logging.getLogger(__name__)


class Store:
    """storydesk's database: SQLite by default, Postgres for a team.

    Open with :meth:`Store.open`; the schema is migrated on open. Every write is one transaction, and
    ingest writes one article per transaction, so a crash loses at most the article in flight. The
    repositories are attributes too (``articles``, ``vectors``, ``duplicates``, ``failures``,
    ``stories``, ``analyses``, ``fulltext``).
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._closed = False
        self.articles = ArticleRepository(db)
        self.vectors = VectorRepository(db)
        self.analyses = AnalysisRepository(db)
        self.duplicates = DuplicateRepository(db)
        self.failures = FailureRepository(db)
        self.fulltext = FullTextSearch(db)
        self.stories = StoryRepository(db, self.fulltext)
        #: the live sources' tables: followed sources, their entries, the fetched-page cache (#18)
        self.sources = SourceRepository(db.engine, db.where)
        #: health checks and repairs (``storydesk doctor``)
        self.doctor = StoreDoctor(db)

    # -- life cycle ----------------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Open (creating and migrating as needed) the store at a SQLAlchemy URL.

        ``sqlite:///PATH`` (parent folders are created) or ``postgresql+psycopg://USER@HOST:PORT/DB``.
        Raises :class:`StoreError` for a file that is not a SQLite database, a schema newer than this
        code, or a database that cannot be reached. ``migrate=False`` leaves an older schema as it is.
        """
        return cls(open_database(url, migrate=migrate))

    def close(self) -> None:
        if not self._closed:
            self._db.engine.dispose()
            self._closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._db.where!r})"

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._db.backend

    def writer_lock(
        self, *, timeout: float, notice: Callable[[str], None] = log.warning
    ) -> AbstractContextManager[None]:
        """The store's writer lock, held by one ingest at a time (see :mod:`._lock`); waits up to ``timeout``
        seconds, says once through ``notice`` whom it waits for, then raises StoreBusyError. Readers never
        take it."""
        return writer_lock(self._db, self._db.path, timeout=timeout, notice=notice)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tools and tests; library code uses the methods)."""
        return self._db.engine

    # -- articles and vectors (ArticleRepository, VectorRepository) ----------------------------------

    def add_article(
        self, article: Article, *, vector: np.ndarray | None = None, model: str | None = None
    ) -> bool:
        """Store one article (and its vector) in one transaction; False if the id was stored already."""
        return self.articles.add(article, vector=vector, model=model)

    def add_articles(self, articles: Iterable[Article]) -> None:
        """Store articles in one transaction (a batch job's write); ids stored already are left alone."""
        self.articles.add_many(articles)

    def get_article(self, article_id: str) -> Article:
        return self.articles.get(article_id)

    def has_article(self, article_id: str) -> bool:
        return self.articles.has(article_id)

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        return self.articles.existing_ids(ids)

    def article_count(self) -> int:
        return self.articles.count()

    def iter_articles(self, *, ids: Iterable[str] | None = None) -> Iterator[Article]:
        return self.articles.iter(ids=ids)

    def iter_placed(self, model: str) -> Iterator[tuple[Article, np.ndarray | None, str]]:
        return self.articles.iter_placed(model)

    def iter_unplaced(self) -> Iterator[Article]:
        return self.articles.iter_unplaced()

    def count_ungrouped(self) -> int:
        """Articles listed in no story yet (an ingest is running, or was interrupted)."""
        return self.articles.count_ungrouped()

    def put_vectors(self, vectors: dict[str, np.ndarray], model: str) -> None:
        self.vectors.put(vectors, model)

    def get_vectors(self, ids: Iterable[str], model: str) -> dict[str, np.ndarray]:
        return self.vectors.get(ids, model)

    # -- stored analyses (AnalysisRepository, #17) ----------------------------------------------------

    def get_analyses(self, ids: Iterable[str], version: str) -> dict[str, bytes]:
        return self.analyses.get(ids, version)

    def put_analyses(self, blobs: Sequence[AnalysisBlob]) -> None:
        self.analyses.put(blobs)

    # -- ingest failures (FailureRepository) ---------------------------------------------------------

    def add_failure(self, failure: Failure) -> None:
        self.failures.add(failure)

    def list_failures(self, *, limit: int | None = None, offset: int = 0) -> list[Failure]:
        return self.failures.recent(limit=limit, offset=offset)

    # -- near-duplicates (DuplicateRepository) -------------------------------------------------------

    def set_duplicates(self, mapping: dict[str, str], *, replace: bool = False) -> None:
        self.duplicates.record(mapping, replace=replace)

    def get_duplicates(self) -> dict[str, str]:
        return self.duplicates.all()

    def duplicates_for(self, canonical_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        return self.duplicates.of(canonical_ids)

    # -- stories and briefings (StoryRepository) -----------------------------------------------------

    def replace_story(
        self,
        story: Story,
        *,
        title: str,
        first_published: str | None,
        last_published: str | None,
        outlet_count: int,
        lead: str | None = None,
        briefing_json: str | None = None,
        entities: Iterable[tuple[str, str]] = (),
        analyses: Sequence[AnalysisBlob] = (),
    ) -> None:
        """Insert or replace one story, its members, its actors, its cached briefing and the analyses its
        briefing made, in one transaction."""
        self.stories.replace(
            story,
            title=title,
            first_published=first_published,
            last_published=last_published,
            outlet_count=outlet_count,
            lead=lead,
            briefing_json=briefing_json,
            entities=entities,
            analyses=analyses,
        )

    def delete_stories(self, ids: Iterable[str]) -> int:
        return self.stories.delete(ids)

    def story_assignments(self) -> dict[str, str]:
        return self.stories.assignments()

    def get_story(self, story_id: str) -> StoryRow:
        return self.stories.get(story_id)

    def get_story_members(self, story_id: str) -> Story:
        return self.stories.members(story_id)

    def stories_for_article(self, article_id: str) -> list[StoryRow]:
        return self.stories.for_article(article_id)

    def get_briefing_json(self, story_id: str) -> str:
        return self.stories.briefing_json(story_id)

    def related_stories(self, story_id: str) -> list[str]:
        """The stored stories of the same subject (see StoryRepository.related)."""
        return self.stories.related(story_id)

    def list_stories(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        q: str | None = None,
        related: str | None = None,
    ) -> list[StoryRow]:
        """Stories, newest first by last publication (undated last), filtered (see StoryRepository.find)."""
        return self.stories.find(
            limit=limit, offset=offset, since=since, until=until, actor=actor, q=q, related=related
        )

    def count_stories(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        q: str | None = None,
        related: str | None = None,
    ) -> int:
        return self.stories.count(since=since, until=until, actor=actor, q=q, related=related)

    # -- full-text search (FullTextSearch) -----------------------------------------------------------

    def search(self, q: str, *, limit: int | None = None, offset: int = 0) -> list[SearchHit]:
        """Articles matching a search-box query, best first (see FullTextSearch.search for the syntax)."""
        return self.fulltext.search(q, limit=limit, offset=offset)

    def search_count(self, q: str) -> int:
        return self.fulltext.count(q)
