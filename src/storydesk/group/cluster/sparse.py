"""Sparse helpers of the streaming clusterer: vectors over the hashed vocabulary (story sums), row
buffers that grow at the end and shrink at the front (the open window), a term index, and products."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from . import rules as R

__all__ = ["SparseVector", "stack_vectors", "gram", "pair_sum", "RowBuffer", "TermIndex"]


class SparseVector:
    """A sparse vector over the hashed vocabulary: sorted ``indices`` and their ``values`` (cheap sums and
    dots)."""

    __slots__ = ("indices", "values")

    def __init__(self, indices: np.ndarray | None = None, values: np.ndarray | None = None) -> None:
        self.indices = np.zeros(0, dtype=np.int32) if indices is None else indices
        self.values = np.zeros(0, dtype=np.float64) if values is None else values

    @classmethod
    def total(cls, m: sp.csr_matrix) -> SparseVector:
        """The sum of the rows of ``m``."""
        if not m.nnz:
            return cls()
        terms, inverse = np.unique(m.indices[: m.indptr[-1]], return_inverse=True)
        sums = np.bincount(inverse, weights=m.data[: m.indptr[-1]], minlength=len(terms))
        return cls(terms.astype(np.int32), sums)

    def __add__(self, other: SparseVector) -> SparseVector:
        """The sum: the shorter vector's entries are added to or inserted into the longer one's (a binary
        search per entry instead of sorting both; each shared entry is the same a + b)."""
        if not len(other.indices):
            return self
        if not len(self.indices):
            return other
        big, small = (self, other) if len(self.indices) >= len(other.indices) else (other, self)
        pos = np.searchsorted(big.indices, small.indices)
        hit = big.indices[np.minimum(pos, len(big.indices) - 1)] == small.indices
        values = big.values.copy()
        if big is self:
            values[pos[hit]] += small.values[hit]
        else:
            values[pos[hit]] = small.values[hit] + values[pos[hit]]
        new = ~hit
        if not new.any():
            return SparseVector(big.indices, values)
        return SparseVector(
            np.insert(big.indices, pos[new], small.indices[new]),
            np.insert(values, pos[new], small.values[new]),
        )

    def dot_row(self, indices: np.ndarray, values: np.ndarray) -> float:
        """Dot product with a short sparse row (sorted ``indices``): a binary search per entry of the row."""
        if not len(self.indices) or not len(indices):
            return 0.0
        pos = np.minimum(np.searchsorted(self.indices, indices), len(self.indices) - 1)
        hit = self.indices[pos] == indices
        return float(self.values[pos[hit]] @ values[hit])

    def dot_sparse(self, other: SparseVector, scratch: np.ndarray) -> float:
        """Dot product with another sparse vector through a zeroed dense ``scratch`` (left zeroed)."""
        if not len(self.indices) or not len(other.indices):
            return 0.0
        scratch[other.indices] = other.values
        out = float(scratch[self.indices] @ self.values)
        scratch[other.indices] = 0.0
        return out


def stack_vectors(vecs: Sequence[SparseVector]) -> sp.csr_matrix:
    """The vectors as the rows of a CSR matrix over the hashed vocabulary."""
    indptr = np.zeros(len(vecs) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(v.indices) for v in vecs])
    indices = np.concatenate([v.indices for v in vecs]) if vecs else np.zeros(0, np.int32)
    values = np.concatenate([v.values for v in vecs]) if vecs else np.zeros(0)
    return sp.csr_matrix((values, indices, indptr), shape=(len(vecs), R.HASH_FEATURES))


def gram(a: sp.csr_matrix, b: sp.csr_matrix | None = None) -> np.ndarray:
    """``a @ b.T`` as a dense array. The operand with more entries is the one transposed: the product then
    reads the smaller one's entries against the larger one's postings (2-3x faster than the other way on
    story sums; the sums are the same either way: each entry adds the shared terms' products in order)."""
    if b is None:
        b = a
    if b.nnz >= a.nnz:
        return (a @ b.T.tocsr()).toarray()
    return (b @ a.T.tocsr()).toarray().T


def pair_sum(w: np.ndarray, items: list[int]) -> float:
    """Sum of ``w`` over the items' pairs, both ways (the diagonal is zero)."""
    if len(items) < 2:
        return 0.0
    return float(w[items][:, items].sum())


class RowBuffer:
    """Sparse rows (CSR buffers) appended one at a time and dropped from the front: the open window's
    feature rows, kept stacked so that a product with all of them needs no re-stacking."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self._indices = np.zeros(1024, dtype=np.int32)
        self._values = np.zeros(1024, dtype=np.float64)
        self._indptr = np.zeros(64, dtype=np.int32)
        self._count = 0

    @classmethod
    def of(cls, m: sp.csr_matrix) -> RowBuffer:
        """A buffer holding the rows of ``m`` (with room to grow)."""
        rows = cls(m.shape[1])
        rows._count = m.shape[0]
        rows._indptr = np.zeros(max(64, 2 * rows._count + 1), dtype=np.int32)
        rows._indptr[: rows._count + 1] = m.indptr
        nnz = int(m.indptr[-1])
        rows._indices = np.zeros(max(1024, 2 * nnz), dtype=np.int32)
        rows._values = np.zeros(max(1024, 2 * nnz), dtype=np.float64)
        rows._indices[:nnz] = m.indices[:nnz]
        rows._values[:nnz] = m.data[:nnz]
        return rows

    def __len__(self) -> int:
        return self._count

    def append(self, indices: np.ndarray, values: np.ndarray) -> None:
        """Append one row given by its sorted column ``indices`` and their ``values``."""
        nnz, k = int(self._indptr[self._count]), len(indices)
        if nnz + k > len(self._indices):
            size = max(2 * len(self._indices), nnz + k)
            self._indices = np.concatenate([self._indices[:nnz], np.zeros(size - nnz, dtype=np.int32)])
            self._values = np.concatenate([self._values[:nnz], np.zeros(size - nnz)])
        if self._count + 2 > len(self._indptr):
            self._indptr = np.concatenate([self._indptr, np.zeros(len(self._indptr), dtype=np.int32)])
        self._indices[nnz : nnz + k] = indices
        self._values[nnz : nnz + k] = values
        self._indptr[self._count + 1] = nnz + k
        self._count += 1

    def append_row(self, m: sp.csr_matrix) -> None:
        """Append the single row of ``m``."""
        self.append(m.indices[m.indptr[0] : m.indptr[1]], m.data[m.indptr[0] : m.indptr[1]])

    def drop_first(self, count: int) -> None:
        """Drop the ``count`` oldest rows."""
        if count <= 0:
            return
        first, last = int(self._indptr[count]), int(self._indptr[self._count])
        self._indices[: last - first] = self._indices[first:last]
        self._values[: last - first] = self._values[first:last]
        self._indptr[: self._count - count + 1] = self._indptr[count : self._count + 1] - first
        self._count -= count

    def tail_dot(self, start: int, dense: np.ndarray) -> np.ndarray:
        """Dot products of rows ``start``.. with a dense vector."""
        ptr = self._indptr[start : self._count + 1]
        a, b = int(ptr[0]), int(ptr[-1])
        prod = dense[self._indices[a:b]] * self._values[a:b]
        rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
        return np.bincount(rows, weights=prod, minlength=len(ptr) - 1)

    def csr(self, count: int | None = None) -> sp.csr_matrix:
        """The first ``count`` rows (default: all) as a CSR matrix over the buffers (no copy: use it now)."""
        n = self._count if count is None else count
        nnz = int(self._indptr[n])
        return sp.csr_matrix(
            (self._values[:nnz], self._indices[:nnz], self._indptr[: n + 1]), shape=(n, self.columns)
        )


class TermIndex:
    """Rows listed by term (a transposed CSR): a new row's products with all of them read only the
    postings of its own terms (a few thousand entries), not every entry of every row (~100,000 reads
    scattered over a 2^18 array)."""

    def __init__(self, rows: sp.csr_matrix) -> None:
        by_term = rows.tocsc()
        self.postings_start = by_term.indptr  # term t's postings: [postings_start[t], postings_start[t + 1])
        self.posting_rows = by_term.indices
        self.posting_values = by_term.data
        self.rows = rows.shape[0]

    def dot(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Products of the sparse row (``indices``, ``values``) with every indexed row."""
        start = self.postings_start[indices]
        lens = self.postings_start[indices + 1] - start
        total = int(lens.sum())
        if not total:
            return np.zeros(self.rows)
        first = np.cumsum(lens) - lens
        pos = np.arange(total) + np.repeat(start - first, lens)
        weights = self.posting_values[pos] * np.repeat(values, lens)
        return np.bincount(self.posting_rows[pos], weights=weights, minlength=self.rows)
