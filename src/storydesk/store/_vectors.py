"""Document vectors: one row per (article, model), float32, mostly-zero vectors stored sparse."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sqlalchemy import select

from ..errors import StoreError
from . import _schema as t
from ._database import Database, chunks, unique
from .rules import SPARSE_ENCODING_SIZE_RATIO

__all__ = ["VectorRepository", "encode_vector", "decode_vector"]


def encode_vector(vector: np.ndarray) -> tuple[int, bytes]:
    """(dimension, bytes): little-endian float32 values, or, for a mostly-zero vector (the hashing
    embedder's fill ~5 % of 4,096), its non-zero entries: ``k`` uint32 positions then ``k`` float32
    values. The length tells them apart: 8k < 4 × dimension whenever the sparse form is used."""
    arr = np.asarray(vector, dtype="<f4")
    if arr.ndim != 1:
        raise StoreError(f"a vector must be one-dimensional, got shape {arr.shape}")
    dim = int(arr.shape[0])
    nonzero = np.flatnonzero(arr)
    if len(nonzero) * 8 < dim * 4 * SPARSE_ENCODING_SIZE_RATIO:
        return dim, nonzero.astype("<u4").tobytes() + arr[nonzero].tobytes()
    return dim, arr.tobytes()


def decode_vector(data: bytes, dim: int) -> np.ndarray:
    """The float32 vector :func:`encode_vector` wrote."""
    if len(data) == 4 * dim:
        return np.frombuffer(data, dtype="<f4").astype(np.float32)
    k = len(data) // 8
    out = np.zeros(dim, dtype=np.float32)
    out[np.frombuffer(data, dtype="<u4", count=k)] = np.frombuffer(data, dtype="<f4", offset=4 * k)
    return out


class VectorRepository:
    """The ``vectors`` table. A vector stored with its article is written by
    :meth:`ArticleRepository.add <storydesk.store._articles.ArticleRepository.add>`, in the article's
    transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, vectors: dict[str, np.ndarray], model: str) -> None:
        """Store or replace vectors of existing articles for ``model`` (one transaction)."""
        rows = []
        for article_id, vector in vectors.items():
            dim, data = encode_vector(vector)
            rows.append({"article_id": article_id, "model": model, "dim": dim, "data": data})
        if not rows:
            return
        with self._db.write() as conn:
            stmt = self._db.insert(t.vectors)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["article_id", "model"],
                    set_={"dim": stmt.excluded.dim, "data": stmt.excluded.data},
                ),
                rows,
            )

    def get(self, ids: Iterable[str], model: str) -> dict[str, np.ndarray]:
        """Stored float32 vectors of ``model`` for those of ``ids`` that have one."""
        out: dict[str, np.ndarray] = {}
        with self._db.read() as conn:
            for chunk in chunks(unique(ids)):
                rows = conn.execute(
                    select(t.vectors.c.article_id, t.vectors.c.data, t.vectors.c.dim).where(
                        t.vectors.c.model == model, t.vectors.c.article_id.in_(chunk)
                    )
                )
                for row in rows:
                    out[row.article_id] = decode_vector(row.data, row.dim)
        return out
