"""The open window of a streaming clusterer: the latest arrivals, which a revision may still move."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from . import rules as R
from .options import ClusterOptions
from .sparse import RowBuffer, TermIndex, gram
from .stories import SortKey
from .text_features import RawRows, TermWeights
from .timing import penalty_matrix

__all__ = ["OpenVectors", "OpenWindow"]


class OpenVectors:
    """The open window's document vectors: dense rows, or sparse rows when the vectors are mostly zeros
    (the hashed TF-IDF embedder fills ~200 of its 4,096 dimensions), so that products read only what is there."""

    def __init__(self, dim: int, sparse: bool) -> None:
        self.dim = dim
        self.sparse = sparse
        self._sparse_rows = RowBuffer(dim)
        self._dense_rows = np.zeros((0, dim))
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, v: np.ndarray) -> None:
        if self.sparse:
            idx = np.flatnonzero(v)
            self._sparse_rows.append(idx, v[idx])
        else:
            if self._count == len(self._dense_rows):
                grown = np.zeros((max(self._count, 64), self.dim))
                self._dense_rows = np.concatenate([self._dense_rows, grown])
            self._dense_rows[self._count] = v
        self._count += 1

    def drop_first(self, count: int) -> None:
        if count <= 0:
            return
        if self.sparse:
            self._sparse_rows.drop_first(count)
        else:
            self._dense_rows[: self._count - count] = self._dense_rows[count : self._count]
        self._count -= count

    def _matrix(self) -> sp.csr_matrix | np.ndarray:
        return self._sparse_rows.csr() if self.sparse else self._dense_rows[: self._count]

    def dot(self, v: np.ndarray) -> np.ndarray:
        """Dot products of every open vector with the dense vector ``v``."""
        return np.asarray(self._matrix() @ v)

    def cross_rows(self, a: int, b: int, sums: np.ndarray) -> np.ndarray:
        """Products of rows a..b with the rows of ``sums`` (k × dim): a (b - a) × k array."""
        if not self.sparse:
            return self._dense_rows[a:b] @ sums.T
        rows = self._sparse_rows.csr()[a:b]
        if b - a <= len(sums):
            return rows.toarray() @ sums.T
        return np.asarray(rows @ np.ascontiguousarray(sums.T))

    def gram(self) -> np.ndarray:
        m = self._matrix()
        return gram(m) if self.sparse else m @ m.T

    def dense(self, count: int) -> np.ndarray:
        """The first ``count`` vectors as a dense array."""
        return self._sparse_rows.csr(count).toarray() if self.sparse else self._dense_rows[:count].copy()


class OpenWindow:
    """The open articles, oldest first: per article its id, sort key, arrival number, publication day and
    time (first and last day of its interval, see :mod:`.timing`);
    its raw and weighted (TF-IDF) word and name rows and its document vector; and the pair similarities
    among them (total, and of the document vectors alone), in square arrays grown as needed.

    As of the last revision it also lists the weighted rows by term (rows added since are read directly)
    and the story of each open article, as small integer codes for cheap lookups.
    """

    def __init__(self, options: ClusterOptions) -> None:
        self.min_capacity = options.open_window + options.revise_every + 1
        self.ids: list[str] = []
        self.sort_keys: list[SortKey] = []
        self.arrivals: list[int] = []
        self.days: list[float] = []
        self.time_starts: list[float] = []
        self.time_ends: list[float] = []
        self.raw_words = RowBuffer(R.HASH_FEATURES)
        self.raw_names = RowBuffer(R.HASH_FEATURES)
        self.words = RowBuffer(R.HASH_FEATURES)
        self.names = RowBuffer(R.HASH_FEATURES)
        self.vectors = OpenVectors(0, False)
        self.similarity = np.zeros((0, 0))
        self.vector_similarity = np.zeros((0, 0))
        self.weighed_at = 0  # articles seen when the open rows were last weighed together
        self.word_index = TermIndex(sp.csr_matrix((0, R.HASH_FEATURES)))
        self.name_index = TermIndex(sp.csr_matrix((0, R.HASH_FEATURES)))
        self.stories: list[str] = []  # the story of each open article
        self.story_codes: dict[str, int] = {}  # story id -> small int, for the open articles' stories
        self.codes: list[int] = []  # the code of each open article's story

    def __len__(self) -> int:
        return len(self.ids)

    def reserve(self, m: int) -> None:
        """Room for the pair similarities of ``m`` open articles."""
        if m > len(self.similarity):
            size = max(m, 2 * len(self.similarity), self.min_capacity)
            for name in ("similarity", "vector_similarity"):
                old = getattr(self, name)
                new = np.zeros((size, size))
                new[: len(old), : len(old)] = old
                setattr(self, name, new)

    def append(
        self,
        article_id: str,
        sort_key: SortKey,
        arrival: int,
        day: float,
        time: tuple[float, float],
        story_id: str,
        raw: RawRows,
        weighted: RawRows,
        vector: np.ndarray,
        similarity: np.ndarray,
        vector_similarity: np.ndarray,
    ) -> None:
        """Open a new article, with its similarities to the open ones (total, and of vectors alone)."""
        m = len(self.ids)
        self.reserve(m + 1)
        self.similarity[m, :m] = self.similarity[:m, m] = similarity
        self.vector_similarity[m, :m] = self.vector_similarity[:m, m] = vector_similarity
        self.similarity[m, m] = self.vector_similarity[m, m] = 0.0
        self.ids.append(article_id)
        self.stories.append(story_id)
        self.codes.append(self.story_codes.setdefault(story_id, len(self.story_codes)))
        self.sort_keys.append(sort_key)
        self.arrivals.append(arrival)
        self.days.append(day)
        self.time_starts.append(time[0])
        self.time_ends.append(time[1])
        self.raw_words.append_row(raw[0])
        self.raw_names.append_row(raw[1])
        self.words.append_row(weighted[0])
        self.names.append_row(weighted[1])
        self.vectors.append(vector)

    def drop_oldest(self, count: int) -> None:
        """Close the ``count`` oldest articles (their stories' sums hold them now)."""
        for column in (
            self.ids,
            self.stories,
            self.codes,
            self.sort_keys,
            self.arrivals,
            self.days,
            self.time_starts,
            self.time_ends,
        ):
            del column[:count]
        for rows in (self.raw_words, self.raw_names, self.words, self.names, self.vectors):
            rows.drop_first(count)
        m = len(self.ids)
        for sims in (self.similarity, self.vector_similarity):
            sims[:m, :m] = sims[count : count + m, count : count + m]

    def index(self, story_of: dict[str, str]) -> None:
        """List the open rows by term, and note each open article's story (both change only in a revision)."""
        self.word_index, self.name_index = TermIndex(self.words.csr()), TermIndex(self.names.csr())
        self.stories = [story_of[a] for a in self.ids]
        self.story_codes = {}
        self.codes = [self.story_codes.setdefault(s, len(self.story_codes)) for s in self.stories]

    def time_penalties(self, options: ClusterOptions) -> tuple[np.ndarray, np.ndarray]:
        """The pair time penalties among the open articles, and whether each one's time is known."""
        starts, ends = np.array(self.time_starts), np.array(self.time_ends)
        return penalty_matrix(starts, ends, options), (~np.isnan(starts)).astype(np.float64)

    def row_dots(
        self, words: sp.csr_matrix, names: sp.csr_matrix, scratch: tuple[np.ndarray, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Products of a new article's weighted word and name rows (also scattered in the dense
        ``scratch`` buffers) with every open article's."""
        return (
            _dots(self.word_index, self.words, words, scratch[0]),
            _dots(self.name_index, self.names, names, scratch[1]),
        )

    def reweigh(self, terms: TermWeights, options: ClusterOptions) -> None:
        """Weigh the open rows again with the current IDF and recompute their pair similarities."""
        m = len(self.ids)
        words, names = terms.weigh_words(self.raw_words.csr()), terms.weigh_names(self.raw_names.csr())
        self.words, self.names = RowBuffer.of(words), RowBuffer.of(names)
        sim = (
            options.weight_vector * self.vector_similarity[:m, :m]
            + options.weight_words * gram(words)
            + options.weight_names * gram(names)
        )
        np.fill_diagonal(sim, 0.0)
        self.similarity[:m, :m] = sim
        self.weighed_at = terms.articles_seen


def _dots(index: TermIndex, rows: RowBuffer, x: sp.csr_matrix, dense: np.ndarray) -> np.ndarray:
    """Products of the row ``x`` (also scattered in ``dense``) with every open row: through the term
    index for the rows indexed, directly for the rows added since."""
    out = np.empty(len(rows))
    out[: index.rows] = index.dot(x.indices, x.data)
    out[index.rows :] = rows.tail_dot(index.rows, dense)
    return out
