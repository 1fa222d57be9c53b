"""Articles: stored once each (an existing id is never changed), read by id or streamed in publication order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from sqlalchemy import func, select

from ..errors import NotFoundError, StoreError
from ..model import Article
from . import _schema as t
from ._database import Database, chunks, now, unique
from ._vectors import decode_vector, encode_vector
from .rules import STREAM_BATCH

__all__ = ["ArticleRepository"]

_COLUMNS = (
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
    t.articles.c.outlet_inferred,
)

#: Publication order: by date (undated last), then id.
_BY_PUBLICATION = (t.articles.c.published.is_(None), t.articles.c.published, t.articles.c.id)


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
        outlet_inferred=bool(row.outlet_inferred),
    )


class ArticleRepository:
    """The ``articles`` table (and, in an article's own transaction, its first vector)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # Built once: statements with bound parameters are compiled once and cached by SQLAlchemy.
        self._add_article_stmt = (
            db.insert(t.articles).on_conflict_do_nothing(index_elements=["id"]).returning(t.articles.c.seq)
        )
        self._add_vector_stmt = db.insert(t.vectors).on_conflict_do_nothing(
            index_elements=["article_id", "model"]
        )

    def add(self, article: Article, *, vector: np.ndarray | None = None, model: str | None = None) -> bool:
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
            "outlet_inferred": article.outlet_inferred,
            "ingested_at": now(),
        }
        encoded = encode_vector(vector) if vector is not None else None
        with self._db.write() as conn:
            new = conn.execute(self._add_article_stmt, row).first() is not None
            if encoded is not None:
                dim, data = encoded
                conn.execute(
                    self._add_vector_stmt,
                    {"article_id": article.id, "model": model, "dim": dim, "data": data},
                )
        return new

    def add_many(self, articles: Iterable[Article]) -> None:
        """Store articles in one transaction, in the order given (a batch job's write; ``add`` is the
        ingest's, one transaction each). Ids stored already are left as they are."""
        stamp = now()
        rows = [
            {
                "id": a.id,
                "title": a.title,
                "text": a.text,
                "outlet": a.outlet,
                "published": a.published,
                "url": a.url,
                "path": a.path,
                "author": a.author,
                "language": a.language,
                "removed": json.dumps(list(a.removed), ensure_ascii=False),
                "outlet_inferred": a.outlet_inferred,
                "ingested_at": stamp,
            }
            for a in articles
        ]
        if rows:
            stmt = self._db.insert(t.articles).on_conflict_do_nothing(index_elements=["id"])
            with self._db.write() as conn:
                conn.execute(stmt, rows)

    def get(self, article_id: str) -> Article:
        if "\x00" in article_id:  # no stored id has one (and Postgres refuses the byte)
            raise NotFoundError("article", article_id)
        with self._db.read() as conn:
            row = conn.execute(select(*_COLUMNS).where(t.articles.c.id == article_id)).first()
        if row is None:
            raise NotFoundError("article", article_id)
        return _article_from_row(row)

    def has(self, article_id: str) -> bool:
        with self._db.read() as conn:
            return (
                conn.execute(select(t.articles.c.seq).where(t.articles.c.id == article_id)).first()
                is not None
            )

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that are stored (one query per chunk, not one per id)."""
        found: set[str] = set()
        with self._db.read() as conn:
            for chunk in chunks(unique(ids)):
                found.update(
                    conn.execute(select(t.articles.c.id).where(t.articles.c.id.in_(chunk))).scalars()
                )
        return found

    def count(self) -> int:
        with self._db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(t.articles)).scalar_one())

    def iter(self, *, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Articles ordered by publication date (undated last), then id; streamed, not loaded at once.

        With ``ids``, only those articles (unknown ids are skipped).
        """
        if ids is not None:
            found: list[Article] = []
            with self._db.read() as conn:
                for chunk in chunks(unique(ids)):
                    rows = conn.execute(select(*_COLUMNS).where(t.articles.c.id.in_(chunk)))
                    found.extend(_article_from_row(row) for row in rows)
            found.sort(key=lambda a: (a.published is None, a.published or "", a.id))
            yield from found
            return
        yield from self._stream(select(*_COLUMNS).order_by(*_BY_PUBLICATION))

    def iter_placed(self, model: str) -> Iterator[tuple[Article, np.ndarray | None, str]]:
        """Every story member (not folded near-duplicates) with its ``model`` vector (None if it has none)
        and its story id, by publication date (undated last), then id; streamed, not loaded at once."""
        query = (
            select(*_COLUMNS, t.vectors.c.data, t.vectors.c.dim, t.story_articles.c.story_id)
            .join(t.story_articles, t.story_articles.c.article_id == t.articles.c.id)
            .outerjoin(t.vectors, (t.vectors.c.article_id == t.articles.c.id) & (t.vectors.c.model == model))
            .where(t.story_articles.c.duplicate_of.is_(None))
            .order_by(*_BY_PUBLICATION)
        )
        with self._db.read() as conn:
            result = conn.execution_options(yield_per=STREAM_BATCH).execute(query)
            for row in result:
                vector = None if row.data is None else decode_vector(row.data, row.dim)
                yield _article_from_row(row), vector, row.story_id

    def iter_unplaced(self) -> Iterator[Article]:
        """Stored articles in no story and not folded as near-duplicates (e.g. left by an interrupted
        ingest), by publication date (undated last), then id; streamed."""
        placed = select(t.story_articles.c.article_id).where(t.story_articles.c.article_id == t.articles.c.id)
        folded = select(t.duplicates.c.article_id).where(t.duplicates.c.article_id == t.articles.c.id)
        yield from self._stream(
            select(*_COLUMNS).where(~placed.exists(), ~folded.exists()).order_by(*_BY_PUBLICATION)
        )

    def count_ungrouped(self) -> int:
        """How many stored articles are listed in no story (as a member or a folded copy): not grouped yet."""
        placed = select(t.story_articles.c.article_id).where(t.story_articles.c.article_id == t.articles.c.id)
        query = select(func.count()).select_from(t.articles).where(~placed.exists())
        with self._db.read() as conn:
            return int(conn.execute(query).scalar_one())

    def _stream(self, query: Any) -> Iterator[Article]:
        with self._db.read() as conn:
            result = conn.execution_options(yield_per=STREAM_BATCH).execute(query)
            for row in result:
                yield _article_from_row(row)
