"""Story clustering, batch and streaming.

An article pair is scored by three similarities (weights in :mod:`storydesk._cluster_rules`):

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

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp

from . import _cluster_rules as R
from .embed import Embedder, embed_documents, get_embedder
from .model import Article, Story

__all__ = ["cluster_articles", "StreamClusterer", "StoryChanges", "extract_names", "ClusterParams"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """The thresholds one clustering run uses (defaults from :mod:`storydesk._cluster_rules`)."""

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


def _day(published: str | None) -> float:
    if not published:
        return math.nan
    try:
        return float(date.fromisoformat(published[:10]).toordinal())
    except ValueError:
        return math.nan


class _Features:
    """Per-article raw features, grown one article at a time; IDF is recomputed from what was seen."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        common = {"n_features": R.HASH_FEATURES, "alternate_sign": False, "norm": None}
        self._words = HashingVectorizer(
            stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b", **common
        )
        self._names = HashingVectorizer(analyzer=extract_names, **common)
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
        texts = [f"{a.title}\n{a.text}" if a.title else a.text for a in articles]
        for rows, df, vec in ((self._rows_w, self.df_w, self._words), (self._rows_e, self.df_e, self._names)):
            m = vec.transform(texts).tocsr()
            m.data = np.log1p(m.data)
            rows.append(m)
            np.add.at(df, m.indices, 1.0)
        self.vectors.extend(np.asarray(vectors, dtype=np.float32))
        self.days.extend(_day(a.published) for a in articles)

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
    over = np.clip((np.nan_to_num(gap_days, nan=0.0) - R.TIME_GRACE_DAYS) / R.TIME_SCALE_DAYS, 0.0, 1.0)
    return strength * over


def _range_gap(s1: np.ndarray, e1: np.ndarray, s2: np.ndarray, e2: np.ndarray) -> np.ndarray:
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
    """
    n = len(sim)
    w = sim.astype(np.float64, copy=True)
    np.fill_diagonal(w, 0.0)
    size = np.ones(n) if size is None else size.astype(np.float64, copy=True)
    inner = np.zeros(n) if inner is None else inner.astype(np.float64, copy=True)
    start = days.astype(np.float64, copy=True)
    end = start.copy() if end_days is None else end_days.astype(np.float64, copy=True)
    active = np.ones(n, dtype=bool)
    label = np.arange(n)

    def scores(i: int) -> np.ndarray:
        avg = w[i] / (size[i] * size)
        avg = avg - _time_penalty(_range_gap(start[i], end[i], start, end), p.time_penalty)
        est = size >= p.group_min_size
        within = np.where(size > 1, inner / np.maximum(size * (size - 1) / 2, 1), 0.0)
        ref = np.where(est & est[i], (within + within[i]) / 2, -np.inf)
        ok = (avg >= p.threshold) & (avg >= p.group_ratio * ref) & active
        ok[i] = False
        return np.where(ok, avg, -np.inf)

    table = np.vstack([scores(i) for i in range(n)]) if n else np.zeros((0, 0))
    while n > 1:
        k = int(np.argmax(table))
        a, b = divmod(k, n)
        if not np.isfinite(table[a, b]):
            break
        inner[a] += inner[b] + w[a, b]
        w[a] += w[b]
        w[:, a] += w[:, b]
        w[a, a] = 0.0
        size[a] += size[b]
        start[a] = np.fmin(start[a], start[b])
        end[a] = np.fmax(end[a], end[b])
        active[b] = False
        label[label == b] = a
        table[b, :] = -np.inf
        table[:, b] = -np.inf
        row = scores(a)
        table[a, :] = row
        table[:, a] = row
    return label


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
    """TF-IDF rows from raw log-tf rows and document frequencies (same rule as ``_Features``), L2-normed."""
    d = df[raw.indices]
    idf = np.log((1.0 + n) / (1.0 + d)) + 1.0
    if n >= R.MAX_DF_MIN_DOCS:
        idf[(d < min_df) | (d > max_share * n)] = 0.0
    data = raw.data * idf
    rows = np.repeat(np.arange(raw.shape[0]), np.diff(raw.indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=raw.shape[0]))
    norms[norms == 0] = 1.0
    data = data / np.repeat(norms, np.diff(raw.indptr))
    return sp.csr_matrix((data, raw.indices.copy(), raw.indptr.copy()), shape=raw.shape)


class _SVec:
    """A sparse vector over the hashed vocabulary: sorted indices and values (cheap sums and dots)."""

    __slots__ = ("idx", "val")

    def __init__(self, idx: np.ndarray | None = None, val: np.ndarray | None = None) -> None:
        self.idx = np.zeros(0, dtype=np.int64) if idx is None else idx
        self.val = np.zeros(0, dtype=np.float64) if val is None else val

    @classmethod
    def row(cls, m: sp.csr_matrix, j: int) -> _SVec:
        a, b = m.indptr[j], m.indptr[j + 1]
        return cls(m.indices[a:b].astype(np.int64), m.data[a:b].astype(np.float64))

    def __add__(self, other: _SVec) -> _SVec:
        if not len(other.idx):
            return self
        if not len(self.idx):
            return other
        u, inv = np.unique(np.concatenate([self.idx, other.idx]), return_inverse=True)
        return _SVec(u, np.bincount(inv, weights=np.concatenate([self.val, other.val]), minlength=len(u)))

    def dot(self, dense: np.ndarray) -> float:
        return float(dense[self.idx] @ self.val)


def _stack(vecs: Sequence[_SVec]) -> sp.csr_matrix:
    indptr = np.zeros(len(vecs) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(v.idx) for v in vecs])
    idx = np.concatenate([v.idx for v in vecs]) if vecs else np.zeros(0, np.int64)
    val = np.concatenate([v.val for v in vecs]) if vecs else np.zeros(0)
    return sp.csr_matrix((val, idx, indptr), shape=(len(vecs), R.HASH_FEATURES))


def _gram(a: sp.csr_matrix) -> np.ndarray:
    return (a @ a.T.tocsr()).toarray()


@dataclass(frozen=True, slots=True)
class StoryChanges:
    """What a :meth:`StreamClusterer.flush` reports: stories to (re)save and stories to delete."""

    changed: frozenset[str]
    removed: frozenset[str]


class _Story:
    """One streamed story: its members, and sums over its *frozen* members (no per-article rows)."""

    __slots__ = ("sid", "members", "frozen", "sv", "sw", "se", "inner_frozen", "inner", "fstart", "fend")

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


class StreamClusterer:
    """Assigns articles to stories one at a time, revising recent assignments; story ids are stable.

    ``add`` places an article greedily (best average similarity among candidate stories) and returns its
    story id. The last ``OPEN_WINDOW`` arrivals stay *open*: every ``REVISE_EVERY`` arrivals, and on
    :meth:`flush`, they are re-clustered with the batch algorithm together with the frozen parts of the
    stories near them (each frozen part is one pre-formed group, summarised by sums of its vectors, so
    old articles need no rows). The new groups take existing story ids by greatest overlap; a group left
    without one is named after its earliest article; an id left without members is reported removed.

    Memory: per article its id and story; per story three vector sums; rows for the open window only.
    Time per ``add``: the open window plus ``CANDIDATE_STORIES`` nearest stories, not everything seen.

    The caller calls :meth:`flush` at the end of each run, saves ``changed`` and deletes ``removed``:
    a revision can move open articles between stories, so stories change that ``add`` did not return.
    """

    def __init__(self, *, threshold: float | None = None) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self.params = ClusterParams.with_threshold(threshold)
        common = {"n_features": R.HASH_FEATURES, "alternate_sign": False, "norm": None}
        self._vec_w = HashingVectorizer(
            stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b", **common
        )
        self._vec_e = HashingVectorizer(analyzer=extract_names, **common)
        self._df_w = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self._df_e = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self._n = 0
        self._dim = 0
        self._newest = -math.inf
        self._story_of: dict[str, str] = {}  # article id -> story id
        self._stories: dict[str, _Story] = {}
        # the open window, oldest first: articles, raw rows, rows weighted as of arrival, vectors, days
        self._open: list[Article] = []
        self._raw_w: list[sp.csr_matrix] = []
        self._raw_e: list[sp.csr_matrix] = []
        self._ow: list[_SVec] = []
        self._oe: list[_SVec] = []
        self._ov: list[np.ndarray] = []
        self._oday: list[float] = []
        # story centroids (frozen sums), rebuilt at each revision: candidates for placing
        self._cent = np.zeros((0, 0))
        self._cent_ids: list[str] = []
        self._ovbuf: np.ndarray | None = None
        self._ovbuf_n = 0
        self._since_revision = 0
        self._changed: set[str] = set()
        self._removed: set[str] = set()

    def __len__(self) -> int:
        return len(self._story_of)

    # -- features ----------------------------------------------------------------------------------

    def _raw(self, articles: Sequence[Article]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        texts = [f"{a.title}\n{a.text}" if a.title else a.text for a in articles]
        out = []
        for vec, df in ((self._vec_w, self._df_w), (self._vec_e, self._df_e)):
            m = vec.transform(texts).tocsr()
            m.data = np.log1p(m.data)
            np.add.at(df, m.indices, 1.0)
            out.append(m)
        self._n += len(articles)
        return out[0], out[1]

    def _weigh_w(self, raw: sp.csr_matrix) -> sp.csr_matrix:
        return _weigh(raw, self._df_w, self._n, R.WORD_MIN_DF, R.WORD_MAX_DF_SHARE)

    def _weigh_e(self, raw: sp.csr_matrix) -> sp.csr_matrix:
        return _weigh(raw, self._df_e, self._n, R.ENTITY_MIN_DF, R.ENTITY_MAX_DF_SHARE)

    def _story(self, sid: str) -> _Story:
        st = self._stories.get(sid)
        if st is None:
            st = self._stories[sid] = _Story(sid, self._dim)
        return st

    def _refresh_centroids(self) -> None:
        """Centroid rows of the stories with frozen members, newest article within the horizon."""
        horizon = self._newest - R.STORY_HORIZON_DAYS
        active = [st for st in self._stories.values() if st.frozen and not st.fend < horizon]
        self._cent_ids = [st.sid for st in active]
        if not active:
            self._cent = np.zeros((0, self._dim))
            return
        cent = np.vstack([st.sv for st in active])
        norms = np.linalg.norm(cent, axis=1)
        norms[norms == 0] = 1.0
        self._cent = cent / norms[:, None]

    def _nearest(self, vecs: np.ndarray, k: int) -> set[str]:
        """Ids of the ``k`` frozen-story centroids nearest each vector."""
        if not self._cent_ids or not len(vecs):
            return set()
        sims = np.asarray(vecs, dtype=np.float64) @ self._cent.T
        k = min(k, len(self._cent_ids))
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        return {self._cent_ids[int(j)] for j in np.unique(top)}

    def _open_vectors(self) -> np.ndarray:
        """The open window's document vectors as one array (a buffer grown in place between revisions)."""
        m = len(self._ov)
        buf = self._ovbuf
        if buf is None or buf.shape[0] < m or self._ovbuf_n > m:
            buf = np.zeros((max(2 * m, R.OPEN_WINDOW + R.REVISE_EVERY + 1), self._dim))
            buf[:m] = np.vstack(self._ov)
            self._ovbuf = buf
        elif self._ovbuf_n < m:
            buf[self._ovbuf_n : m] = np.vstack(self._ov[self._ovbuf_n :])
        self._ovbuf_n = m
        return buf[:m]

    # -- placing -----------------------------------------------------------------------------------

    def add(self, article: Article, vector: np.ndarray) -> str:
        """Place one article; returns its story id (an existing story's, or a new one named after it).

        Every ``REVISE_EVERY`` arrivals the open window is revised (see the class docstring), which may
        move this or other open articles; :meth:`flush` reports what moved.
        """
        if article.id in self._story_of:
            return self._story_of[article.id]
        v = np.asarray(vector, dtype=np.float64).ravel()
        if not self._dim:
            self._dim = len(v)
            for st in self._stories.values():
                st.sv = np.zeros(self._dim)
        raw_w, raw_e = self._raw([article])
        xw, xe = _SVec.row(self._weigh_w(raw_w), 0), _SVec.row(self._weigh_e(raw_e), 0)
        day = _day(article.published)
        if not math.isnan(day):
            self._newest = max(self._newest, day)
        sid, gain = self._place(article, v, xw, xe, day)
        self._story_of[article.id] = sid
        st = self._story(sid)
        st.members[article.id] = _sort_key(article)
        st.inner += gain
        self._changed.add(sid)
        self._open.append(article)
        self._raw_w.append(raw_w)
        self._raw_e.append(raw_e)
        self._ow.append(xw)
        self._oe.append(xe)
        self._ov.append(v)
        self._oday.append(day)
        self._since_revision += 1
        if self._since_revision >= R.REVISE_EVERY:
            self._revise()
        return self._story_of[article.id]

    def _place(self, article: Article, v: np.ndarray, xw: _SVec, xe: _SVec, day: float) -> tuple[str, float]:
        """Best story for a new article and the sum of its similarities to that story's members."""
        p = self.params
        dw = np.zeros(R.HASH_FEATURES)
        dw[xw.idx] = xw.val
        de = np.zeros(R.HASH_FEATURES)
        de[xe.idx] = xe.val
        if self._open:
            open_sims = R.WEIGHT_VECTOR * (self._open_vectors() @ v)
            open_sims += R.WEIGHT_WORDS * (_stack(self._ow) @ dw)
            open_sims += R.WEIGHT_ENTITIES * (_stack(self._oe) @ de)
        else:
            open_sims = np.zeros(0)
        cands = self._nearest(v[None, :], R.CANDIDATE_STORIES)
        for j in np.argsort(-open_sims)[: R.CANDIDATE_STORIES]:
            cands.add(self._story_of[self._open[int(j)].id])
        new = Story.make_id(article.id), 0.0
        if not cands:
            return new
        order = sorted(cands)
        stories = [self._stories[s] for s in order]
        total = np.array(
            [
                R.WEIGHT_VECTOR * float(st.sv @ v)
                + R.WEIGHT_WORDS * st.sw.dot(dw)
                + R.WEIGHT_ENTITIES * st.se.dot(de)
                for st in stories
            ]
        )
        index = {s: k for k, s in enumerate(order)}
        start = np.array([st.fstart for st in stories])
        end = np.array([st.fend for st in stories])
        for a, sim, d in zip(self._open, open_sims, self._oday, strict=True):
            k = index.get(self._story_of[a.id])
            if k is not None:
                total[k] += sim
                start[k], end[k] = np.fmin(start[k], d), np.fmax(end[k], d)
        counts = np.array([len(st.members) for st in stories], dtype=np.float64)
        avg = total / counts - _time_penalty(_range_gap(start, end, day, day), p.time_penalty)
        inner = np.array([st.inner for st in stories])
        pairs = np.maximum(counts * (counts - 1) / 2, 1)
        ref = np.where(counts >= p.stream_min_size, p.stream_ratio * inner / pairs, -np.inf)
        ok = (avg >= p.stream_threshold) & (avg >= ref)
        if not ok.any():
            return new
        k = int(np.argmax(np.where(ok, avg, -np.inf)))
        return order[k], float(total[k])

    # -- revising ----------------------------------------------------------------------------------

    def _revise(self) -> None:
        """Re-cluster the open window with the frozen parts of nearby stories, then freeze the oldest."""
        self._since_revision = 0
        if self._open:
            self._recluster()
        self._freeze(max(0, len(self._open) - R.OPEN_WINDOW))
        self._refresh_centroids()

    def _recluster(self) -> None:
        m = len(self._open)
        ow = self._weigh_w(sp.vstack(self._raw_w, format="csr"))
        oe = self._weigh_e(sp.vstack(self._raw_e, format="csr"))
        ov = np.vstack(self._ov)
        self._ow = [_SVec.row(ow, j) for j in range(m)]
        self._oe = [_SVec.row(oe, j) for j in range(m)]
        touched = {self._story_of[a.id] for a in self._open}
        near = self._nearest(ov, R.CANDIDATE_STORIES)
        supers = sorted(s for s in touched | near if self._stories[s].frozen)
        sts = [self._stories[s] for s in supers]
        aw = _stack(self._ow + [st.sw for st in sts])
        ae = _stack(self._oe + [st.se for st in sts])
        av = np.vstack([ov, *[st.sv[None, :] for st in sts]])
        w = R.WEIGHT_VECTOR * (av @ av.T) + R.WEIGHT_WORDS * _gram(aw) + R.WEIGHT_ENTITIES * _gram(ae)
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
        affected = touched | set(supers)
        before = {s: set(self._stories[s].members) for s in affected}
        # greedy by overlap: (group, story id) pairs, largest overlap first
        overlap: list[tuple[int, str, int]] = []
        for g, items in groups.items():
            count: dict[str, int] = {}
            for i in items:
                s = self._story_of[self._open[i].id] if i < m else supers[i - m]
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
        for g in sorted(groups, key=lambda g: self._group_keys(groups[g], sts, m)[0]):
            if g not in name:
                name[g] = self._new_id(groups[g], sts, m, in_use)
                in_use.add(name[g])

        open_ids = {a.id for a in self._open}
        for s in affected:
            del self._stories[s]
        for g, items in groups.items():
            st = _Story(name[g], self._dim)
            self._stories[st.sid] = st
            frozen_items = [i for i in items if i >= m]
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
            st.inner_frozen += w[np.ix_(frozen_items, frozen_items)].sum() / 2
            st.inner = (
                st.inner_frozen
                + w[np.ix_(items, items)].sum() / 2
                - (w[np.ix_(frozen_items, frozen_items)].sum() / 2)
            )
            for i in items:
                if i < m:
                    a = self._open[i]
                    st.members[a.id] = _sort_key(a)
            for aid in st.members:
                self._story_of[aid] = st.sid
        for s in affected:
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
                a = self._open[i]
                keys.append((_sort_key(a), a.id))
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

    def _freeze(self, count: int) -> None:
        """Fold the ``count`` oldest open articles into their stories' sums (weighted with current IDF)."""
        if count <= 0:
            return
        ww = self._weigh_w(sp.vstack(self._raw_w[:count], format="csr"))
        we = self._weigh_e(sp.vstack(self._raw_e[:count], format="csr"))
        for j in range(count):
            v, xw, xe, d = self._ov[j], _SVec.row(ww, j), _SVec.row(we, j), self._oday[j]
            st = self._stories[self._story_of[self._open[j].id]]
            dw = np.zeros(R.HASH_FEATURES)
            dw[xw.idx] = xw.val
            de = np.zeros(R.HASH_FEATURES)
            de[xe.idx] = xe.val
            st.inner_frozen += (
                R.WEIGHT_VECTOR * float(st.sv @ v)
                + R.WEIGHT_WORDS * st.sw.dot(dw)
                + R.WEIGHT_ENTITIES * st.se.dot(de)
            )
            st.sv = st.sv + v
            st.sw = st.sw + xw
            st.se = st.se + xe
            st.frozen += 1
            st.fstart, st.fend = float(np.fmin(st.fstart, d)), float(np.fmax(st.fend, d))
        for lst in (self._open, self._raw_w, self._raw_e, self._ow, self._oe, self._ov, self._oday):
            del lst[:count]
        self._ovbuf = None

    def flush(self) -> StoryChanges:
        """Revise the open window (end of a run); report stories changed and removed since the last flush."""
        self._revise()
        changed = frozenset(s for s in self._changed if s in self._stories)
        removed = frozenset(s for s in self._removed if s not in self._stories)
        self._changed.clear()
        self._removed.clear()
        return StoryChanges(changed=changed, removed=removed)

    # -- state -------------------------------------------------------------------------------------

    @classmethod
    def from_assignments(
        cls,
        articles: Sequence[Article],
        vectors: np.ndarray,
        assignments: Mapping[str, str],
        *,
        threshold: float | None = None,
    ) -> StreamClusterer:
        """Rebuild from stored state: ``assignments`` maps article id → story id (articles in arrival order).

        The last ``OPEN_WINDOW`` articles are open again (the next revision may move them); older ones
        are folded into their stories' sums with the IDF of everything stored.
        """
        self = cls(threshold=threshold)
        vectors = np.asarray(vectors, dtype=np.float64)
        seen: set[str] = set()
        keep = []
        for j, a in enumerate(articles):
            if a.id in seen:
                continue
            if a.id not in assignments:
                raise ValueError(f"article {a.id!r} has no story in the stored assignments")
            seen.add(a.id)
            keep.append(j)
        if not keep:
            return self
        self._dim = vectors.shape[1]
        arts = [articles[j] for j in keep]
        vecs = vectors[keep]
        chunk = 2000
        raws = [self._raw(arts[i : i + chunk]) for i in range(0, len(arts), chunk)]
        raw_w = sp.vstack([r[0] for r in raws], format="csr")
        raw_e = sp.vstack([r[1] for r in raws], format="csr")
        del raws
        days = [_day(a.published) for a in arts]
        if any(not math.isnan(d) for d in days):
            self._newest = float(np.nanmax(days))
        for a in arts:
            sid = assignments[a.id]
            self._story_of[a.id] = sid
            self._story(sid).members[a.id] = _sort_key(a)
        n_frozen = max(0, len(arts) - R.OPEN_WINDOW)
        for i in range(0, n_frozen, chunk):
            stop = min(i + chunk, n_frozen)
            xw, xe = self._weigh_w(raw_w[i:stop]), self._weigh_e(raw_e[i:stop])
            by_story: dict[str, list[int]] = {}
            for j in range(i, stop):
                by_story.setdefault(self._story_of[arts[j].id], []).append(j)
            for sid, rows in by_story.items():
                st = self._stories[sid]
                local = [j - i for j in rows]
                parts_w = [_SVec.row(xw, j) for j in local]
                parts_e = [_SVec.row(xe, j) for j in local]
                sw = _stack(parts_w).sum(axis=0).A1
                se = _stack(parts_e).sum(axis=0).A1
                add_w = _SVec(np.flatnonzero(sw), sw[sw != 0])
                add_e = _SVec(np.flatnonzero(se), se[se != 0])
                sv = vecs[rows].sum(axis=0)
                # pair sums: cross terms with what is frozen already, plus among these rows
                own = sum(R.WEIGHT_WORDS * float(p.val @ p.val) for p in parts_w)
                own += sum(R.WEIGHT_ENTITIES * float(p.val @ p.val) for p in parts_e)
                own += R.WEIGHT_VECTOR * float(np.einsum("ij,ij->", vecs[rows], vecs[rows]))
                among = (
                    R.WEIGHT_VECTOR * float(sv @ sv)
                    + R.WEIGHT_WORDS * float(add_w.val @ add_w.val)
                    + R.WEIGHT_ENTITIES * float(add_e.val @ add_e.val)
                    - own
                ) / 2
                cross = R.WEIGHT_VECTOR * float(st.sv @ sv) + R.WEIGHT_WORDS * st.sw.dot(sw)
                cross += R.WEIGHT_ENTITIES * st.se.dot(se)
                st.inner_frozen += among + cross
                st.sv = st.sv + sv
                st.sw = st.sw + add_w
                st.se = st.se + add_e
                st.frozen += len(rows)
                for j in rows:
                    st.fstart, st.fend = float(np.fmin(st.fstart, days[j])), float(np.fmax(st.fend, days[j]))
        for j in range(n_frozen, len(arts)):
            self._open.append(arts[j])
            self._raw_w.append(raw_w[j])
            self._raw_e.append(raw_e[j])
            self._ov.append(vecs[j])
            self._oday.append(days[j])
        if self._open:
            ow = self._weigh_w(sp.vstack(self._raw_w, format="csr"))
            oe = self._weigh_e(sp.vstack(self._raw_e, format="csr"))
            self._ow = [_SVec.row(ow, j) for j in range(len(self._open))]
            self._oe = [_SVec.row(oe, j) for j in range(len(self._open))]
        for st in self._stories.values():
            st.inner = st.inner_frozen  # open members' pairs are added back by the next revision
        self._refresh_centroids()
        return self

    def story_of(self, article_id: str) -> str:
        """The story id of a placed article (``KeyError`` if it was never added)."""
        return self._story_of[article_id]

    def assignments(self) -> dict[str, str]:
        """Article id → story id, for storing."""
        return dict(self._story_of)

    def stories(self) -> list[Story]:
        """Current stories, largest first (articles in publication order)."""
        out = []
        for sid, st in self._stories.items():
            if not st.members:
                continue
            ordered = sorted(st.members.items(), key=lambda kv: kv[1])
            out.append(Story(id=sid, article_ids=tuple(aid for aid, _ in ordered)))
        out.sort(key=lambda s: (-len(s.article_ids), s.id))
        return out
