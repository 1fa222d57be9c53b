"""The selection problem: which sentences to choose so that the concepts they state weigh the most.

:class:`Coverage` is the problem over the sentences that fit the budget, reduced exactly before it is
solved (a concept only one sentence states is part of that sentence's own value; concepts stated by the
same sentences are one row); with the reference model it also earns the expected ROUGE-1 matches of the
words the chosen sentences say. :mod:`.selection` solves it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .candidates import Candidate
from .concepts import position_factor, sentence_concepts
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions

__all__ = ["Coverage", "build_coverage", "expected_pieces"]


@dataclass(frozen=True, slots=True)
class Coverage:
    """The selection problem over the usable sentences: choose some, earn ``own`` for each chosen one
    and ``weight[k]`` once for each row ``k`` of ``shared`` that a chosen sentence covers.

    Reduced (the default), it is the concept-coverage ILP with fewer variables and the same optima: a
    concept stated by one usable sentence only is part of that sentence's ``own`` value, and concepts
    stated by the same set of sentences are one row, their weights summed.

    With a reference model, the objective also earns ``value[w, c]`` for saying the modelled word ``w``
    ``c`` times in all (concave in ``c``: the expected ROUGE-1 matches of :mod:`.reference`, weighted);
    ``said`` holds each sentence's occurrences of each modelled word, as (sentence, word, count) triples.
    """

    own: np.ndarray  # per sentence: bonus + tie-break (+ the weight of concepts only it states)
    shared: sparse.csc_matrix  # rows × sentences, 1 where the sentence states the row's concepts
    weight: np.ndarray  # per row
    words: np.ndarray  # per sentence
    by_sentence: sparse.csr_matrix  # ``shared`` transposed: sentences × rows
    said: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # (sentence, word, count) triples
    value_of: np.ndarray | None = None  # modelled words × (K_MAX + 1): what saying it c times earns

    def counts(self, chosen: Sequence[int]) -> np.ndarray:
        """Per modelled word, how many times the sentences ``chosen`` say it."""
        assert self.said is not None and self.value_of is not None
        s, w, n = self.said
        mask = np.isin(s, np.asarray(list(chosen), dtype=np.int64))
        return np.bincount(w[mask], weights=n[mask], minlength=len(self.value_of)).astype(np.int64)

    def expected_gains(self, counts: np.ndarray) -> np.ndarray:
        """Per sentence, what the expected ROUGE-1 term adds when the summary says each word ``counts``
        times so far."""
        if self.said is None or self.value_of is None:
            return np.zeros(len(self.own))
        s, w, n = self.said
        top = self.value_of.shape[1] - 1
        have = counts[w]
        delta = self.value_of[w, np.minimum(have + n, top)] - self.value_of[w, np.minimum(have, top)]
        return np.bincount(s, weights=delta, minlength=len(self.own))

    def expected_value(self, counts: np.ndarray) -> float:
        if self.value_of is None:
            return 0.0
        top = self.value_of.shape[1] - 1
        return float(self.value_of[np.arange(len(counts)), np.minimum(counts, top)].sum())

    def rows_of(self, j: int) -> np.ndarray:
        """The rows sentence ``j`` covers."""
        return self.by_sentence.indices[self.by_sentence.indptr[j] : self.by_sentence.indptr[j + 1]]

    def uncovered(self, chosen: Sequence[int]) -> np.ndarray:
        """Per row, whether no sentence of ``chosen`` covers it."""
        out = np.ones(self.shared.shape[0], dtype=bool)
        for j in chosen:
            out[self.rows_of(j)] = False
        return out

    def gains(self, chosen: Sequence[int]) -> np.ndarray:
        """Per sentence, what adding it to ``chosen`` adds to the objective."""
        out = self.own + self.by_sentence @ (self.weight * self.uncovered(chosen))
        if self.said is not None:
            out = out + self.expected_gains(self.counts(chosen))
        return out

    def value(self, chosen: Sequence[int]) -> float:
        """The objective of choosing the sentences ``chosen`` (positions)."""
        if not len(chosen):
            return 0.0
        covered = ~self.uncovered(chosen)
        total = float(self.own[list(chosen)].sum() + self.weight[covered].sum())
        if self.said is not None:
            total += self.expected_value(self.counts(chosen))
        return total


def build_coverage(
    usable: Sequence[int],
    cands: Sequence[Candidate],
    weights: Mapping[object, float],
    bonus: np.ndarray | None,
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
    *,
    reduce: bool = True,
    expected: Mapping[str, np.ndarray] | None = None,
) -> Coverage | None:
    """The selection problem of ``usable`` (see :class:`Coverage`); None when no concept is stated.

    ``expected`` (word → expected share of a human summary per occurrence, from :mod:`.reference`) adds
    the expected ROUGE-1 term, weighted by ``options.expected_r1_weight``."""
    # a tiny preference for early sentences breaks ties between equal covers
    own = np.array([1e-3 * position_factor(cands[i], options) - 1e-3 for i in usable])
    if bonus is not None:
        own = own + bonus[usable]
    stated_by: dict[object, list[int]] = {}
    for j, i in enumerate(usable):
        for concept in sentence_concepts(cands[i], options):
            if concept in weights:
                stated_by.setdefault(concept, []).append(j)
    if not stated_by:
        return None
    rows: dict[object, float] = {}
    for concept, js in stated_by.items():
        w = weights[concept]
        if reduce and len(js) == 1:
            own[js[0]] += w
            continue
        key: object = tuple(js) if reduce else concept
        rows[key] = rows.get(key, 0.0) + w
    members = [tuple(k) if reduce else tuple(stated_by[k]) for k in rows]  # type: ignore[arg-type]
    data_rows = np.repeat(np.arange(len(members)), [len(m) for m in members])
    data_cols = np.fromiter((j for m in members for j in m), dtype=np.int64, count=len(data_rows))
    shared = sparse.csc_matrix(
        (np.ones(len(data_rows)), (data_rows, data_cols)), shape=(len(members), len(usable))
    )
    words = np.array([cands[i].words for i in usable], dtype=float)
    weight = np.fromiter(rows.values(), dtype=float, count=len(rows))
    said, value_of = _expected_terms(usable, cands, expected, options) if expected else (None, None)
    return Coverage(own, shared, weight, words, shared.T.tocsr(), said, value_of)


def _expected_terms(
    usable: Sequence[int],
    cands: Sequence[Candidate],
    expected: Mapping[str, np.ndarray],
    options: SummaryOptions,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray] | None, np.ndarray | None]:
    """The (sentence, word, count) triples of the modelled words the usable sentences say, and per word
    the weighted expected matches of saying it 0, 1, 2, … times (cumulative sums of its predictions);
    (None, None) when they say none."""
    column: dict[str, int] = {}
    s_idx: list[int] = []
    w_idx: list[int] = []
    n_said: list[int] = []
    for j, i in enumerate(usable):
        for w, n in Counter(t for t in cands[i].stems if t in expected).items():
            s_idx.append(j)
            w_idx.append(column.setdefault(w, len(column)))
            n_said.append(n)
    if not column:
        return None, None
    per_word = np.array([expected[w] for w in column])
    value_of = options.expected_r1_weight * np.hstack(
        [np.zeros((len(column), 1)), np.cumsum(per_word, axis=1)]
    )
    triples = (
        np.array(s_idx, dtype=np.int64),
        np.array(w_idx, dtype=np.int64),
        np.array(n_said, dtype=np.int64),
    )
    return triples, value_of


def expected_pieces(cover: Coverage) -> tuple[np.ndarray, np.ndarray, int]:
    """The expected-ROUGE term as LP pieces: per modelled word and occurrence k, what the k-th
    occurrence earns (pieces worth nothing are left out). Returns the pieces' words, their values and the
    number of words."""
    if cover.value_of is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0), 0
    step = np.diff(cover.value_of, axis=1)
    word, _ = np.nonzero(step > 1e-9)
    return word, step[step > 1e-9], len(cover.value_of)
