"""Which candidate pairs of statements can be anything but "apart", settled for all pairs at once (#17).

A story of 80 articles has ~2,000 statements and ~90,000 candidate pairs (cosine ≥ ¾ of the lowest
alignment threshold); deciding each in Python (:func:`.alignment.decide_pair`) made the claims most of a
re-brief's cost, growing with the square of the story. Nearly all of them are "apart", and
:func:`.alignment.decide_pair` can say anything else only when one of these holds:

1. the two are lexically aligned (:func:`.alignment.lexically_aligned`), which needs
   ``2 · shared ≥ align_lexical · total``: ``shared`` the words the two bags share, counted with
   multiplicity, ``total`` their words;
2. the cosine is at least ``min(dispute_cosine, paraphrase_dispute_cosine, align_cosine)``;
3. the cosine is at least ``anchor_align_cosine`` and the anchors weigh ``anchor_align_weight``; their
   weight is at most ``|values(a) ∩ values(b)| + 0.5 · |names(a) ∩ names(b) ∩ rare|`` (each distinct number
   of ``a`` found in ``b`` adds at most 1, each shared rare name 0.5).

:func:`pairs_to_decide` computes these necessary conditions for every pair with sparse products (the
shared word count is exact: a word's k-th occurrence is its own column, so the product of two rows counts
``min`` of the two counts) and keeps the pairs meeting one; the others are "apart" without a call. The
cosines are compared as ``decide_pair`` compares them (float32 widened to float64), and the two integer
bounds with a margin, so a pair that ``decide_pair`` would not call "apart" is never dropped: the
alignment, and the briefing, are the same as deciding every pair.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Sequence
from itertools import chain

import numpy as np
from scipy import sparse

from .options import ClaimOptions
from .records import Statement
from .words import names, quantities, word_bag, word_occurrences

__all__ = ["pairs_to_decide"]

#: Slack for the integer bounds compared with float thresholds (a bound is never rounded below its value).
_MARGIN = 1e-9


def _incidence(items: Sequence[Collection[Hashable]]) -> sparse.csr_matrix:
    """Rows of 0/1: which of the distinct keys each item holds (an item holds each of its keys once)."""
    keys = list(chain.from_iterable(items))
    columns = {k: c for c, k in enumerate(dict.fromkeys(keys))}
    indices = np.fromiter(map(columns.__getitem__, keys), dtype=np.int32, count=len(keys))
    indptr = np.zeros(len(items) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, items), dtype=np.int64, count=len(items)), out=indptr[1:])
    data = np.ones(len(keys), dtype=np.int32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(items), max(1, len(columns))))


def _shared(
    rows_of: Callable[[Statement], Collection[Hashable]],
    sts: Sequence[Statement],
    i: np.ndarray,
    j: np.ndarray,
) -> np.ndarray:
    """For each pair ``(i[k], j[k])``, how many keys of ``rows_of`` the two statements share."""
    if not len(i):
        return np.zeros(0, dtype=np.int64)
    m = _incidence([rows_of(s) for s in sts])
    # row by row, only for the pairs asked (a dense statements × statements product would grow with the
    # square of the story)
    return np.asarray(m[i].multiply(m[j]).sum(axis=1), dtype=np.int64).ravel()


def pairs_to_decide(
    sts: Sequence[Statement],
    sims: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    rare: set[str],
    options: ClaimOptions,
) -> np.ndarray:
    """Of the candidate pairs ``(rows[k], cols[k])`` (statement indices; ``sims`` their cosines), the mask of
    those of different articles that :func:`.alignment.decide_pair` may decide as anything but "apart"."""
    article: dict[str, int] = {}
    of = np.fromiter(
        (article.setdefault(s.article_id, len(article)) for s in sts), dtype=np.int64, count=len(sts)
    )
    keep = of[rows] != of[cols]
    cos = sims[rows, cols].astype(np.float64)
    high = min(options.dispute_cosine, options.paraphrase_dispute_cosine, options.align_cosine)
    decided = keep & (cos >= high)  # condition 2: decide_pair is called
    rest = np.flatnonzero(keep & ~decided)
    if len(rest):
        i, j = rows[rest], cols[rest]
        words = np.fromiter((len(word_bag(s.text)[0]) for s in sts), dtype=np.int64, count=len(sts))
        total = (words[i] + words[j]).astype(np.float64)
        lexical = (
            2.0 * _shared(lambda s: word_occurrences(s.text), sts, i, j)
            >= options.align_lexical * total - _MARGIN
        )
        anchored = cos[rest] >= options.anchor_align_cosine
        if anchored.any():
            a, b = i[anchored], j[anchored]
            values = _shared(lambda s: {q.value for q in quantities(s.text)}, sts, a, b)
            rare_shared = _shared(lambda s: names(s.text) & rare, sts, a, b)
            weight = values + 0.5 * rare_shared
            lexical[anchored] |= weight >= options.anchor_align_weight - _MARGIN  # condition 3
        decided[rest[lexical]] = True  # condition 1 (or 3)
    return decided
