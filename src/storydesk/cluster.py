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

__all__ = ["cluster_articles", "StreamClusterer", "extract_names", "ClusterParams"]

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
        idf[(df < min_df) | ((df > max_share * n) & (n >= R.MAX_DF_MIN_DOCS))] = 0.0
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


def _agglomerate(sim: np.ndarray, days: np.ndarray, p: ClusterParams) -> np.ndarray:
    """Average-linkage agglomeration with the group rule and time penalty; returns a label per row."""
    n = len(sim)
    w = sim.astype(np.float64, copy=True)
    np.fill_diagonal(w, 0.0)
    size = np.ones(n)
    inner = np.zeros(n)
    start = days.astype(np.float64, copy=True)
    end = start.copy()
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


class StreamClusterer:
    """Assigns articles to stories one at a time; a story's id is fixed by its first article.

    ``add`` returns the story id. Replay a store with :meth:`from_assignments` to continue where it
    stopped. Memory and time per ``add`` grow linearly with the articles seen.
    """

    def __init__(self, *, threshold: float | None = None) -> None:
        self.params = ClusterParams.with_threshold(threshold)
        self._feats = _Features()
        self._articles: list[Article] = []
        self._story_of: list[int] = []  # story index per article
        self._story_ids: list[str] = []
        self._members: list[list[int]] = []
        self._inner: list[float] = []
        self._start: list[float] = []
        self._end: list[float] = []
        self._index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._articles)

    def _append(self, article: Article, vector: np.ndarray) -> np.ndarray:
        self._feats.add([article], np.asarray(vector, dtype=np.float32).reshape(1, -1))
        self._articles.append(article)
        self._index[article.id] = len(self._articles) - 1
        n = len(self._articles)
        return self._feats.similarity(slice(n - 1, n))[0, : n - 1]

    def _join(self, story: int, sims: np.ndarray, day: float) -> None:
        i = len(self._articles) - 1
        members = self._members[story]
        self._inner[story] += float(sims[members].sum())
        members.append(i)
        self._story_of.append(story)
        self._start[story] = float(np.fmin(self._start[story], day))
        self._end[story] = float(np.fmax(self._end[story], day))

    def _open(self, article: Article, story_id: str | None = None) -> int:
        day = _day(article.published)
        self._story_ids.append(story_id or Story.make_id(article.id))
        self._members.append([len(self._articles) - 1])
        self._inner.append(0.0)
        self._start.append(day)
        self._end.append(day)
        self._story_of.append(len(self._story_ids) - 1)
        return len(self._story_ids) - 1

    def _best_story(self, sims: np.ndarray, day: float) -> int | None:
        if not self._members:
            return None
        story_of = np.asarray(self._story_of)
        counts = np.bincount(story_of, minlength=len(self._members)).astype(np.float64)
        avg = np.bincount(story_of, weights=sims, minlength=len(self._members)) / counts
        gap = _range_gap(np.asarray(self._start), np.asarray(self._end), day, day)
        avg = avg - _time_penalty(gap, self.params.time_penalty)
        pairs = np.maximum(counts * (counts - 1) / 2, 1)
        within = np.asarray(self._inner) / pairs
        ref = np.where(counts >= self.params.stream_min_size, self.params.stream_ratio * within, -np.inf)
        ok = (avg >= self.params.stream_threshold) & (avg >= ref)
        if not ok.any():
            return None
        return int(np.argmax(np.where(ok, avg, -np.inf)))

    def add(self, article: Article, vector: np.ndarray) -> str:
        """Place one article; returns its story id (an existing story's, or a new one named after it)."""
        if article.id in self._index:
            return self._story_ids[self._story_of[self._index[article.id]]]
        sims = self._append(article, vector)
        day = _day(article.published)
        story = self._best_story(sims, day)
        if story is None:
            story = self._open(article)
        else:
            self._join(story, sims, day)
        return self._story_ids[story]

    @classmethod
    def from_assignments(
        cls,
        articles: Sequence[Article],
        vectors: np.ndarray,
        assignments: Mapping[str, str],
        *,
        threshold: float | None = None,
    ) -> StreamClusterer:
        """Rebuild from stored state: ``assignments`` maps article id → story id (articles in arrival order)."""
        self = cls(threshold=threshold)
        vectors = np.asarray(vectors, dtype=np.float32)
        by_story: dict[str, int] = {}
        for article, vector in zip(articles, vectors, strict=True):
            if article.id in self._index:
                continue
            sims = self._append(article, vector)
            sid = assignments.get(article.id)
            if sid is None:
                raise ValueError(f"article {article.id!r} has no story in the stored assignments")
            if sid in by_story:
                self._join(by_story[sid], sims, _day(article.published))
            else:
                by_story[sid] = self._open(article, story_id=sid)
        return self

    def assignments(self) -> dict[str, str]:
        """Article id → story id, for storing."""
        return {a.id: self._story_ids[s] for a, s in zip(self._articles, self._story_of, strict=True)}

    def stories(self) -> list[Story]:
        """Current stories, largest first (articles in publication order)."""
        out = []
        for sid, members in zip(self._story_ids, self._members, strict=True):
            ordered = sorted((self._articles[i] for i in members), key=_sort_key)
            out.append(Story(id=sid, article_ids=tuple(a.id for a in ordered)))
        out.sort(key=lambda s: (-len(s.article_ids), s.id))
        return out
