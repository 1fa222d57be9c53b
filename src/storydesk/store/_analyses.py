"""Stored analyses (#17): one row per article, its ``version`` key and an encoded blob the store never reads.

A briefing reads the rows of its story's articles for the version key of the run (a row made under
another key is not returned, so it is recomputed and overwritten) and writes the analyses it made, in
the same transaction as the story (:meth:`StoryRepository.replace
<storydesk.store._stories.StoryRepository.replace>`) or on their own (:meth:`AnalysisRepository.put`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, select

from ..model import AnalysisBlob
from . import _schema as t
from ._database import Database, chunks, unique

__all__ = ["AnalysisRepository", "write_analyses"]


def write_analyses(db: Database, conn: Connection, blobs: Sequence[AnalysisBlob]) -> None:
    """Insert or replace ``blobs`` inside the caller's transaction ``conn`` (the last one of an article
    wins)."""
    rows = {b.article_id: {"article_id": b.article_id, "version": b.version, "data": b.data} for b in blobs}
    if not rows:
        return
    stmt = db.insert(t.analyses)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["article_id"],
            set_={"version": stmt.excluded.version, "data": stmt.excluded.data},
        ),
        list(rows.values()),
    )


class AnalysisRepository:
    """The ``analyses`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, blobs: Sequence[AnalysisBlob]) -> None:
        """Store or replace the analyses of stored articles (one transaction)."""
        if not blobs:
            return
        with self._db.write() as conn:
            write_analyses(self._db, conn, blobs)

    def get(self, ids: Iterable[str], version: str) -> dict[str, bytes]:
        """The stored blobs made under ``version`` of those of ``ids`` that have one."""
        out: dict[str, bytes] = {}
        with self._db.read() as conn:
            for chunk in chunks(unique(ids)):
                rows = conn.execute(
                    select(t.analyses.c.article_id, t.analyses.c.data).where(
                        t.analyses.c.version == version, t.analyses.c.article_id.in_(chunk)
                    )
                )
                for row in rows:
                    out[row.article_id] = bytes(row.data)
        return out

    def versions(self) -> dict[str, int]:
        """How many rows each version key has (for ``doctor``-style reports and tests)."""
        from sqlalchemy import func

        with self._db.read() as conn:
            rows = conn.execute(
                select(t.analyses.c.version, func.count()).group_by(t.analyses.c.version)
            ).all()
        return {str(v): int(n) for v, n in rows}
