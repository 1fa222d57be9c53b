"""Near-duplicates: article id → the canonical article it was folded into."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select

from . import _schema as t
from ._database import Database, chunks, unique

__all__ = ["DuplicateRepository"]


class DuplicateRepository:
    """The ``duplicates`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, mapping: dict[str, str], *, replace: bool = False) -> None:
        """Record near-duplicates (article id → canonical article id); with ``replace``, forget the rest."""
        with self._db.write() as conn:
            if replace:
                conn.execute(delete(t.duplicates))
            if mapping:
                stmt = self._db.insert(t.duplicates)
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["article_id"], set_={"canonical_id": stmt.excluded.canonical_id}
                    ),
                    [{"article_id": dup, "canonical_id": canon} for dup, canon in mapping.items()],
                )

    def all(self) -> dict[str, str]:
        """Every near-duplicate → its canonical article, by article id."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(t.duplicates.c.article_id, t.duplicates.c.canonical_id).order_by(
                    t.duplicates.c.article_id
                )
            )
            return {row.article_id: row.canonical_id for row in rows}

    def of(self, canonical_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Canonical article id → the ids of its folded near-duplicates (sorted), for those that have any."""
        out: dict[str, list[str]] = {}
        with self._db.read() as conn:
            for chunk in chunks(unique(canonical_ids)):
                rows = conn.execute(
                    select(t.duplicates.c.article_id, t.duplicates.c.canonical_id).where(
                        t.duplicates.c.canonical_id.in_(chunk)
                    )
                )
                for row in rows:
                    out.setdefault(row.canonical_id, []).append(row.article_id)
        return {k: tuple(sorted(v)) for k, v in out.items()}
