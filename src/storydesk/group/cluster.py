"""Story clustering, batch and streaming.

An article pair is scored by three similarities (weights in :mod:`storydesk.group.rules`):

1. cosine of document vectors (MiniLM by default, see :mod:`storydesk.embed`);
2. cosine of TF-IDF word vectors over the whole text;
3. cosine of TF-IDF vectors of names, approximated cheaply by capitalised-word shingles (no spaCy);

minus a mild time penalty for groups published months apart. Groups are then joined by average linkage:

* **batch** (:func:`cluster_articles`): agglomerative clustering; two groups join while their average pair
  similarity reaches ``JOIN_THRESHOLD`` and, when both are established (``GROUP_MIN_SIZE`` articles), also
  ``GROUP_RATIO`` × their own internal similarity, so that two distinct stories sharing names stay apart;
* **streaming** (:class:`StreamClusterer`): each new article joins the story with the best average
  similarity if it passes the same threshold (and, for established stories, ``STREAM_RATIO`` × the story's
  internal similarity), otherwise it starts a story. Story ids never change as stories grow.

An article that matches nothing stays a singleton story. Inverse document frequencies come from the
articles being clustered (in streaming: those seen so far).
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..model import Article, Story, publication_day
from . import rules as R
from .embed import Embedder, embed_documents, get_embedder

__all__ = ["cluster_articles", "StreamClusterer", "StoryChanges", "extract_names", "ClusterParams"]

log = logging.getLogger(__name__)


@functools.cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController  # a dependency of scikit-learn

    return ThreadpoolController()


def _one_blas_thread() -> Any:
    """A context in which BLAS runs on one thread. Streaming interleaves small BLAS products with sparse and
    Python work; threaded OpenBLAS keeps its workers spinning between calls and, on a 2-core machine
    with other work running, one 90 × 4,096 product then took 126 ms instead of 1.2 ms."""
    return _blas_controller().limit(limits=1, user_api="blas")


#: Stored articles weighed and folded into story sums at a time when rebuilding (bounds the memory used).
_FOLD_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """The thresholds one clustering run uses (defaults from :mod:`storydesk.group.rules`)."""

    threshold: float = R.JOIN_THRESHOLD
    stream_threshold: float = R.STREAM_THRESHOLD
    group_min_size: int = R.GROUP_MIN_SIZE
    group_ratio: float = R.GROUP_RATIO
    stream_min_size: int = R.STREAM_MIN_SIZE
    stream_ratio: float = R.STREAM_RATIO
    time_penalty: float = R.TIME_PENALTY

    @classmethod
    def with_threshold(cls, threshold: float | None) -> ClusterParams:
        return cls(threshold=threshold, stream_threshold=threshold) if threshold else cls()


def extract_names(text: str) -> list[str]:
    """Name shingles of a text: each capitalised-word run (``prime_minister_alain_juppe``) and its words.

    A single capitalised word opening a sentence is skipped (it is usually just capitalised).
    """
    out: list[str] = []
    for sentence in R.SENTENCE_SPLIT.split(text):
        for m in R.NAME_PATTERN.finditer(sentence):
            words = [w for w in m.group(1).split() if w not in R.NOT_NAMES]
            if not words or (len(words) == 1 and m.start() == 0):
                continue
            out.append("_".join(words).lower())
            if len(words) > 1:
                out.extend(w.lower() for w in words)
    return out


@functools.lru_cache(maxsize=1)
def _vectorizers() -> tuple[Any, Any]:
    """The hashing vectorizers of the word and name features (stateless: the same in every process)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"n_features": R.HASH_FEATURES, "alternate_sign": False, "norm": None}
    words = HashingVectorizer(stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b", **common)
    return words, HashingVectorizer(analyzer=extract_names, **common)


def raw_features(
    articles: Sequence[Article], vectorizers: tuple[Any, Any] | None = None
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The streaming clusterer's raw rows of ``articles``: log counts of hashed words and of name
    shingles. A pure function of the texts, so an extraction worker can make them ahead of clustering."""
    texts = [f"{a.title}\n{a.text}" if a.title else a.text for a in articles]
    out = []
    for vec in vectorizers or _vectorizers():
        m = vec.transform(texts).tocsr()
        m.data = np.log1p(m.data)
        out.append(m)
    return out[0], out[1]


class _Features:
    """Per-article raw features, grown one article at a time; IDF is recomputed from what was seen."""

    def __init__(self) -> None:
        self._rows_w: list[sp.csr_matrix] = []
        self._rows_e: list[sp.csr_matrix] = []
        self._mat_w: sp.csr_matrix | None = None
        self._mat_e: sp.csr_matrix | None = None
        self.df_w = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self.df_e = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self.vectors: list[np.ndarray] = []
        self.days: list[float] = []

    def __len__(self) -> int:
        return len(self.days)

    def add(self, articles: Sequence[Article], vectors: np.ndarray) -> None:
        for rows, df, m in zip(
            (self._rows_w, self._rows_e), (self.df_w, self.df_e), raw_features(articles), strict=True
        ):
            rows.append(m)
            np.add.at(df, m.indices, 1.0)
        self.vectors.extend(np.asarray(vectors, dtype=np.float32))
        self.days.extend(publication_day(a.published) for a in articles)

    def _matrix(self, which: str) -> sp.csr_matrix:
        rows = self._rows_w if which == "w" else self._rows_e
        if len(rows) > 1:
            rows[:] = [sp.vstack(rows, format="csr")]
        return rows[0]

    def _idf(self, df: np.ndarray, min_df: int, max_share: float) -> np.ndarray:
        n = len(self)
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        if n >= R.MAX_DF_MIN_DOCS:
            idf[(df < min_df) | (df > max_share * n)] = 0.0
        return idf

    def _weighted(self, which: str) -> sp.csr_matrix:
        if which == "w":
            idf = self._idf(self.df_w, R.WORD_MIN_DF, R.WORD_MAX_DF_SHARE)
        else:
            idf = self._idf(self.df_e, R.ENTITY_MIN_DF, R.ENTITY_MAX_DF_SHARE)
        m = self._matrix(which).multiply(idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.diags(1.0 / norms) @ m

    def similarity(self, rows: slice | None = None) -> np.ndarray:
        """Pair similarity of ``rows`` (default: all) against every article, without the time penalty."""
        sel = rows if rows is not None else slice(0, len(self))
        vec = np.vstack(self.vectors) if self.vectors else np.zeros((0, 1), np.float32)
        sim = R.WEIGHT_VECTOR * (vec[sel] @ vec.T).astype(np.float64)
        for which, weight in (("w", R.WEIGHT_WORDS), ("e", R.WEIGHT_ENTITIES)):
            m = self._weighted(which)
            sim += weight * (m[sel] @ m.T).toarray()
        return sim


def _time_penalty(gap_days: np.ndarray, strength: float) -> np.ndarray:
    """Similarity lost by a gap of ``gap_days`` between two groups (no date: no penalty)."""
    gap = np.where(np.isnan(gap_days), 0.0, gap_days)
    over = np.minimum(np.maximum((gap - R.TIME_GRACE_DAYS) / R.TIME_SCALE_DAYS, 0.0), 1.0)
    return strength * over


def _range_gap(
    s1: np.ndarray | float, e1: np.ndarray | float, s2: np.ndarray | float, e2: np.ndarray | float
) -> np.ndarray:
    return np.maximum(0.0, np.maximum(s1, s2) - np.minimum(e1, e2))


def _agglomerate(
    sim: np.ndarray,
    days: np.ndarray,
    p: ClusterParams,
    *,
    size: np.ndarray | None = None,
    inner: np.ndarray | None = None,
    end_days: np.ndarray | None = None,
) -> np.ndarray:
    """Average-linkage agglomeration with the group rule and time penalty; returns a label per row.

    A row may stand for a group already formed (a frozen story part): ``sim`` then holds the *sum* of pair
    similarities between the rows' members, ``size`` the member counts, ``inner`` the sum of pair
    similarities within each row, and ``days``/``end_days`` the first/last publication day.

    The score table is built in one vectorised step and each row's maximum (first best column, value) is
    kept up to date, so a merge costs a few O(n) array operations rather than a scan of the n × n table.
    The merge order, ties included (first row, then first column, as ``argmax`` over the whole table),
    is the plain algorithm's.
    """
    n = len(sim)
    w = sim.astype(np.float64, copy=True)
    np.fill_diagonal(w, 0.0)
    size = np.ones(n) if size is None else size.astype(np.float64, copy=True)
    inner = np.zeros(n) if inner is None else inner.astype(np.float64, copy=True)
    start = days.astype(np.float64, copy=True)
    end = start.copy() if end_days is None else end_days.astype(np.float64, copy=True)
    parent = np.arange(n)
    if n < 2:
        return parent
    est = size >= p.group_min_size
    within = np.where(size > 1, inner / np.maximum(size * (size - 1) / 2, 1), 0.0)

    # table[i, j]: the score of joining j to i, as seen from i; -inf where the rules forbid it. The time
    # penalty and the group rule only lower a score, so they are worked out only for the pairs whose
    # average similarity reaches the threshold (a few percent of them)
    table = np.multiply.outer(size, size)
    np.divide(w, table, out=table)
    np.fill_diagonal(table, -np.inf)
    ii, jj = np.nonzero(table >= p.threshold)
    avg = table[ii, jj]
    avg -= _time_penalty(_range_gap(start[ii], end[ii], start[jj], end[jj]), p.time_penalty)
    ok = avg >= p.threshold
    both = est[ii] & est[jj]
    ok[both] &= avg[both] >= p.group_ratio * ((within[jj[both]] + within[ii[both]]) / 2)
    table.fill(-np.inf)
    table[ii[ok], jj[ok]] = avg[ok]
    del ii, jj, avg, ok, both
    best = table.argmax(axis=1)  # each row's first column holding its maximum
    best_val = table[np.arange(n), best]

    active = np.ones(n, dtype=bool)
    rank = np.arange(n)
    while True:
        a = int(best_val.argmax())  # the first row holding the table's maximum
        if best_val[a] == -np.inf:
            break
        b = int(best[a])
        wa = w[a]
        inner[a] += inner[b] + wa[b]
        wa += w[b]
        w[:, a] += w[:, b]
        wa[a] = 0.0
        size[a] += size[b]
        start[a] = np.fmin(start[a], start[b])
        end[a] = np.fmax(end[a], end[b])
        active[b] = False
        parent[b] = a
        est[a] = size[a] >= p.group_min_size
        within[a] = inner[a] / max(size[a] * (size[a] - 1) / 2, 1) if size[a] > 1 else 0.0
        # the merged row's scores, worked out (as for the table) only where the average reaches the
        # threshold; the penalty is _time_penalty(_range_gap(...)) in place: a negative gap is clipped
        # like one within the grace period, and an undated side (NaN) costs nothing
        row = wa / (size[a] * size)
        cand = np.flatnonzero(row >= p.threshold)
        cand = cand[active[cand] & (cand != a)]
        vals = row[cand]
        pen = np.maximum(start[cand], start[a])
        pen -= np.minimum(end[cand], end[a])
        pen -= R.TIME_GRACE_DAYS
        pen /= R.TIME_SCALE_DAYS
        np.maximum(pen, 0.0, out=pen)
        np.minimum(pen, 1.0, out=pen)
        pen[np.isnan(pen)] = 0.0
        pen *= p.time_penalty
        vals -= pen
        ok = vals >= p.threshold
        if est[a]:
            ok &= vals >= p.group_ratio * np.where(est[cand], (within[cand] + within[a]) / 2, -np.inf)
        cand, vals = cand[ok], vals[ok]
        row.fill(-np.inf)
        row[cand] = vals
        table[a] = row
        table[:, a] = row
        table[:, b] = -np.inf
        best_val[b] = -np.inf
        # rows whose best was a or b are rescanned (never a merged-away row: its entries are old);
        # elsewhere only column a changed, and only where it is now finite can it beat a row's best
        stale = best == a
        stale |= best == b
        stale &= active
        stale[a] = True
        if len(cand):
            old = best_val[cand]
            gain = (vals > old) | ((vals == old) & (best[cand] > a))
            gain &= ~stale[cand]
            up = cand[gain]
            best[up] = a
            best_val[up] = vals[gain]
        rows = np.flatnonzero(stale)
        sub = table[rows]
        cols = sub.argmax(axis=1)
        best[rows] = cols
        best_val[rows] = sub[rank[: len(rows)], cols]
    # each row's label is the row its group was merged into last (the root of its merge chain)
    while True:
        up = parent[parent]
        if (up == parent).all():
            return parent
        parent = up


def _sort_key(article: Article) -> tuple[str, str]:
    return (article.published or "9999", article.id)


def _stories(groups: Sequence[Sequence[Article]]) -> list[Story]:
    stories = []
    for members in groups:
        ordered = sorted(members, key=_sort_key)
        stories.append(Story(id=Story.make_id(ordered[0].id), article_ids=tuple(a.id for a in ordered)))
    stories.sort(key=lambda s: (-len(s.article_ids), s.id))
    return stories


def _document_vectors(
    articles: Sequence[Article], vectors: np.ndarray | None, embedder: Embedder | None
) -> np.ndarray:
    if vectors is None:
        vectors = embed_documents(embedder or get_embedder("minilm"), articles)
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.shape[0] != len(articles):
        raise ValueError(f"{vectors.shape[0]} vectors for {len(articles)} articles")
    return vectors


def cluster_articles(
    articles: Sequence[Article],
    vectors: np.ndarray | None = None,
    *,
    embedder: Embedder | None = None,
    threshold: float | None = None,
) -> list[Story]:
    """Group articles into stories, largest first.

    ``vectors`` are document vectors in article order (as from :func:`storydesk.embed.embed_documents`);
    without them they are computed with ``embedder`` (default MiniLM). ``threshold`` overrides
    ``JOIN_THRESHOLD`` (``None`` or 0: the tuned default). Each story's id is named after its earliest
    article, the same id :class:`StreamClusterer` gives it.
    """
    if not articles:
        return []
    vecs = _document_vectors(articles, vectors, embedder)
    feats = _Features()
    feats.add(articles, vecs)
    params = ClusterParams.with_threshold(threshold)
    labels = _agglomerate(feats.similarity(), np.array(feats.days), params)
    groups: dict[int, list[Article]] = {}
    for article, lab in zip(articles, labels, strict=True):
        groups.setdefault(int(lab), []).append(article)
    log.info("clustered %d articles into %d stories", len(articles), len(groups))
    return _stories(list(groups.values()))


def _weigh(raw: sp.csr_matrix, df: np.ndarray, n: int, min_df: int, max_share: float) -> sp.csr_matrix:
    """TF-IDF rows from raw log-tf rows and document frequencies (same rule as ``_Features``), L2-normed.

    Terms whose IDF is cut to zero are dropped from the rows: they add nothing to any dot product.
    """
    d = df[raw.indices]
    idf = np.log((1.0 + n) / (1.0 + d)) + 1.0
    if n >= R.MAX_DF_MIN_DOCS:
        idf[(d < min_df) | (d > max_share * n)] = 0.0
    data = raw.data * idf
    rows = np.repeat(np.arange(raw.shape[0]), np.diff(raw.indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=raw.shape[0]))
    norms[norms == 0] = 1.0
    data = data / np.repeat(norms, np.diff(raw.indptr))
    out = sp.csr_matrix((data, raw.indices.copy(), raw.indptr.copy()), shape=raw.shape)
    out.eliminate_zeros()
    return out


class _SVec:
    """A sparse vector over the hashed vocabulary: sorted indices and values (cheap sums and dots)."""

    __slots__ = ("idx", "val")

    def __init__(self, idx: np.ndarray | None = None, val: np.ndarray | None = None) -> None:
        self.idx = np.zeros(0, dtype=np.int32) if idx is None else idx
        self.val = np.zeros(0, dtype=np.float64) if val is None else val

    @classmethod
    def total(cls, m: sp.csr_matrix) -> _SVec:
        """The sum of the rows of ``m``."""
        if not m.nnz:
            return cls()
        u, inv = np.unique(m.indices[: m.indptr[-1]], return_inverse=True)
        return cls(u.astype(np.int32), np.bincount(inv, weights=m.data[: m.indptr[-1]], minlength=len(u)))

    def __add__(self, other: _SVec) -> _SVec:
        """The sum: the shorter vector's entries are added to or inserted into the longer one's (a binary
        search per entry instead of sorting both; each shared entry is the same a + b)."""
        if not len(other.idx):
            return self
        if not len(self.idx):
            return other
        big, small = (self, other) if len(self.idx) >= len(other.idx) else (other, self)
        pos = np.searchsorted(big.idx, small.idx)
        hit = big.idx[np.minimum(pos, len(big.idx) - 1)] == small.idx
        val = big.val.copy()
        if big is self:
            val[pos[hit]] += small.val[hit]
        else:
            val[pos[hit]] = small.val[hit] + val[pos[hit]]
        new = ~hit
        if not new.any():
            return _SVec(big.idx, val)
        return _SVec(np.insert(big.idx, pos[new], small.idx[new]), np.insert(val, pos[new], small.val[new]))

    def dot_row(self, idx: np.ndarray, val: np.ndarray) -> float:
        """Dot product with a short sparse row (sorted ``idx``): a binary search per entry of the row."""
        if not len(self.idx) or not len(idx):
            return 0.0
        pos = np.minimum(np.searchsorted(self.idx, idx), len(self.idx) - 1)
        hit = self.idx[pos] == idx
        return float(self.val[pos[hit]] @ val[hit])

    def dot_sparse(self, other: _SVec, scratch: np.ndarray) -> float:
        """Dot product with another sparse vector through a zeroed dense ``scratch`` (left zeroed)."""
        if not len(self.idx) or not len(other.idx):
            return 0.0
        scratch[other.idx] = other.val
        out = float(scratch[self.idx] @ self.val)
        scratch[other.idx] = 0.0
        return out


def _stack(vecs: Sequence[_SVec]) -> sp.csr_matrix:
    indptr = np.zeros(len(vecs) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(v.idx) for v in vecs])
    idx = np.concatenate([v.idx for v in vecs]) if vecs else np.zeros(0, np.int32)
    val = np.concatenate([v.val for v in vecs]) if vecs else np.zeros(0)
    return sp.csr_matrix((val, idx, indptr), shape=(len(vecs), R.HASH_FEATURES))


def _gram(a: sp.csr_matrix, b: sp.csr_matrix | None = None) -> np.ndarray:
    """``a @ b.T`` as a dense array. The operand with more entries is the one transposed: the product then
    reads the smaller one's entries against the larger one's postings (2-3x faster than the other way on
    story sums; the sums are the same either way: each entry adds the shared terms' products in order)."""
    if b is None:
        b = a
    if b.nnz >= a.nnz:
        return (a @ b.T.tocsr()).toarray()
    return (b @ a.T.tocsr()).toarray().T


def _pair_sum(w: np.ndarray, items: list[int]) -> float:
    """Sum of ``w`` over the items' pairs, both ways (the diagonal is zero)."""
    if len(items) < 2:
        return 0.0
    return float(w[items][:, items].sum())


class _Sums:
    """The sums of some stories stacked once for a revision's products (vector, word and entity rows)."""

    def __init__(self, sts: Sequence[_Story]) -> None:
        self.sv = np.vstack([st.sv for st in sts])
        self.sw = _stack([st.sw for st in sts])
        self.se = _stack([st.se for st in sts])
        self.n = len(sts)
        self._t: dict[str, sp.csr_matrix] = {}

    def transposed(self, which: str) -> sp.csr_matrix:
        """The word (``"w"``) or entity (``"e"``) sums transposed (terms × stories), made once."""
        if which not in self._t:
            self._t[which] = (self.sw if which == "w" else self.se).T.tocsr()
        return self._t[which]

    def rows(self, ks: list[int]) -> tuple[np.ndarray, sp.csr_matrix, sp.csr_matrix]:
        if len(ks) == self.n:
            return self.sv, self.sw, self.se
        return self.sv[ks], self.sw[ks], self.se[ks]


class _Rows:
    """Sparse rows (CSR buffers) appended one at a time and dropped from the front: the open window's
    feature rows, kept stacked so that a product with all of them needs no re-stacking."""

    def __init__(self, ncols: int) -> None:
        self.ncols = ncols
        self._idx = np.zeros(1024, dtype=np.int32)
        self._val = np.zeros(1024, dtype=np.float64)
        self._ptr = np.zeros(64, dtype=np.int32)
        self._n = 0

    @classmethod
    def of(cls, m: sp.csr_matrix) -> _Rows:
        rows = cls(m.shape[1])
        rows._n = m.shape[0]
        rows._ptr = np.zeros(max(64, 2 * rows._n + 1), dtype=np.int32)
        rows._ptr[: rows._n + 1] = m.indptr
        nnz = int(m.indptr[-1])
        rows._idx = np.zeros(max(1024, 2 * nnz), dtype=np.int32)
        rows._val = np.zeros(max(1024, 2 * nnz), dtype=np.float64)
        rows._idx[:nnz] = m.indices[:nnz]
        rows._val[:nnz] = m.data[:nnz]
        return rows

    def __len__(self) -> int:
        return self._n

    def append(self, idx: np.ndarray, val: np.ndarray) -> None:
        nnz, k = int(self._ptr[self._n]), len(idx)
        if nnz + k > len(self._idx):
            size = max(2 * len(self._idx), nnz + k)
            self._idx = np.concatenate([self._idx[:nnz], np.zeros(size - nnz, dtype=np.int32)])
            self._val = np.concatenate([self._val[:nnz], np.zeros(size - nnz)])
        if self._n + 2 > len(self._ptr):
            self._ptr = np.concatenate([self._ptr, np.zeros(len(self._ptr), dtype=np.int32)])
        self._idx[nnz : nnz + k] = idx
        self._val[nnz : nnz + k] = val
        self._ptr[self._n + 1] = nnz + k
        self._n += 1

    def append_row(self, m: sp.csr_matrix) -> None:
        """Append the single row of ``m``."""
        self.append(m.indices[m.indptr[0] : m.indptr[1]], m.data[m.indptr[0] : m.indptr[1]])

    def drop_first(self, count: int) -> None:
        if count <= 0:
            return
        first, last = int(self._ptr[count]), int(self._ptr[self._n])
        self._idx[: last - first] = self._idx[first:last]
        self._val[: last - first] = self._val[first:last]
        self._ptr[: self._n - count + 1] = self._ptr[count : self._n + 1] - first
        self._n -= count

    def tail_dot(self, start: int, dense: np.ndarray) -> np.ndarray:
        """Dot products of rows ``start``.. with a dense vector."""
        ptr = self._ptr[start : self._n + 1]
        a, b = int(ptr[0]), int(ptr[-1])
        prod = dense[self._idx[a:b]] * self._val[a:b]
        rows = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
        return np.bincount(rows, weights=prod, minlength=len(ptr) - 1)

    def csr(self, count: int | None = None) -> sp.csr_matrix:
        """The first ``count`` rows (default: all) as a CSR matrix over the buffers (no copy: use it now)."""
        n = self._n if count is None else count
        nnz = int(self._ptr[n])
        return sp.csr_matrix((self._val[:nnz], self._idx[:nnz], self._ptr[: n + 1]), shape=(n, self.ncols))


class _TermIndex:
    """Rows listed by term (a transposed CSR): a new row's products with all of them read only the
    postings of its own terms (a few thousand entries), not every entry of every row (~100,000 reads
    scattered over a 2^18 array)."""

    def __init__(self, rows: sp.csr_matrix) -> None:
        t = rows.tocsc()
        self.ptr, self.rows, self.vals, self.n = t.indptr, t.indices, t.data, rows.shape[0]

    def dot(self, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
        start = self.ptr[idx]
        lens = self.ptr[idx + 1] - start
        total = int(lens.sum())
        if not total:
            return np.zeros(self.n)
        first = np.cumsum(lens) - lens
        pos = np.arange(total) + np.repeat(start - first, lens)
        return np.bincount(self.rows[pos], weights=self.vals[pos] * np.repeat(val, lens), minlength=self.n)


class _OpenVectors:
    """The open window's document vectors: dense rows, or sparse rows when the vectors are mostly zeros
    (the hashed TF-IDF embedder fills ~200 of its 4,096 dimensions), so that products read only what is there."""

    def __init__(self, dim: int, sparse: bool) -> None:
        self.dim = dim
        self.sparse = sparse
        self._rows = _Rows(dim)
        self._buf = np.zeros((0, dim))
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, v: np.ndarray) -> None:
        if self.sparse:
            idx = np.flatnonzero(v)
            self._rows.append(idx, v[idx])
        else:
            if self._n == len(self._buf):
                self._buf = np.concatenate([self._buf, np.zeros((max(self._n, 64), self.dim))])
            self._buf[self._n] = v
        self._n += 1

    def drop_first(self, count: int) -> None:
        if count <= 0:
            return
        if self.sparse:
            self._rows.drop_first(count)
        else:
            self._buf[: self._n - count] = self._buf[count : self._n]
        self._n -= count

    def _matrix(self) -> sp.csr_matrix | np.ndarray:
        return self._rows.csr() if self.sparse else self._buf[: self._n]

    def dot(self, v: np.ndarray) -> np.ndarray:
        """Dot products of every open vector with the dense vector ``v``."""
        return np.asarray(self._matrix() @ v)

    def cross_rows(self, a: int, b: int, sums: np.ndarray) -> np.ndarray:
        """Products of rows a..b with the rows of ``sums`` (k × dim): a (b - a) × k array."""
        if not self.sparse:
            return self._buf[a:b] @ sums.T
        rows = self._rows.csr()[a:b]
        if b - a <= len(sums):
            return rows.toarray() @ sums.T
        return np.asarray(rows @ np.ascontiguousarray(sums.T))

    def gram(self) -> np.ndarray:
        m = self._matrix()
        return _gram(m) if self.sparse else m @ m.T

    def dense(self, count: int) -> np.ndarray:
        """The first ``count`` vectors as a dense array."""
        return self._rows.csr(count).toarray() if self.sparse else self._buf[:count].copy()


class _RowCache:
    """Products of the open window's rows with story sums, kept from one revision to the next.

    A column is keyed by the *token* of a story's sums (a new token whenever the sums change), its rows
    follow the open window (dropped from the front when articles freeze). A revision then computes only
    the rows added since the last one (against every story) and the stories whose sums changed (against
    every row): about 25 + 15 rows' worth instead of 500 + 230.
    """

    def __init__(self) -> None:
        self._col: dict[int, int] = {}
        self._mat = np.zeros((0, 0))
        self._rows = 0  # leading rows still valid

    def get(
        self, tokens: Sequence[int], m: int, compute: Callable[[int, int, list[int]], np.ndarray]
    ) -> np.ndarray:
        """The m × len(tokens) products; ``compute(a, b, ks)`` gives rows a..b against stories ``ks``."""
        out = np.empty((m, len(tokens)))
        r = min(self._rows, m)
        known = [k for k, t in enumerate(tokens) if t in self._col]
        new = [k for k, t in enumerate(tokens) if t not in self._col]
        if known:
            out[:r, known] = self._mat[:r, [self._col[tokens[k]] for k in known]]
            if r < m:
                out[r:, known] = compute(r, m, known)
        if new:
            out[:, new] = compute(0, m, new)
        self._col = {t: k for k, t in enumerate(tokens)}
        self._mat, self._rows = out, m
        return out

    def drop_rows(self, count: int) -> None:
        self._mat = self._mat[count:]
        self._rows = max(0, self._rows - count)

    def forget_rows(self) -> None:
        self._rows = 0


class _PairCache:
    """Products among story sums (a symmetric matrix), kept by the sums' tokens like :class:`_RowCache`."""

    def __init__(self) -> None:
        self._col: dict[int, int] = {}
        self._mat = np.zeros((0, 0))

    def get(self, tokens: Sequence[int], compute: Callable[[list[int]], np.ndarray]) -> np.ndarray:
        """The n × n products; ``compute(ks)`` gives stories ``ks`` against all of ``tokens``."""
        n = len(tokens)
        out = np.empty((n, n))
        known = [k for k, t in enumerate(tokens) if t in self._col]
        new = [k for k, t in enumerate(tokens) if t not in self._col]
        if known:
            cols = [self._col[tokens[k]] for k in known]
            out[np.ix_(known, known)] = self._mat[np.ix_(cols, cols)]
        if new:
            block = compute(new)
            out[new, :] = block
            out[:, new] = block.T
        self._col = {t: k for k, t in enumerate(tokens)}
        self._mat = out
        return out


@dataclass(frozen=True, slots=True)
class StoryChanges:
    """What a :meth:`StreamClusterer.flush` reports: stories to (re)save and stories to delete.

    ``retired``: stories let go from memory since the last flush (older than the horizon; see
    :class:`StreamClusterer`). They stay valid in the store and are not to be deleted.
    """

    changed: frozenset[str]
    removed: frozenset[str]
    retired: frozenset[str] = frozenset()


class _Story:
    """One streamed story: its members, and sums over its *frozen* members (no per-article rows)."""

    __slots__ = (
        "sid",
        "members",
        "frozen",
        "sv",
        "sw",
        "se",
        "inner_frozen",
        "inner",
        "fstart",
        "fend",
        "last",
        "token",
    )

    def __init__(self, sid: str, dim: int) -> None:
        self.sid = sid
        self.members: dict[str, tuple[str, str]] = {}  # article id -> sort key
        self.frozen = 0
        self.sv = np.zeros(dim, dtype=np.float64)
        self.sw = _SVec()
        self.se = _SVec()
        self.inner_frozen = 0.0  # sum of pair similarities among frozen members
        self.inner = 0.0  # ... among all members (kept as articles join; recomputed by revisions)
        self.fstart = math.nan
        self.fend = math.nan
        self.last = -1  # arrival number of the newest member (ages stories without dates)
        self.token = -1  # names the current frozen sums (see _RowCache); set by the clusterer


StoredRow = tuple[Article, np.ndarray, str]


class StreamClusterer:
    """Assigns articles to stories one at a time, revising recent assignments; story ids are stable.

    ``add`` places an article greedily (best average similarity among candidate stories) and returns its
    story id. The last ``OPEN_WINDOW`` arrivals stay *open*: every ``REVISE_EVERY`` arrivals, and on
    :meth:`flush`, they are re-clustered with the batch algorithm together with the frozen parts of the
    stories near them (each frozen part is one pre-formed group, summarised by sums of its vectors, so
    old articles need no rows). The new groups take existing story ids by greatest overlap; a group left
    without one is named after its earliest article; an id left without members is reported removed.

    Time per ``add`` does not grow with the articles seen: the pair similarities within the open window
    are kept (one new row per article), its feature rows stay stacked and indexed by term, and products
    with story sums are kept from one revision to the next by a token of each story's sums, so that a
    revision computes only those of the new rows and of the stories that changed. The open window's rows
    are re-weighed with the current IDF when the articles seen have grown by ``REWEIGH_GROWTH`` since
    they were weighed (folded articles always are). BLAS runs on one thread meanwhile (see
    :func:`_one_blas_thread`).

    Memory is bounded by the horizon: a story whose newest article is more than ``horizon_days``
    (default ``STORY_HORIZON_DAYS``) older than the newest article seen, or, for a story without dates,
    that got no article in the last ``UNDATED_STORY_ARRIVALS`` arrivals, can no longer be a candidate and
    is let go of with its members: it disappears from :meth:`stories` and :meth:`assignments`, and
    :meth:`story_of` raises ``KeyError`` for its articles (the caller looks them up in its store). A story
    let go of with changes not yet reported is still reported as changed by the next :meth:`flush` (and
    listed by :meth:`stories` until the flush after). Adding an article again after its story was let
    go of places it as a new article: callers skip articles they have stored.

    The caller calls :meth:`flush` at the end of each run, saves ``changed`` and deletes ``removed``:
    a revision can move open articles between stories, so stories change that ``add`` did not return.
    """

    def __init__(self, *, threshold: float | None = None, horizon_days: float | None = None) -> None:
        self.params = ClusterParams.with_threshold(threshold)
        self.horizon_days = float(R.STORY_HORIZON_DAYS if horizon_days is None else horizon_days)
        self._vec_w, self._vec_e = _vectorizers()
        self._df_w = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self._df_e = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self._scratch_w = np.zeros(R.HASH_FEATURES, dtype=np.float64)  # zeroed between uses
        self._scratch_e = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self._n = 0
        self._dim = 0
        self._arrivals = 0
        self._newest = -math.inf
        self._story_of: dict[str, str] = {}  # article id -> story id
        self._stories: dict[str, _Story] = {}
        # the open window, oldest first: ids, sort keys, arrival numbers, days, raw and weighted feature
        # rows, document vectors, and pair similarities (total, and of the document vectors alone)
        self._open_ids: list[str] = []
        self._open_keys: list[tuple[str, str]] = []
        self._oseq: list[int] = []
        self._oday: list[float] = []
        self._raw_w = _Rows(R.HASH_FEATURES)
        self._raw_e = _Rows(R.HASH_FEATURES)
        self._ow = _Rows(R.HASH_FEATURES)
        self._oe = _Rows(R.HASH_FEATURES)
        self._ov = _OpenVectors(0, False)
        self._sim = np.zeros((0, 0))
        self._simv = np.zeros((0, 0))
        self._weighed_at = 0  # articles seen when the open rows were last weighed together
        # the open rows by term as of the last revision (rows added since are read directly), and the
        # story of each open article
        self._ti_w = _TermIndex(sp.csr_matrix((0, R.HASH_FEATURES)))
        self._ti_e = _TermIndex(sp.csr_matrix((0, R.HASH_FEATURES)))
        self._open_story: list[str] = []
        self._story_code: dict[str, int] = {}  # story id -> small int, for the open articles' stories
        self._open_code: list[int] = []
        # centroids of the candidate stories: normalised vector sums as the columns of a slot matrix, a
        # column rewritten only when its story's sums change; _cent_ids/_cent_slots list the ones in use
        self._cent_t = np.zeros((0, 0))
        self._cent_norm = np.zeros(0)
        self._slot_of: dict[str, int] = {}
        self._slot_token: list[int] = []
        self._free_slots: list[int] = []
        self._cent_ids: list[str] = []
        self._cent_slots = np.zeros(0, dtype=np.intp)
        # products kept between revisions, by the tokens of the stories' sums
        self._tokens = 0
        self._vdots = _RowCache()  # open vectors · story vector sums
        self._cross = _RowCache()  # open word and entity rows · story sums, weighted
        self._pairs = _PairCache()  # story sums · story sums, all three weighted
        self._since_revision = 0
        self._changed: set[str] = set()
        self._removed: set[str] = set()
        self._retired: set[str] = set()
        self._retiring: dict[str, tuple[Story, bool]] = {}  # let go of, unsaved: (story, reported)

    def __len__(self) -> int:
        return len(self._story_of)

    # -- features ----------------------------------------------------------------------------------

    def _raw(
        self, articles: Sequence[Article], given: tuple[sp.csr_matrix, sp.csr_matrix] | None = None
    ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """The articles' raw word and name rows (``given``: as :func:`raw_features` made them already);
        counts their document frequencies."""
        made = given if given is not None else raw_features(articles, (self._vec_w, self._vec_e))
        out = []
        for m, df in zip(made, (self._df_w, self._df_e), strict=True):
            if len(articles) == 1:
                df[m.indices] += 1.0  # a row's terms are distinct
            else:
                np.add.at(df, m.indices, 1.0)
            out.append(m)
        self._n += len(articles)
        return out[0], out[1]

    def _weigh_w(self, raw: sp.csr_matrix) -> sp.csr_matrix:
        return _weigh(raw, self._df_w, self._n, R.WORD_MIN_DF, R.WORD_MAX_DF_SHARE)

    def _weigh_e(self, raw: sp.csr_matrix) -> sp.csr_matrix:
        return _weigh(raw, self._df_e, self._n, R.ENTITY_MIN_DF, R.ENTITY_MAX_DF_SHARE)

    def _set_dim(self, v: np.ndarray) -> None:
        """Fix the document vectors' size (and whether open ones are kept sparse) from the first one."""
        self._dim = len(v)
        sparse = bool(np.count_nonzero(v) <= R.SPARSE_VECTOR_SHARE * len(v))
        self._ov = _OpenVectors(self._dim, sparse)
        for st in self._stories.values():
            st.sv = np.zeros(self._dim)

    def _story(self, sid: str) -> _Story:
        st = self._stories.get(sid)
        if st is None:
            st = self._stories[sid] = _Story(sid, self._dim)
        return st

    def _refresh_centroids(self) -> None:
        """Centroids of the stories with frozen members, newest article within the horizon."""
        horizon = self._newest - self.horizon_days
        active = [st for st in self._stories.values() if st.frozen and not st.fend < horizon]
        ids = {st.sid for st in active}
        for sid in [sid for sid in self._slot_of if sid not in ids]:
            self._free_slots.append(self._slot_of.pop(sid))
        stale = [
            st
            for st in active
            if st.sid not in self._slot_of or self._slot_token[self._slot_of[st.sid]] != st.token
        ]
        if stale:
            for st in stale:
                if st.sid not in self._slot_of:
                    self._slot_of[st.sid] = self._free_slots.pop() if self._free_slots else self._new_slot()
            slots = [self._slot_of[st.sid] for st in stale]
            cent = np.vstack([st.sv for st in stale])
            norms = np.linalg.norm(cent, axis=1)
            norms[norms == 0] = 1.0
            self._cent_t[:, slots] = (cent / norms[:, None]).T
            self._cent_norm[slots] = norms
            for st, slot in zip(stale, slots, strict=True):
                self._slot_token[slot] = st.token
        order = sorted((slot, sid) for sid, slot in self._slot_of.items())
        self._cent_ids = [sid for _, sid in order]
        self._cent_slots = np.array([slot for slot, _ in order], dtype=np.intp)

    def _new_slot(self) -> int:
        slot = len(self._slot_token)
        if slot == self._cent_t.shape[1]:
            size = max(64, 2 * slot)
            grown = np.zeros((self._dim, size))
            if slot:
                grown[:, :slot] = self._cent_t[:, :slot]
            self._cent_t = grown
            self._cent_norm = np.concatenate([self._cent_norm, np.ones(size - slot)])
        self._slot_token.append(-1)
        return slot

    def _top_stories(self, sims: np.ndarray, ids: Sequence[str], k: int) -> set[str]:
        """Ids (``ids``: one per column of ``sims``) of the ``k`` best columns in each row of ``sims``."""
        k = min(k, len(ids))
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        return {ids[int(j)] for j in np.unique(top)}

    def _nearest(self, v: np.ndarray, k: int) -> set[str]:
        """Ids of the ``k`` frozen-story centroids nearest the vector ``v``."""
        if not self._cent_ids:
            return set()
        if self._ov.sparse:
            idx = np.flatnonzero(v)
            sims = v[idx] @ self._cent_t[idx]
        else:
            sims = v @ self._cent_t
        return self._top_stories(sims[self._cent_slots][None, :], self._cent_ids, k)

    def _new_token(self) -> int:
        self._tokens += 1
        return self._tokens

    def _grow_sims(self, m: int) -> None:
        if m > len(self._sim):
            size = max(m, 2 * len(self._sim), R.OPEN_WINDOW + R.REVISE_EVERY + 1)
            for name in ("_sim", "_simv"):
                old = getattr(self, name)
                new = np.zeros((size, size))
                new[: len(old), : len(old)] = old
                setattr(self, name, new)

    # -- placing -----------------------------------------------------------------------------------

    def add(
        self, article: Article, vector: np.ndarray, raw: tuple[sp.csr_matrix, sp.csr_matrix] | None = None
    ) -> str:
        """Place one article; returns its story id (an existing story's, or a new one named after it).

        ``raw`` may give the article's :func:`raw_features` (made in another process). Every
        ``REVISE_EVERY`` arrivals the open window is revised (see the class docstring), which may move this
        or other open articles; :meth:`flush` reports what moved.
        """
        if article.id in self._story_of:
            return self._story_of[article.id]
        with _one_blas_thread():
            return self._add(article, vector, raw)

    def _add(
        self, article: Article, vector: np.ndarray, raw: tuple[sp.csr_matrix, sp.csr_matrix] | None
    ) -> str:
        v = np.asarray(vector, dtype=np.float64).ravel()
        if not self._dim:
            self._set_dim(v)
        raw_w, raw_e = self._raw([article], raw)
        xw, xe = self._weigh_w(raw_w), self._weigh_e(raw_e)
        day = publication_day(article.published)
        if not math.isnan(day):
            self._newest = max(self._newest, day)
        best, gain, open_sims, open_v = self._place(v, xw, xe, day)
        sid = best or Story.make_id(article.id)
        self._story_of[article.id] = sid
        st = self._story(sid)
        st.members[article.id] = _sort_key(article)
        st.inner += gain
        st.last = self._arrivals
        self._changed.add(sid)
        m = len(self._open_ids)
        self._grow_sims(m + 1)
        self._sim[m, :m] = self._sim[:m, m] = open_sims
        self._simv[m, :m] = self._simv[:m, m] = open_v
        self._sim[m, m] = self._simv[m, m] = 0.0
        self._open_ids.append(article.id)
        self._open_story.append(sid)
        self._open_code.append(self._story_code.setdefault(sid, len(self._story_code)))
        self._open_keys.append(_sort_key(article))
        self._oseq.append(self._arrivals)
        self._oday.append(day)
        self._raw_w.append_row(raw_w)
        self._raw_e.append_row(raw_e)
        self._ow.append_row(xw)
        self._oe.append_row(xe)
        self._ov.append(v)
        self._arrivals += 1
        self._since_revision += 1
        if self._since_revision >= R.REVISE_EVERY:
            self._revise()
        return self._story_of[article.id]

    def _place(
        self, v: np.ndarray, xw: sp.csr_matrix, xe: sp.csr_matrix, day: float
    ) -> tuple[str | None, float, np.ndarray, np.ndarray]:
        """Best story for a new article (None: a new story) and the sum of its similarities to that
        story's members; also its similarities to the open articles (total, and of vectors alone)."""
        dw, de = self._scratch_w, self._scratch_e
        dw[xw.indices] = xw.data
        de[xe.indices] = xe.data
        try:
            return self._choose(v, xw, xe, day)
        finally:
            dw[xw.indices] = 0.0
            de[xe.indices] = 0.0

    def _open_dots(self, index: _TermIndex, rows: _Rows, x: sp.csr_matrix, dense: np.ndarray) -> np.ndarray:
        """Products of the row ``x`` (also scattered in ``dense``) with every open row."""
        out = np.empty(len(rows))
        out[: index.n] = index.dot(x.indices, x.data)
        out[index.n :] = rows.tail_dot(index.n, dense)
        return out

    def _choose(
        self, v: np.ndarray, xw: sp.csr_matrix, xe: sp.csr_matrix, day: float
    ) -> tuple[str | None, float, np.ndarray, np.ndarray]:
        p = self.params
        if self._open_ids:
            open_v = self._ov.dot(v)
            open_sims = R.WEIGHT_VECTOR * open_v
            open_sims += R.WEIGHT_WORDS * self._open_dots(self._ti_w, self._ow, xw, self._scratch_w)
            open_sims += R.WEIGHT_ENTITIES * self._open_dots(self._ti_e, self._oe, xe, self._scratch_e)
        else:
            open_v = open_sims = np.zeros(0)
        cands = self._nearest(v, R.CANDIDATE_STORIES)
        open_story = self._open_story
        for j in np.argsort(-open_sims)[: R.CANDIDATE_STORIES]:
            cands.add(open_story[int(j)])
        if not cands:
            return None, 0.0, open_sims, open_v
        order = sorted(cands)
        stories = [self._stories[s] for s in order]
        total = np.array(
            [
                R.WEIGHT_VECTOR * float(st.sv @ v)
                + R.WEIGHT_WORDS * st.sw.dot_row(xw.indices, xw.data)
                + R.WEIGHT_ENTITIES * st.se.dot_row(xe.indices, xe.data)
                for st in stories
            ]
        )
        start = np.array([st.fstart for st in stories])
        end = np.array([st.fend for st in stories])
        # the open members of the candidates, through per-revision story codes (no loop over the window)
        lut = np.full(len(self._story_code), -1)
        for k, s in enumerate(order):
            if (c := self._story_code.get(s)) is not None:
                lut[c] = k
        ks_all = lut[np.array(self._open_code)]
        js = np.flatnonzero(ks_all >= 0)
        if len(js):
            ks = ks_all[js]
            np.add.at(total, ks, open_sims[js])
            days = np.array(self._oday)[js]
            np.fmin.at(start, ks, days)
            np.fmax.at(end, ks, days)
        counts = np.array([len(st.members) for st in stories], dtype=np.float64)
        avg = total / counts - _time_penalty(_range_gap(start, end, day, day), p.time_penalty)
        inner = np.array([st.inner for st in stories])
        pairs = np.maximum(counts * (counts - 1) / 2, 1)
        ref = np.where(counts >= p.stream_min_size, p.stream_ratio * inner / pairs, -np.inf)
        ok = (avg >= p.stream_threshold) & (avg >= ref)
        if not ok.any():
            return None, 0.0, open_sims, open_v
        k = int(np.argmax(np.where(ok, avg, -np.inf)))
        return order[k], float(total[k]), open_sims, open_v

    # -- revising ----------------------------------------------------------------------------------

    def _revise(self) -> None:
        """Re-cluster the open window with the frozen parts of nearby stories, then freeze the oldest."""
        self._since_revision = 0
        if self._open_ids:
            if self._n > self._weighed_at * (1.0 + R.REWEIGH_GROWTH):
                self._reweigh_open()
            self._recluster()
        self._freeze(max(0, len(self._open_ids) - R.OPEN_WINDOW))
        self._let_go()
        self._refresh_centroids()
        self._index_open()

    def _index_open(self) -> None:
        """List the open rows by term, and note each open article's story (both change only here)."""
        self._ti_w, self._ti_e = _TermIndex(self._ow.csr()), _TermIndex(self._oe.csr())
        self._open_story = [self._story_of[a] for a in self._open_ids]
        self._story_code = {}
        self._open_code = [self._story_code.setdefault(s, len(self._story_code)) for s in self._open_story]

    def _reweigh_open(self) -> None:
        """Weigh the open rows again with the current IDF and recompute their pair similarities."""
        m = len(self._open_ids)
        ow, oe = self._weigh_w(self._raw_w.csr()), self._weigh_e(self._raw_e.csr())
        self._ow, self._oe = _Rows.of(ow), _Rows.of(oe)
        sim = (
            R.WEIGHT_VECTOR * self._simv[:m, :m] + R.WEIGHT_WORDS * _gram(ow) + R.WEIGHT_ENTITIES * _gram(oe)
        )
        np.fill_diagonal(sim, 0.0)
        self._sim[:m, :m] = sim
        self._weighed_at = self._n
        self._cross.forget_rows()

    def _recluster(self) -> None:
        m = len(self._open_ids)
        touched = {self._story_of[a] for a in self._open_ids}
        # vector products with every centroid (for the nearest stories) and every touched frozen part
        cands = [self._stories[s] for s in self._cent_ids]
        seen = set(self._cent_ids)
        cands += [self._stories[s] for s in sorted(touched - seen) if self._stories[s].frozen]
        vdots = self._vdots.get(
            [st.token for st in cands],
            m,
            lambda a, b, ks: self._ov.cross_rows(a, b, np.vstack([cands[k].sv for k in ks])),
        )
        near: set[str] = set()
        if self._cent_ids:
            sims = vdots[:, : len(self._cent_ids)] / self._cent_norm[self._cent_slots]
            near = self._top_stories(sims, self._cent_ids, R.CANDIDATE_STORIES)
        supers = sorted(s for s in touched | near if self._stories[s].frozen)
        sts = [self._stories[s] for s in supers]
        w = np.zeros((m + len(sts), m + len(sts)))
        w[:m, :m] = self._sim[:m, :m]
        if sts:
            col = {st.sid: k for k, st in enumerate(cands)}
            tokens = [st.token for st in sts]
            sums = _Sums(sts)
            cross = R.WEIGHT_VECTOR * vdots[:, [col[st.sid] for st in sts]]
            cross += self._cross.get(tokens, m, lambda a, b, ks: self._cross_open(a, b, sums, ks))
            w[:m, m:] = cross
            w[m:, :m] = cross.T
            w[m:, m:] = self._pairs.get(tokens, lambda ks: self._cross_sums(sums, ks))
        np.fill_diagonal(w, 0.0)
        if not R.MERGE_FROZEN and sts:
            w_frozen = w[m:, m:].copy()
            w[m:, m:] = -1e9  # cannot-link: two frozen story parts never join (only their open members move)
        days = np.array(self._oday + [st.fstart for st in sts])
        ends = np.array(self._oday + [st.fend for st in sts])
        size = np.array([1.0] * m + [float(st.frozen) for st in sts])
        inner = np.array([0.0] * m + [st.inner_frozen for st in sts])
        labels = _agglomerate(w, days, self.params, size=size, inner=inner, end_days=ends)
        if not R.MERGE_FROZEN and sts:
            w[m:, m:] = w_frozen

        groups: dict[int, list[int]] = {}
        for item, lab in enumerate(labels):
            groups.setdefault(int(lab), []).append(item)
        self._regroup(groups, w, sts, supers, touched)

    def _cross_open(self, a: int, b: int, sums: _Sums, ks: list[int]) -> np.ndarray:
        """Weighted word and entity products of open rows a..b with the sums ``ks``."""
        out = np.zeros((b - a, len(ks)))
        for rows, which, weight in ((self._ow, "w", R.WEIGHT_WORDS), (self._oe, "e", R.WEIGHT_ENTITIES)):
            part = rows.csr()[a:b]
            if b - a <= len(ks):  # a few new rows against (nearly) every story: all of the sums at once
                prod = (part @ sums.transposed(which)).toarray()
                prod = prod if len(ks) == sums.n else prod[:, ks]
            else:  # every row against the few stories whose sums changed
                prod = _gram(part, sums.rows(ks)[1 if which == "w" else 2])
            out += weight * prod
        return out

    @staticmethod
    def _cross_sums(sums: _Sums, ks: list[int]) -> np.ndarray:
        """Weighted products (all three similarities) of the sums ``ks`` with all of them."""
        sv, sw, se = sums.rows(ks)
        out = R.WEIGHT_VECTOR * (sv @ sums.sv.T)
        out += R.WEIGHT_WORDS * (sw @ sums.transposed("w")).toarray()
        out += R.WEIGHT_ENTITIES * (se @ sums.transposed("e")).toarray()
        return out

    def _regroup(
        self,
        groups: dict[int, list[int]],
        w: np.ndarray,
        sts: Sequence[_Story],
        supers: Sequence[str],
        touched: set[str],
    ) -> None:
        """Turn the revision's groups into stories: ids by greatest overlap, sums of the frozen parts.

        A group that is exactly what its story held before (the same open articles and frozen part) keeps
        its story object; only the others are rebuilt from their parts.
        """
        m = len(self._open_ids)
        affected = touched | set(supers)
        held: dict[str, list[int]] = {}  # story id -> its items before: open articles, then frozen part
        for i, aid in enumerate(self._open_ids):
            held.setdefault(self._story_of[aid], []).append(i)
        for k, s in enumerate(supers):
            held.setdefault(s, []).append(m + k)
        # greedy by overlap: (group, story id) pairs, largest overlap first
        overlap: list[tuple[int, str, int]] = []
        for g, items in groups.items():
            count: dict[str, int] = {}
            for i in items:
                s = self._story_of[self._open_ids[i]] if i < m else supers[i - m]
                count[s] = count.get(s, 0) + (1 if i < m else sts[i - m].frozen)
            overlap.extend((-c, s, g) for s, c in count.items())
        overlap.sort()
        name: dict[int, str] = {}
        taken: set[str] = set()
        for _, s, g in overlap:
            if g not in name and s not in taken:
                name[g] = s
                taken.add(s)
        in_use = (set(self._stories) - affected) | taken
        unnamed = [g for g in groups if g not in name]
        for g in sorted(unnamed, key=lambda g: self._group_keys(groups[g], sts, m)[0]):
            name[g] = self._new_id(groups[g], sts, m, in_use)
            in_use.add(name[g])

        same = {g for g, items in groups.items() if held.get(name[g]) == items}
        kept = {name[g] for g in same}
        before = {s: set(self._stories[s].members) for s in affected - kept}
        open_ids = set(self._open_ids)
        for s in affected - kept:
            del self._stories[s]
        for g, items in groups.items():
            frozen_items = [i for i in items if i >= m]
            if g in same:  # at most one frozen part: no pairs among frozen items
                st = self._stories[name[g]]
                st.inner = st.inner_frozen + _pair_sum(w, items) / 2
                continue
            st = _Story(name[g], self._dim)
            self._stories[st.sid] = st
            for i in frozen_items:
                part = sts[i - m]
                st.members.update((aid, key) for aid, key in part.members.items() if aid not in open_ids)
                st.frozen += part.frozen
                st.sv = st.sv + part.sv
                st.sw = st.sw + part.sw
                st.se = st.se + part.se
                st.inner_frozen += part.inner_frozen
                st.fstart = float(np.fmin(st.fstart, part.fstart))
                st.fend = float(np.fmax(st.fend, part.fend))
                st.last = max(st.last, part.last)
            # the same single frozen part keeps its sums, so products computed with it stay valid
            st.token = sts[frozen_items[0] - m].token if len(frozen_items) == 1 else self._new_token()
            frozen_pairs = _pair_sum(w, frozen_items) / 2
            st.inner_frozen += frozen_pairs
            st.inner = st.inner_frozen + _pair_sum(w, items) / 2 - frozen_pairs
            for i in items:
                if i < m:
                    st.members[self._open_ids[i]] = self._open_keys[i]
                    st.last = max(st.last, self._oseq[i])
            for aid in st.members:
                self._story_of[aid] = st.sid
        for s in affected - kept:
            after = self._stories.get(s)
            if after is None:
                self._removed.add(s)
                self._changed.discard(s)
            elif set(after.members) != before[s]:
                self._changed.add(s)
        for s in set(name.values()) - affected:
            self._changed.add(s)
            self._removed.discard(s)

    def _group_keys(
        self, items: list[int], sts: Sequence[_Story], m: int
    ) -> list[tuple[tuple[str, str], str]]:
        keys = []
        for i in items:
            if i < m:
                keys.append((self._open_keys[i], self._open_ids[i]))
            else:
                keys.extend((key, aid) for aid, key in sts[i - m].members.items())
        keys.sort()
        return keys

    def _new_id(self, items: list[int], sts: Sequence[_Story], m: int, in_use: set[str]) -> str:
        keys = self._group_keys(items, sts, m)
        for _, aid in keys:
            sid = Story.make_id(aid)
            if sid not in in_use:
                return sid
        k = 1
        while (sid := Story.make_id(f"{keys[0][1]}#{k}")) in in_use:
            k += 1
        return sid

    def _fold(
        self, st: _Story, vecs: np.ndarray, xw: sp.csr_matrix, xe: sp.csr_matrix, days: Sequence[float]
    ) -> None:
        """Add articles (their vectors and weighted rows) to a story's frozen sums and pair-similarity sum."""
        sv = vecs.sum(axis=0)
        add_w, add_e = _SVec.total(xw), _SVec.total(xe)
        # pairs among the new rows: (|sum|² - Σ|row|²) / 2, then pairs with what the story holds already
        own = R.WEIGHT_VECTOR * float(np.einsum("ij,ij->", vecs, vecs))
        own += R.WEIGHT_WORDS * float(xw.data @ xw.data)
        own += R.WEIGHT_ENTITIES * float(xe.data @ xe.data)
        among = R.WEIGHT_VECTOR * float(sv @ sv)
        among += R.WEIGHT_WORDS * float(add_w.val @ add_w.val)
        among += R.WEIGHT_ENTITIES * float(add_e.val @ add_e.val)
        cross = R.WEIGHT_VECTOR * float(st.sv @ sv)
        cross += R.WEIGHT_WORDS * st.sw.dot_sparse(add_w, self._scratch_w)
        cross += R.WEIGHT_ENTITIES * st.se.dot_sparse(add_e, self._scratch_e)
        st.inner_frozen += (among - own) / 2 + cross
        st.sv = st.sv + sv
        st.sw = st.sw + add_w
        st.se = st.se + add_e
        st.frozen += len(vecs)
        st.token = self._new_token()
        for d in days:
            st.fstart, st.fend = float(np.fmin(st.fstart, d)), float(np.fmax(st.fend, d))

    def _freeze(self, count: int) -> None:
        """Fold the ``count`` oldest open articles into their stories' sums (weighted with current IDF)."""
        if count <= 0:
            return
        ww = self._weigh_w(self._raw_w.csr(count))
        we = self._weigh_e(self._raw_e.csr(count))
        vecs = self._ov.dense(count)
        by_story: dict[str, list[int]] = {}
        for j in range(count):
            by_story.setdefault(self._story_of[self._open_ids[j]], []).append(j)
        for sid, rows in by_story.items():
            self._fold(self._stories[sid], vecs[rows], ww[rows], we[rows], [self._oday[j] for j in rows])
        for lst in (
            self._open_ids,
            self._open_story,
            self._open_code,
            self._open_keys,
            self._oseq,
            self._oday,
        ):
            del lst[:count]
        for rows_ in (self._raw_w, self._raw_e, self._ow, self._oe, self._ov):
            rows_.drop_first(count)
        m = len(self._open_ids)
        for sims in (self._sim, self._simv):
            sims[:m, :m] = sims[count : count + m, count : count + m]
        self._vdots.drop_rows(count)
        self._cross.drop_rows(count)

    def _let_go(self) -> None:
        """Drop stories past the horizon (no open members, newest article too old) from memory."""
        horizon = self._newest - self.horizon_days
        old = [
            st
            for st in self._stories.values()
            if st.frozen == len(st.members)
            and (
                st.fend < horizon
                or (math.isnan(st.fend) and self._arrivals - st.last > R.UNDATED_STORY_ARRIVALS)
            )
        ]
        for st in old:
            del self._stories[st.sid]
            self._retired.add(st.sid)
            if st.sid in self._changed:
                # changed since the last flush: still reported (and listed) once before it goes
                self._changed.discard(st.sid)
                self._retiring[st.sid] = (self._public(st), False)
            else:
                for aid in st.members:
                    del self._story_of[aid]

    def flush(self) -> StoryChanges:
        """Revise the open window (end of a run); report stories changed and removed since the last flush.

        ``changed`` includes stories let go of (past the horizon) with changes not yet reported; they are
        listed by :meth:`stories` until the next flush. ``retired`` names every story let go of since the
        last flush: the store keeps them as they are.
        """
        with _one_blas_thread():
            self._revise()
        for sid, (story, reported) in list(self._retiring.items()):
            if reported:
                del self._retiring[sid]
                for aid in story.article_ids:
                    self._story_of.pop(aid, None)
        retiring = {sid for sid, (_, reported) in self._retiring.items() if not reported}
        self._retiring = {sid: (story, True) for sid, (story, _) in self._retiring.items()}
        changed = frozenset({s for s in self._changed if s in self._stories} | retiring)
        removed = frozenset(s for s in self._removed if s not in self._stories)
        retired = frozenset(self._retired)
        self._changed.clear()
        self._removed.clear()
        self._retired.clear()
        return StoryChanges(changed=changed, removed=removed, retired=retired)

    # -- state -------------------------------------------------------------------------------------

    @classmethod
    def from_stored(
        cls,
        rows: Callable[[], Iterable[StoredRow]],
        *,
        threshold: float | None = None,
        horizon_days: float | None = None,
    ) -> StreamClusterer:
        """Rebuild from stored state, reading it twice as a stream: memory does not grow with what is stored.

        ``rows()`` yields (article, document vector, story id) for every placed article once, in arrival
        order; it is called twice. The first pass counts document frequencies and each story's newest
        article; the second folds the articles of stories still within the horizon into their sums (IDF of
        everything stored) and keeps the last ``OPEN_WINDOW`` open again (the next revision may move
        them). Stories past the horizon are not held (see the class docstring).
        """
        self = cls(threshold=threshold, horizon_days=horizon_days)
        with _one_blas_thread():
            self._rebuild(rows)
        return self

    def _rebuild(self, rows: Callable[[], Iterable[StoredRow]]) -> None:
        newest: dict[str, tuple[float, int]] = {}  # story id -> (newest day, last arrival)
        total = 0
        batch: list[Article] = []
        for i, (article, vector, sid) in enumerate(rows()):
            if not self._dim:
                self._set_dim(np.asarray(vector, dtype=np.float64).ravel())
            batch.append(article)
            if len(batch) >= _FOLD_CHUNK:
                self._raw(batch)  # counts document frequencies; the rows are made again in pass two
                batch = []
            day = publication_day(article.published)
            if not math.isnan(day):
                self._newest = max(self._newest, day)
            prev = newest.get(sid, (math.nan, -1))
            newest[sid] = (float(np.fmax(prev[0], day)), i)
            total = i + 1
        if batch:
            self._raw(batch)
        del batch
        if not total:
            return
        self._arrivals = total
        open_from = max(0, total - R.OPEN_WINDOW)
        horizon = self._newest - self.horizon_days
        keep = {
            sid
            for sid, (fend, last) in newest.items()
            if last >= open_from
            or (not fend < horizon and not (math.isnan(fend) and total - 1 - last > R.UNDATED_STORY_ARRIVALS))
        }
        del newest
        chunk: list[tuple[Article, np.ndarray, str, int]] = []
        opened: list[tuple[Article, np.ndarray, str, int]] = []
        for i, (article, vector, sid) in enumerate(rows()):
            if sid not in keep:
                continue
            item = (article, np.asarray(vector, dtype=np.float64).ravel(), sid, i)
            self._story_of[article.id] = sid
            st = self._story(sid)
            st.members[article.id] = _sort_key(article)
            st.last = i
            if i >= open_from:
                opened.append(item)
                continue
            chunk.append(item)
            if len(chunk) >= _FOLD_CHUNK:
                self._fold_stored(chunk)
                chunk = []
        self._fold_stored(chunk)
        self._open_stored(opened)
        for st in self._stories.values():
            st.inner = st.inner_frozen  # open members' pairs are added back by the next revision
        self._refresh_centroids()
        self._index_open()

    def _features_stored(
        self, items: Sequence[tuple[Article, np.ndarray, str, int]]
    ) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Raw feature rows of stored articles, without counting them again in the document frequencies."""
        return raw_features([a for a, _, _, _ in items], (self._vec_w, self._vec_e))

    def _fold_stored(self, items: Sequence[tuple[Article, np.ndarray, str, int]]) -> None:
        if not items:
            return
        raw_w, raw_e = self._features_stored(items)
        xw, xe = self._weigh_w(raw_w), self._weigh_e(raw_e)
        vecs = np.vstack([v for _, v, _, _ in items])
        by_story: dict[str, list[int]] = {}
        for j, (_, _, sid, _) in enumerate(items):
            by_story.setdefault(sid, []).append(j)
        for sid, rows in by_story.items():
            days = [publication_day(items[j][0].published) for j in rows]
            self._fold(self._stories[sid], vecs[rows], xw[rows], xe[rows], days)

    def _open_stored(self, items: Sequence[tuple[Article, np.ndarray, str, int]]) -> None:
        if not items:
            return
        raw_w, raw_e = self._features_stored(items)
        ow, oe = self._weigh_w(raw_w), self._weigh_e(raw_e)
        for j, (article, v, _, i) in enumerate(items):
            self._open_ids.append(article.id)
            self._open_keys.append(_sort_key(article))
            self._oseq.append(i)
            self._oday.append(publication_day(article.published))
            self._raw_w.append_row(raw_w[j])
            self._raw_e.append_row(raw_e[j])
            self._ov.append(v)
        self._ow, self._oe = _Rows.of(ow), _Rows.of(oe)
        m = len(items)
        self._grow_sims(m)
        simv = self._ov.gram()
        np.fill_diagonal(simv, 0.0)
        self._simv[:m, :m] = simv
        sim = R.WEIGHT_VECTOR * simv + R.WEIGHT_WORDS * _gram(ow) + R.WEIGHT_ENTITIES * _gram(oe)
        np.fill_diagonal(sim, 0.0)
        self._sim[:m, :m] = sim
        self._weighed_at = self._n

    @classmethod
    def from_assignments(
        cls,
        articles: Sequence[Article],
        vectors: np.ndarray,
        assignments: Mapping[str, str],
        *,
        threshold: float | None = None,
        horizon_days: float | None = None,
    ) -> StreamClusterer:
        """Rebuild from stored state held in memory: ``assignments`` maps article id → story id (articles in
        arrival order, a repeated article counted once). Same as :meth:`from_stored` over these rows."""
        seen: set[str] = set()
        keep = []
        for j, a in enumerate(articles):
            if a.id in seen:
                continue
            if a.id not in assignments:
                raise ValueError(f"article {a.id!r} has no story in the stored assignments")
            seen.add(a.id)
            keep.append(j)

        def rows() -> Iterator[StoredRow]:
            for j in keep:
                yield articles[j], vectors[j], assignments[articles[j].id]

        return cls.from_stored(rows, threshold=threshold, horizon_days=horizon_days)

    def story_of(self, article_id: str) -> str:
        """The story id of a placed article held in memory.

        ``KeyError`` if it was never added, or if its story was let go of (past the horizon; the store
        still has it).
        """
        return self._story_of[article_id]

    def assignments(self) -> dict[str, str]:
        """Article id → story id of the articles held in memory, for storing."""
        return dict(self._story_of)

    @staticmethod
    def _public(st: _Story) -> Story:
        ordered = sorted(st.members.items(), key=lambda kv: kv[1])
        return Story(id=st.sid, article_ids=tuple(aid for aid, _ in ordered))

    def stories(self) -> list[Story]:
        """Current stories held in memory, largest first (articles in publication order)."""
        out = [self._public(st) for st in self._stories.values() if st.members]
        out += [story for story, _ in self._retiring.values()]
        out.sort(key=lambda s: (-len(s.article_ids), s.id))
        return out
