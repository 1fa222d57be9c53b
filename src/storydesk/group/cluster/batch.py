"""Batch clustering: every article of a set at once, by average-linkage agglomeration."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ...model import Article, Story, article_sort_key
from ..embed import Embedder, embed_documents, get_embedder
from . import rules as R
from .agglomerate import agglomerate
from .options import ClusterOptions
from .related import related_stories
from .text_features import raw_features
from .timing import article_times, penalty_matrix

__all__ = ["cluster_articles", "BatchFeatures"]

log = logging.getLogger(__name__)


class BatchFeatures:
    """The raw rows, document vectors and times (:mod:`.timing`) of a set of articles; IDF comes from the
    set itself."""

    def __init__(self, options: ClusterOptions) -> None:
        self.options = options
        self._word_rows: list[sp.csr_matrix] = []
        self._name_rows: list[sp.csr_matrix] = []
        self.word_df = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self.name_df = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self.vectors: list[np.ndarray] = []
        self.time_starts: list[float] = []
        self.time_ends: list[float] = []

    def __len__(self) -> int:
        return len(self.vectors)

    def add(self, articles: Sequence[Article], vectors: np.ndarray) -> None:
        for rows, df, m in zip(
            (self._word_rows, self._name_rows),
            (self.word_df, self.name_df),
            raw_features(articles),
            strict=True,
        ):
            rows.append(m)
            np.add.at(df, m.indices, 1.0)
        self.vectors.extend(np.asarray(vectors, dtype=np.float32))
        starts, ends = article_times(articles, self.options)
        self.time_starts.extend(starts.tolist())
        self.time_ends.extend(ends.tolist())

    def time_penalties(self) -> tuple[np.ndarray, np.ndarray]:
        """The pair time penalties of every pair of articles, and whether each one's time is known."""
        starts, ends = np.array(self.time_starts), np.array(self.time_ends)
        return penalty_matrix(starts, ends, self.options), (~np.isnan(starts)).astype(np.float64)

    @staticmethod
    def _stacked(rows: list[sp.csr_matrix]) -> sp.csr_matrix:
        if len(rows) > 1:
            rows[:] = [sp.vstack(rows, format="csr")]
        return rows[0]

    def _idf(self, df: np.ndarray, min_df: int, max_share: float) -> np.ndarray:
        n = len(self)
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        if n >= self.options.df_cuts_from_articles:
            idf[(df < min_df) | (df > max_share * n)] = 0.0
        return idf

    def _weighted(self, rows: list[sp.csr_matrix], idf: np.ndarray) -> sp.csr_matrix:
        m = self._stacked(rows).multiply(idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.diags(1.0 / norms) @ m

    def similarity(self, rows: slice | None = None) -> np.ndarray:
        """Pair similarity of ``rows`` (default: all) against every article, without the time penalty."""
        options = self.options
        sel = rows if rows is not None else slice(0, len(self))
        vec = np.vstack(self.vectors) if self.vectors else np.zeros((0, 1), np.float32)
        sim = options.weight_vector * (vec[sel] @ vec.T).astype(np.float64)
        for feature_rows, df, min_df, max_share, weight in (
            (
                self._word_rows,
                self.word_df,
                options.word_min_df,
                options.word_max_df_share,
                options.weight_words,
            ),
            (
                self._name_rows,
                self.name_df,
                options.name_min_df,
                options.name_max_df_share,
                options.weight_names,
            ),
        ):
            m = self._weighted(feature_rows, self._idf(df, min_df, max_share))
            sim += weight * (m[sel] @ m.T).toarray()
        return sim


def _stories(groups: Sequence[Sequence[Article]]) -> list[Story]:
    stories = []
    for members in groups:
        ordered = sorted(members, key=article_sort_key)
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
    options: ClusterOptions | None = None,
) -> list[Story]:
    """Group articles into stories, largest first, each with the stories of its subject (``related``).

    ``vectors`` are document vectors in article order (as from :func:`storydesk.group.embed.embed_documents`);
    without them they are computed with ``embedder`` (default MiniLM). ``options`` default to the tuned
    rules. Each story's id is named after its earliest article, the same id :class:`StreamClusterer`
    gives it.
    """
    if not articles:
        return []
    options = options or ClusterOptions()
    vecs = _document_vectors(articles, vectors, embedder)
    feats = BatchFeatures(options)
    feats.add(articles, vecs)
    sim = feats.similarity()
    penalties, known = feats.time_penalties()
    labels = agglomerate(sim, options, penalties=penalties, known=known)
    del penalties
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(int(label), []).append(row)
    log.info("clustered %d articles into %d stories", len(articles), len(groups))
    stories = _stories([[articles[i] for i in rows] for rows in groups.values()])
    return related_stories(stories, sim, {a.id: i for i, a in enumerate(articles)}, options)
