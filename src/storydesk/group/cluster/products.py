"""Products a streaming revision needs, kept from one revision to the next.

A story's frozen sums are named by a *token*, new whenever the sums change. The caches key their columns
by these tokens, so that a revision computes only the products of the rows added since the last one and
of the stories whose sums changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .sparse import stack_vectors
from .stories import StreamStory

__all__ = ["RowProductCache", "PairProductCache", "KeptProducts", "StorySums"]


class RowProductCache:
    """Products of the open window's rows with story sums, kept from one revision to the next.

    A column is keyed by the token of a story's sums, its rows follow the open window (dropped from the
    front when articles freeze). A revision then computes only the rows added since the last one (against
    every story) and the stories whose sums changed (against every row): about 25 + 15 rows' worth
    instead of 500 + 230.
    """

    def __init__(self) -> None:
        self._column_of: dict[int, int] = {}  # token -> column of _products
        self._products = np.zeros((0, 0))
        self._valid_rows = 0  # leading rows still valid

    def get(
        self, tokens: Sequence[int], m: int, compute: Callable[[int, int, list[int]], np.ndarray]
    ) -> np.ndarray:
        """The m × len(tokens) products; ``compute(a, b, ks)`` gives rows a..b against stories ``ks``."""
        out = np.empty((m, len(tokens)))
        r = min(self._valid_rows, m)
        known = [k for k, t in enumerate(tokens) if t in self._column_of]
        new = [k for k, t in enumerate(tokens) if t not in self._column_of]
        if known:
            out[:r, known] = self._products[:r, [self._column_of[tokens[k]] for k in known]]
            if r < m:
                out[r:, known] = compute(r, m, known)
        if new:
            out[:, new] = compute(0, m, new)
        self._column_of = {t: k for k, t in enumerate(tokens)}
        self._products, self._valid_rows = out, m
        return out

    def drop_rows(self, count: int) -> None:
        """The ``count`` oldest open rows left the window."""
        self._products = self._products[count:]
        self._valid_rows = max(0, self._valid_rows - count)

    def forget_rows(self) -> None:
        """Every row changed (the open rows were weighed again): none is valid any more."""
        self._valid_rows = 0


class PairProductCache:
    """Products among story sums (a symmetric matrix), kept by the sums' tokens like
    :class:`RowProductCache`."""

    def __init__(self) -> None:
        self._column_of: dict[int, int] = {}
        self._products = np.zeros((0, 0))

    def get(self, tokens: Sequence[int], compute: Callable[[list[int]], np.ndarray]) -> np.ndarray:
        """The n × n products; ``compute(ks)`` gives stories ``ks`` against all of ``tokens``."""
        n = len(tokens)
        out = np.empty((n, n))
        known = [k for k, t in enumerate(tokens) if t in self._column_of]
        new = [k for k, t in enumerate(tokens) if t not in self._column_of]
        if known:
            cols = [self._column_of[tokens[k]] for k in known]
            out[np.ix_(known, known)] = self._products[np.ix_(cols, cols)]
        if new:
            block = compute(new)
            out[new, :] = block
            out[:, new] = block.T
        self._column_of = {t: k for k, t in enumerate(tokens)}
        self._products = out
        return out


@dataclass(eq=False)
class KeptProducts:
    """The products kept between revisions, by the tokens of the stories' sums."""

    open_vectors_by_sums: RowProductCache = field(default_factory=RowProductCache)  # vector · vector sum
    open_rows_by_sums: RowProductCache = field(default_factory=RowProductCache)  # word, name rows · sums
    sums_by_sums: PairProductCache = field(default_factory=PairProductCache)  # all three, weighted

    def drop_rows(self, count: int) -> None:
        self.open_vectors_by_sums.drop_rows(count)
        self.open_rows_by_sums.drop_rows(count)


class StorySums:
    """The sums of some stories stacked once for a revision's products (vector, word and name rows)."""

    def __init__(self, stories: Sequence[StreamStory]) -> None:
        self.vectors = np.vstack([st.vector_sum for st in stories])
        self.words = stack_vectors([st.word_sum for st in stories])
        self.names = stack_vectors([st.name_sum for st in stories])
        self.count = len(stories)
        self._words_by_term: sp.csr_matrix | None = None
        self._names_by_term: sp.csr_matrix | None = None

    def words_by_term(self) -> sp.csr_matrix:
        """The word sums transposed (terms × stories), made once."""
        if self._words_by_term is None:
            self._words_by_term = self.words.T.tocsr()
        return self._words_by_term

    def names_by_term(self) -> sp.csr_matrix:
        """The name sums transposed (terms × stories), made once."""
        if self._names_by_term is None:
            self._names_by_term = self.names.T.tocsr()
        return self._names_by_term

    def rows(self, ks: list[int]) -> tuple[np.ndarray, sp.csr_matrix, sp.csr_matrix]:
        """The vector, word and name sums of the stories ``ks``."""
        if len(ks) == self.count:
            return self.vectors, self.words, self.names
        return self.vectors[ks], self.words[ks], self.names[ks]
