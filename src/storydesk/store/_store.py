"""The :class:`Store`: articles, vectors, duplicates, stories and briefings over SQLAlchemy Core."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any

import numpy as np
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    TextClause,
    delete,
    false,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..errors import NotFoundError, StoreError
from ..model import Article, Failure, Story
from . import _schema as t
from ._engine import WRITE_OPTION, build_engine, normalise_url, sqlite_path
from ._migrate import upgrade_schema
from ._records import SearchHit, StoryRow
from ._search import fts5_query, split_marked, websearch_query
from ._sources import SourceRepository
from .rules import (
    IN_CHUNK,
    MARK_END,
    MARK_START,
    PG_HEADLINE_OPTIONS,
    PG_TS_CONFIG,
    SNIPPET_TOKENS,
    STREAM_BATCH,
    TITLE_WEIGHT,
)

__all__ = ["Store"]

log = logging.getLogger(__name__)

_SQLITE_MAGIC = b"SQLite format 3\x00"

_ARTICLE_COLUMNS = (
    t.articles.c.id,
    t.articles.c.title,
    t.articles.c.text,
    t.articles.c.outlet,
    t.articles.c.published,
    t.articles.c.url,
    t.articles.c.path,
    t.articles.c.author,
    t.articles.c.language,
    t.articles.c.removed,
)

_STORY_COLUMNS = (
    t.stories.c.id,
    t.stories.c.title,
    t.stories.c.first_published,
    t.stories.c.last_published,
    t.stories.c.article_count,
    t.stories.c.outlet_count,
    t.stories.c.lead,
    t.stories.c.updated_at,
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _chunks(items: Sequence[str], size: int = IN_CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _article_from_row(row: Any) -> Article:
    return Article(
        id=row.id,
        title=row.title,
        text=row.text,
        outlet=row.outlet,
        published=row.published,
        url=row.url,
        path=row.path,
        author=row.author,
        language=row.language,
        removed=tuple(json.loads(row.removed)),
    )


def _story_from_row(row: Any) -> StoryRow:
    return StoryRow(
        id=row.id,
        title=row.title,
        first_published=row.first_published,
        last_published=row.last_published,
        article_count=row.article_count,
        outlet_count=row.outlet_count,
        lead=row.lead,
        updated_at=row.updated_at,
    )


#: A vector with non-zero entries in less than this share of its bytes' worth is stored sparse (see
#: :func:`_encode_vector`): an article's hashed TF-IDF vector shrinks from 16 kB to about 1.6 kB.
SPARSE_VECTOR_SHARE = 0.5


def _encode_vector(vector: np.ndarray) -> tuple[int, bytes]:
    """(dimension, bytes): little-endian float32 values, or, for a mostly-zero vector (the hashing
    embedder's fill ~5 % of 4,096), its non-zero entries: ``k`` uint32 positions then ``k`` float32
    values. The length tells them apart: 8k < 4 × dimension whenever the sparse form is used."""
    arr = np.asarray(vector, dtype="<f4")
    if arr.ndim != 1:
        raise StoreError(f"a vector must be one-dimensional, got shape {arr.shape}")
    dim = int(arr.shape[0])
    nonzero = np.flatnonzero(arr)
    if len(nonzero) * 8 < dim * 4 * SPARSE_VECTOR_SHARE:
        return dim, nonzero.astype("<u4").tobytes() + arr[nonzero].tobytes()
    return dim, arr.tobytes()


def _decode_vector(data: bytes, dim: int) -> np.ndarray:
    """The float32 vector :func:`_encode_vector` wrote."""
    if len(data) == 4 * dim:
        return np.frombuffer(data, dtype="<f4").astype(np.float32)
    k = len(data) // 8
    out = np.zeros(dim, dtype=np.float32)
    out[np.frombuffer(data, dtype="<u4", count=k)] = np.frombuffer(data, dtype="<f4", offset=4 * k)
    return out


def _like_pattern(needle: str) -> str:
    escaped = needle.replace("\x00", "").lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _until_bound(until: str) -> tuple[str, bool]:
    """(bound, inclusive): a bare date ``YYYY-MM-DD`` covers the whole day."""
    try:
        day = date.fromisoformat(until)
    except ValueError:
        return until, True
    if len(until) != 10:
        return until, True
    return (day + timedelta(days=1)).isoformat(), False


class Store:
    """storydesk's database: SQLite by default, Postgres for a team.

    Open with :meth:`Store.open`; the schema is migrated on open. Every write is one transaction, and
    ingest writes one article per transaction, so a crash loses at most the article in flight.
    """

    def __init__(self, engine: Engine, where: str) -> None:
        self._engine = engine
        self._where = where
        self._backend = engine.dialect.name
        self._closed = False
        # Built once: statements with bound parameters are compiled once and cached by SQLAlchemy.
        self._add_article_stmt = (
            self._insert(t.articles).on_conflict_do_nothing(index_elements=["id"]).returning(t.articles.c.seq)
        )
        self._add_vector_stmt = self._insert(t.vectors).on_conflict_do_nothing(
            index_elements=["article_id", "model"]
        )

    # ------------------------------------------------------------------ life cycle

    @classmethod
    def open(cls, url: str) -> Store:
        """Open (creating and migrating as needed) the store at a SQLAlchemy URL.

        ``sqlite:///PATH`` (parent folders are created) or ``postgresql+psycopg://USER@HOST:PORT/DB``.
        Raises :class:`StoreError` for a file that is not a SQLite database, a schema newer than this
        code, or a database that cannot be reached.
        """
        parsed = normalise_url(url)
        path = sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None
        where = str(path) if path is not None else parsed.render_as_string(hide_password=True)
        if path is not None:
            _check_sqlite_file(path)
        engine = build_engine(parsed)
        try:
            with engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    upgrade_schema(conn, where)
        except StoreError:
            engine.dispose()
            raise
        except (SQLAlchemyError, sqlite3.Error) as exc:
            engine.dispose()
            raise StoreError(_describe(exc, where, opening=True)) from exc
        return cls(engine, where)

    def close(self) -> None:
        if not self._closed:
            self._engine.dispose()
            self._closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._where!r})"

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._backend

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tools and tests; library code uses the methods)."""
        return self._engine

    @property
    def sources(self) -> SourceRepository:
        """The live sources' tables: followed sources, their entries, the fetched-page cache (#18)."""
        return SourceRepository(self._engine, self._where)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(_describe(exc, self._where)) from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:
            raise StoreError(_describe(exc, self._where)) from exc

    def _insert(self, table: Any) -> Any:
        if self._backend == "postgresql":
            return pg_dialect.insert(table)
        return sqlite_dialect.insert(table)

    # ------------------------------------------------------------------ articles

    def add_article(
        self, article: Article, *, vector: np.ndarray | None = None, model: str | None = None
    ) -> bool:
        """Store one article (and its vector) in one transaction. True if new, False if the id existed.

        An existing article is never changed; a vector given for it is stored only if it has none yet for
        ``model``.
        """
        if vector is not None and not model:
            raise StoreError(f"article {article.id}: a vector needs the name of the model that made it")
        row = {
            "id": article.id,
            "title": article.title,
            "text": article.text,
            "outlet": article.outlet,
            "published": article.published,
            "url": article.url,
            "path": article.path,
            "author": article.author,
            "language": article.language,
            "removed": json.dumps(list(article.removed), ensure_ascii=False),
            "ingested_at": _now(),
        }
        encoded = _encode_vector(vector) if vector is not None else None
        with self._write() as conn:
            new = conn.execute(self._add_article_stmt, row).first() is not None
            if encoded is not None:
                dim, data = encoded
                conn.execute(
                    self._add_vector_stmt,
                    {"article_id": article.id, "model": model, "dim": dim, "data": data},
                )
        return new

    def put_vectors(self, vectors: dict[str, np.ndarray], model: str) -> None:
        """Store or replace vectors of existing articles for ``model`` (one transaction)."""
        rows = []
        for article_id, vector in vectors.items():
            dim, data = _encode_vector(vector)
            rows.append({"article_id": article_id, "model": model, "dim": dim, "data": data})
        if not rows:
            return
        with self._write() as conn:
            stmt = self._insert(t.vectors)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["article_id", "model"],
                    set_={"dim": stmt.excluded.dim, "data": stmt.excluded.data},
                ),
                rows,
            )

    def get_article(self, article_id: str) -> Article:
        if "\x00" in article_id:  # no stored id has one (and Postgres refuses the byte)
            raise NotFoundError("article", article_id)
        with self._read() as conn:
            row = conn.execute(select(*_ARTICLE_COLUMNS).where(t.articles.c.id == article_id)).first()
        if row is None:
            raise NotFoundError("article", article_id)
        return _article_from_row(row)

    def has_article(self, article_id: str) -> bool:
        with self._read() as conn:
            return (
                conn.execute(select(t.articles.c.seq).where(t.articles.c.id == article_id)).first()
                is not None
            )

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that are stored (one query per chunk, not one per id)."""
        found: set[str] = set()
        with self._read() as conn:
            for chunk in _chunks(_unique(ids)):
                found.update(
                    conn.execute(select(t.articles.c.id).where(t.articles.c.id.in_(chunk))).scalars()
                )
        return found

    def article_count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(t.articles)).scalar_one())

    def iter_articles(self, *, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Articles ordered by publication date (undated last), then id; streamed, not loaded at once.

        With ``ids``, only those articles (unknown ids are skipped).
        """
        if ids is not None:
            found: list[Article] = []
            with self._read() as conn:
                for chunk in _chunks(_unique(ids)):
                    rows = conn.execute(select(*_ARTICLE_COLUMNS).where(t.articles.c.id.in_(chunk)))
                    found.extend(_article_from_row(row) for row in rows)
            found.sort(key=lambda a: (a.published is None, a.published or "", a.id))
            yield from found
            return
        query = select(*_ARTICLE_COLUMNS).order_by(
            t.articles.c.published.is_(None), t.articles.c.published, t.articles.c.id
        )
        with self._read() as conn:
            result = conn.execution_options(yield_per=STREAM_BATCH).execute(query)
            for row in result:
                yield _article_from_row(row)

    def iter_placed(self, model: str) -> Iterator[tuple[Article, np.ndarray | None, str]]:
        """Every story member (not folded near-duplicates) with its ``model`` vector (None if it has none)
        and its story id, by publication date (undated last), then id; streamed, not loaded at once."""
        query = (
            select(*_ARTICLE_COLUMNS, t.vectors.c.data, t.vectors.c.dim, t.story_articles.c.story_id)
            .join(t.story_articles, t.story_articles.c.article_id == t.articles.c.id)
            .outerjoin(t.vectors, (t.vectors.c.article_id == t.articles.c.id) & (t.vectors.c.model == model))
            .where(t.story_articles.c.duplicate_of.is_(None))
            .order_by(t.articles.c.published.is_(None), t.articles.c.published, t.articles.c.id)
        )
        with self._read() as conn:
            result = conn.execution_options(yield_per=STREAM_BATCH).execute(query)
            for row in result:
                vector = None if row.data is None else _decode_vector(row.data, row.dim)
                yield _article_from_row(row), vector, row.story_id

    def iter_unplaced(self) -> Iterator[Article]:
        """Stored articles in no story and not folded as near-duplicates (e.g. left by an interrupted
        ingest), by publication date (undated last), then id; streamed."""
        placed = select(t.story_articles.c.article_id).where(t.story_articles.c.article_id == t.articles.c.id)
        folded = select(t.duplicates.c.article_id).where(t.duplicates.c.article_id == t.articles.c.id)
        query = (
            select(*_ARTICLE_COLUMNS)
            .where(~placed.exists(), ~folded.exists())
            .order_by(t.articles.c.published.is_(None), t.articles.c.published, t.articles.c.id)
        )
        with self._read() as conn:
            result = conn.execution_options(yield_per=STREAM_BATCH).execute(query)
            for row in result:
                yield _article_from_row(row)

    def get_vectors(self, ids: Iterable[str], model: str) -> dict[str, np.ndarray]:
        """Stored float32 vectors of ``model`` for those of ``ids`` that have one."""
        out: dict[str, np.ndarray] = {}
        with self._read() as conn:
            for chunk in _chunks(_unique(ids)):
                rows = conn.execute(
                    select(t.vectors.c.article_id, t.vectors.c.data, t.vectors.c.dim).where(
                        t.vectors.c.model == model, t.vectors.c.article_id.in_(chunk)
                    )
                )
                for row in rows:
                    out[row.article_id] = _decode_vector(row.data, row.dim)
        return out

    # ------------------------------------------------------------------ ingest failures

    def add_failure(self, failure: Failure) -> None:
        """Log an input that could not become an article."""
        with self._write() as conn:
            conn.execute(
                t.ingest_failures.insert().values(at=_now(), origin=failure.origin, reason=failure.reason)
            )

    def list_failures(self, *, limit: int = 100, offset: int = 0) -> list[Failure]:
        """Logged failures, newest first."""
        with self._read() as conn:
            rows = conn.execute(
                select(t.ingest_failures.c.origin, t.ingest_failures.c.reason)
                .order_by(t.ingest_failures.c.seq.desc())
                .limit(limit)
                .offset(offset)
            )
            return [Failure(origin=row.origin, reason=row.reason) for row in rows]

    # ------------------------------------------------------------------ duplicates

    def set_duplicates(self, mapping: dict[str, str], *, replace: bool = False) -> None:
        """Record near-duplicates (article id → canonical article id); with ``replace``, forget the rest."""
        with self._write() as conn:
            if replace:
                conn.execute(delete(t.duplicates))
            if mapping:
                stmt = self._insert(t.duplicates)
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["article_id"], set_={"canonical_id": stmt.excluded.canonical_id}
                    ),
                    [{"article_id": dup, "canonical_id": canon} for dup, canon in mapping.items()],
                )

    def get_duplicates(self) -> dict[str, str]:
        with self._read() as conn:
            rows = conn.execute(
                select(t.duplicates.c.article_id, t.duplicates.c.canonical_id).order_by(
                    t.duplicates.c.article_id
                )
            )
            return {row.article_id: row.canonical_id for row in rows}

    def duplicates_for(self, canonical_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Canonical article id → the ids of its folded near-duplicates (sorted), for those that have any."""
        out: dict[str, list[str]] = {}
        with self._read() as conn:
            for chunk in _chunks(_unique(canonical_ids)):
                rows = conn.execute(
                    select(t.duplicates.c.article_id, t.duplicates.c.canonical_id).where(
                        t.duplicates.c.canonical_id.in_(chunk)
                    )
                )
                for row in rows:
                    out.setdefault(row.canonical_id, []).append(row.article_id)
        return {k: tuple(sorted(v)) for k, v in out.items()}

    # ------------------------------------------------------------------ stories

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
    ) -> None:
        """Insert or replace one story, its members, its actors and its cached briefing, in one transaction.

        Members are ``story.article_ids`` plus the near-duplicates in ``story.duplicates``; ``entities``
        are ``(name, type)`` pairs used by the ``actor`` filter. ``briefing_json=None`` drops any cached
        briefing (it would describe the old membership).
        """
        now = _now()
        members = _unique(story.article_ids)
        dup_rows: dict[str, str] = {}
        for canonical, dups in story.duplicates.items():
            for dup in dups:
                if dup not in dup_rows and dup not in members:
                    dup_rows[dup] = canonical
        story_row = {
            "id": story.id,
            "title": title,
            "first_published": first_published,
            "last_published": last_published,
            "article_count": len(members),
            "outlet_count": outlet_count,
            "lead": lead,
            "updated_at": now,
        }
        try:
            with self._write() as conn:
                conn.execute(delete(t.story_articles).where(t.story_articles.c.story_id == story.id))
                conn.execute(delete(t.story_entities).where(t.story_entities.c.story_id == story.id))
                stmt = self._insert(t.stories).values(story_row)
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["id"],
                        set_={k: stmt.excluded[k] for k in story_row if k != "id"},
                    )
                )
                rows = [{"story_id": story.id, "article_id": a, "duplicate_of": None} for a in members]
                rows += [
                    {"story_id": story.id, "article_id": d, "duplicate_of": c} for d, c in dup_rows.items()
                ]
                if rows:
                    conn.execute(t.story_articles.insert(), rows)
                entity_rows = [
                    {"story_id": story.id, "name": name, "type": str(kind)}
                    for name, kind in dict.fromkeys((n, k) for n, k in entities if n)
                ]
                if entity_rows:
                    conn.execute(t.story_entities.insert(), entity_rows)
                if briefing_json is None:
                    conn.execute(delete(t.briefings).where(t.briefings.c.story_id == story.id))
                else:
                    bstmt = self._insert(t.briefings).values(
                        story_id=story.id, json=briefing_json, updated_at=now
                    )
                    conn.execute(
                        bstmt.on_conflict_do_update(
                            index_elements=["story_id"],
                            set_={"json": bstmt.excluded.json, "updated_at": bstmt.excluded.updated_at},
                        )
                    )
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise StoreError(
                    f"{self._where}: story {story.id} names an article that is not stored; "
                    "store every article before its story"
                ) from exc.__cause__
            raise

    def delete_stories(self, ids: Iterable[str]) -> int:
        """Delete stories (with their members, actors and briefings); returns how many existed."""
        deleted = 0
        wanted = _unique(ids)
        if not wanted:
            return 0
        with self._write() as conn:
            for chunk in _chunks(wanted):
                for child in (t.story_articles, t.story_entities, t.briefings):
                    conn.execute(delete(child).where(child.c.story_id.in_(chunk)))
                deleted += conn.execute(delete(t.stories).where(t.stories.c.id.in_(chunk))).rowcount
        return deleted

    def story_assignments(self) -> dict[str, str]:
        """Article id → story id for every story member (folded near-duplicates not included)."""
        with self._read() as conn:
            rows = conn.execute(
                select(t.story_articles.c.article_id, t.story_articles.c.story_id).where(
                    t.story_articles.c.duplicate_of.is_(None)
                )
            )
            return {row.article_id: row.story_id for row in rows}

    def get_story(self, story_id: str) -> StoryRow:
        if "\x00" in story_id:
            raise NotFoundError("story", story_id)
        with self._read() as conn:
            row = conn.execute(select(*_STORY_COLUMNS).where(t.stories.c.id == story_id)).first()
        if row is None:
            raise NotFoundError("story", story_id)
        return _story_from_row(row)

    def get_story_members(self, story_id: str) -> Story:
        """The story record as last stored: member ids (by publication date) and folded duplicates."""
        self.get_story(story_id)
        with self._read() as conn:
            rows = conn.execute(
                select(t.story_articles.c.article_id, t.story_articles.c.duplicate_of)
                .join(t.articles, t.articles.c.id == t.story_articles.c.article_id)
                .where(t.story_articles.c.story_id == story_id)
                .order_by(t.articles.c.published.is_(None), t.articles.c.published, t.articles.c.id)
            ).all()
        members = tuple(r.article_id for r in rows if r.duplicate_of is None)
        dups: dict[str, tuple[str, ...]] = {}
        for r in rows:
            if r.duplicate_of is not None:
                dups[r.duplicate_of] = (*dups.get(r.duplicate_of, ()), r.article_id)
        return Story(id=story_id, article_ids=members, duplicates=dups)

    def stories_for_article(self, article_id: str) -> list[StoryRow]:
        """Stories holding the article, as a member or as a folded near-duplicate."""
        with self._read() as conn:
            rows = conn.execute(
                select(*_STORY_COLUMNS)
                .join(t.story_articles, t.story_articles.c.story_id == t.stories.c.id)
                .where(t.story_articles.c.article_id == article_id)
                .order_by(t.stories.c.id)
            )
            return [_story_from_row(row) for row in rows]

    def get_briefing_json(self, story_id: str) -> str:
        """The cached briefing of a story as JSON text; NotFoundError if none is cached."""
        if "\x00" in story_id:
            raise NotFoundError("briefing", story_id)
        with self._read() as conn:
            value = conn.execute(
                select(t.briefings.c.json).where(t.briefings.c.story_id == story_id)
            ).scalar()
        if value is None:
            raise NotFoundError("briefing", story_id)
        return str(value)

    def list_stories(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        q: str | None = None,
    ) -> list[StoryRow]:
        """Stories, newest first by last publication (undated last).

        ``since``: still reported on or after this ISO date/time (``last_published >= since``);
        ``until``: begun on or before it (a bare ``YYYY-MM-DD`` includes that whole day); ``actor``: has
        an actor whose name contains this text (case-insensitive); ``q``: has an article matching this
        full-text query, or a title containing it.
        """
        query = self._filtered(select(*_STORY_COLUMNS), since=since, until=until, actor=actor, q=q)
        query = (
            query.order_by(
                t.stories.c.last_published.is_(None), t.stories.c.last_published.desc(), t.stories.c.id
            )
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        with self._read() as conn:
            return [_story_from_row(row) for row in conn.execute(query)]

    def count_stories(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        q: str | None = None,
    ) -> int:
        """How many stories :meth:`list_stories` would list without ``limit``."""
        query = self._filtered(
            select(func.count()).select_from(t.stories), since=since, until=until, actor=actor, q=q
        )
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def _filtered(
        self, query: Select[Any], *, since: str | None, until: str | None, actor: str | None, q: str | None
    ) -> Select[Any]:
        s = t.stories.c
        if since:
            query = query.where(s.last_published >= since)
        if until:
            bound, inclusive = _until_bound(until)
            query = query.where(s.first_published <= bound if inclusive else s.first_published < bound)
        if actor and actor.strip():
            query = query.where(
                s.id.in_(
                    select(t.story_entities.c.story_id).where(
                        func.lower(t.story_entities.c.name).like(_like_pattern(actor.strip()), escape="\\")
                    )
                )
            )
        if q and q.strip():
            in_title = func.lower(s.title).like(_like_pattern(q.strip()), escape="\\")
            members = select(t.story_articles.c.story_id).join(
                t.articles, t.articles.c.id == t.story_articles.c.article_id
            )
            matching = self._fts_condition(q)
            query = query.where(or_(in_title, s.id.in_(members.where(matching))))
        return query

    def _fts_condition(self, q: str) -> ColumnElement[bool] | TextClause:
        """A condition on ``articles`` true for rows matching the full-text query ``q``."""
        if self._backend == "postgresql":
            pg_expr = websearch_query(q)
            if pg_expr is None:
                return false()
            return text(f"articles.tsv @@ websearch_to_tsquery('{PG_TS_CONFIG}', :fts_q)").bindparams(
                fts_q=pg_expr
            )
        expr = fts5_query(q)
        if expr is None:
            return false()
        return t.articles.c.seq.in_(
            text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts_q").bindparams(fts_q=expr)
        )

    # ------------------------------------------------------------------ search

    def search(self, q: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles matching a search-box query, best first.

        Syntax (both backends): words are ANDed, ``"a phrase"``, ``x OR y``, ``-excluded``; anything else
        is treated as words, so no input raises a syntax error. Snippets are plain text with match offsets
        (see :class:`SearchHit`).
        """
        limit, offset = max(0, limit), max(0, offset)
        if not q.strip():
            return []
        if self._backend == "postgresql":
            pg_expr = websearch_query(q)
            if pg_expr is None:
                return []
            sql = text(
                "SELECT a.id, a.title, a.outlet, a.published, "
                f"ts_headline('{PG_TS_CONFIG}', a.text, query, :opts) AS snip, "
                "(SELECT sa.story_id FROM story_articles sa WHERE sa.article_id = a.id "
                " ORDER BY sa.duplicate_of IS NOT NULL, sa.story_id LIMIT 1) AS story_id "
                f"FROM articles a, websearch_to_tsquery('{PG_TS_CONFIG}', :q) AS query "
                "WHERE a.tsv @@ query "
                "ORDER BY ts_rank(a.tsv, query) DESC, a.published DESC NULLS LAST, a.id "
                "LIMIT :limit OFFSET :offset"
            ).bindparams(
                q=pg_expr,
                opts=f'StartSel="{MARK_START}", StopSel="{MARK_END}", {PG_HEADLINE_OPTIONS}',
                limit=limit,
                offset=offset,
            )
        else:
            expr = fts5_query(q)
            if expr is None:
                return []
            sql = text(
                "SELECT a.id, a.title, a.outlet, a.published, "
                f"snippet(articles_fts, 1, :ms, :me, '…', {int(SNIPPET_TOKENS)}) AS snip, "
                "(SELECT sa.story_id FROM story_articles sa WHERE sa.article_id = a.id "
                " ORDER BY sa.duplicate_of IS NOT NULL, sa.story_id LIMIT 1) AS story_id "
                "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
                "WHERE articles_fts MATCH :q "
                f"ORDER BY bm25(articles_fts, {float(TITLE_WEIGHT)}, 1.0), a.published DESC, a.id "
                "LIMIT :limit OFFSET :offset"
            ).bindparams(q=expr, ms=MARK_START, me=MARK_END, limit=limit, offset=offset)
        with self._read() as conn:
            rows = conn.execute(sql).all()
        hits = []
        for row in rows:
            snippet, matches = split_marked(row.snip or "")
            hits.append(
                SearchHit(
                    article_id=row.id,
                    title=row.title,
                    outlet=row.outlet,
                    published=row.published,
                    story_id=row.story_id,
                    snippet=snippet,
                    matches=matches,
                )
            )
        return hits

    def search_count(self, q: str) -> int:
        """How many articles :meth:`search` would find without ``limit``."""
        if not q.strip():
            return 0
        query = select(func.count()).select_from(t.articles).where(self._fts_condition(q))
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())


def _check_sqlite_file(path: Any) -> None:
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a SQLite database file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database file: {exc}") from exc
    if head and head != _SQLITE_MAGIC:
        raise StoreError(
            f"{path}: not a SQLite database (the file exists but holds something else); "
            "choose another --db path or move this file away"
        )


def _describe(exc: BaseException, where: str, *, opening: bool = False) -> str:
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if "file is not a database" in message:
        return f"{where}: not a SQLite database ({message}); choose another --db path or move this file away"
    if opening:
        return f"{where}: cannot open the store: {message}"
    return f"{where}: {message}"
