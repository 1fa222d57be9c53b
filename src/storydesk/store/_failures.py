"""Ingest failures: inputs that could not become an article, with the reason, newest first."""

from __future__ import annotations

from sqlalchemy import select

from ..model import Failure
from . import _schema as t
from ._database import Database, clamp_rows, now

__all__ = ["FailureRepository"]


class FailureRepository:
    """The ``ingest_failures`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, failure: Failure) -> None:
        """Log an input that could not become an article."""
        with self._db.write() as conn:
            conn.execute(
                t.ingest_failures.insert().values(at=now(), origin=failure.origin, reason=failure.reason)
            )

    def recent(self, *, limit: int | None = None, offset: int = 0) -> list[Failure]:
        """Logged failures, newest first (all of them unless ``limit``)."""
        query = (
            select(t.ingest_failures.c.origin, t.ingest_failures.c.reason)
            .order_by(t.ingest_failures.c.seq.desc())
            .limit(None if limit is None else clamp_rows(limit))
            .offset(clamp_rows(offset))
        )
        with self._db.read() as conn:
            return [Failure(origin=row.origin, reason=row.reason) for row in conn.execute(query)]
