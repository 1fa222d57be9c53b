"""Full-text search over articles: SQLite FTS5 or Postgres ``tsvector``, the same query syntax on both.

The query a user types is rewritten by :mod:`._search` (so no input raises a syntax error); snippets come
back as plain text with match offsets (:class:`~storydesk.store.SearchHit`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, TextClause, false, func, select, text

from . import _schema as t
from ._database import Database, clamp_rows
from ._records import SearchHit
from ._search import fts5_query, split_marked, websearch_query
from .rules import MARK_END, MARK_START, PG_HEADLINE_OPTIONS, PG_TS_CONFIG, SNIPPET_TOKENS, TITLE_WEIGHT

__all__ = ["FullTextSearch"]

#: The story holding an article, members before folded copies (the ``story_id`` of a hit).
_STORY_OF_HIT = (
    "(SELECT sa.story_id FROM story_articles sa WHERE sa.article_id = a.id "
    " ORDER BY sa.duplicate_of IS NOT NULL, sa.story_id LIMIT 1) AS story_id "
)


class FullTextSearch:
    """The articles' full-text index (``articles_fts`` on SQLite, ``articles.tsv`` on Postgres)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def search(self, q: str, *, limit: int | None = None, offset: int = 0) -> list[SearchHit]:
        """Articles matching a search-box query, best first (all of them unless ``limit``).

        Syntax (both backends): words are ANDed, ``"a phrase"``, ``x OR y``, ``-excluded``; anything else
        is treated as words, so no input raises a syntax error. Snippets are plain text with match offsets
        (see :class:`SearchHit`).
        """
        offset = clamp_rows(offset)
        if limit is not None:
            limit = clamp_rows(limit)
        if not q.strip():
            return []
        if self._db.backend == "postgresql":
            pg_expr = websearch_query(q)
            if pg_expr is None:
                return []
            sql = text(
                "SELECT a.id, a.title, a.outlet, a.published, "
                f"ts_headline('{PG_TS_CONFIG}', a.text, query, :opts) AS snip, "
                + _STORY_OF_HIT
                + f"FROM articles a, websearch_to_tsquery('{PG_TS_CONFIG}', :q) AS query "
                "WHERE a.tsv @@ query "
                "ORDER BY ts_rank(a.tsv, query) DESC, a.published DESC NULLS LAST, a.id "
                "LIMIT :limit OFFSET :offset"
            ).bindparams(
                q=pg_expr,
                opts=f'StartSel="{MARK_START}", StopSel="{MARK_END}", {PG_HEADLINE_OPTIONS}',
                limit=limit,  # LIMIT NULL: no limit
                offset=offset,
            )
        else:
            expr = fts5_query(q)
            if expr is None:
                return []
            sql = text(
                "SELECT a.id, a.title, a.outlet, a.published, "
                f"snippet(articles_fts, 1, :ms, :me, '…', {int(SNIPPET_TOKENS)}) AS snip, "
                + _STORY_OF_HIT
                + "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
                "WHERE articles_fts MATCH :q "
                f"ORDER BY bm25(articles_fts, {float(TITLE_WEIGHT)}, 1.0), a.published DESC, a.id "
                "LIMIT :limit OFFSET :offset"
            ).bindparams(
                q=expr,
                ms=MARK_START,
                me=MARK_END,
                limit=-1 if limit is None else limit,  # LIMIT -1: no limit
                offset=offset,
            )
        with self._db.read() as conn:
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

    def count(self, q: str) -> int:
        """How many articles :meth:`search` would find without ``limit``."""
        if not q.strip():
            return 0
        query = select(func.count()).select_from(t.articles).where(self.condition(q))
        with self._db.read() as conn:
            return int(conn.execute(query).scalar_one())

    def condition(self, q: str) -> ColumnElement[bool] | TextClause:
        """A condition on ``articles`` true for rows matching the full-text query ``q``."""
        if self._db.backend == "postgresql":
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
