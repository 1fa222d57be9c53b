"""When two sentences state the same thing, by their stemmed content words.

Two sentences are the same statement when their content words nearly coincide (Jaccard ≥
``same_text_jaccard``) or the shorter one's are nearly all in the longer one (containment ≥
``same_text_containment`` with at least ``same_text_min_shared`` shared). The summarizer lets at most one
of them into a summary (:func:`redundant_pairs`); the citations cite every article stating one
(:func:`same_text_matrix`). Both test all pairs at once with sparse products; :func:`overlaps` and
:func:`same_text` are the pairwise definition they agree with.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .candidates import Candidate
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions

__all__ = ["overlaps", "same_text", "same_text_matrix", "redundant_pairs"]


def overlaps(a: frozenset[str], b: frozenset[str]) -> tuple[float, float, int]:
    """Jaccard, containment (shared over the smaller set) and the number of shared words."""
    shared = len(a & b)
    union = len(a | b)
    jaccard = shared / union if union else 0.0
    containment = shared / min(len(a), len(b)) if a and b else 0.0
    return jaccard, containment, shared


def same_text(
    jaccard: float, containment: float, shared: int, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
) -> bool:
    """Whether overlaps of two sentences' content words make them the same statement."""
    return jaccard >= options.same_text_jaccard or (
        containment >= options.same_text_containment and shared >= options.same_text_min_shared
    )


def same_text_matrix(
    rows: Sequence[frozenset[str]],
    cols: Sequence[frozenset[str]],
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every pair (row, col) of content-word sets: whether they are the same text (as
    :func:`same_text` of :func:`overlaps`), how many words they share, and their containment (shared
    words over the smaller set's); by sparse products."""
    vocab: dict[str, int] = {}

    def positions(sets: Sequence[frozenset[str]]) -> tuple[list[int], list[int]]:
        indptr: list[int] = [0]
        indices: list[int] = []
        for words in sets:
            indices.extend(vocab.setdefault(w, len(vocab)) for w in words)
            indptr.append(len(indices))
        return indptr, indices

    (ptr_a, idx_a), (ptr_b, idx_b) = positions(rows), positions(cols)
    a = sparse.csr_matrix((np.ones(len(idx_a)), idx_a, ptr_a), shape=(len(rows), len(vocab)))
    b = sparse.csr_matrix((np.ones(len(idx_b)), idx_b, ptr_b), shape=(len(cols), len(vocab)))
    shared = (a @ b.T).toarray()
    size_a = np.array([len(x) for x in rows], dtype=float)[:, None]
    size_b = np.array([len(x) for x in cols], dtype=float)[None, :]
    union = size_a + size_b - shared
    smaller = np.minimum(size_a, size_b)
    jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    containment = np.divide(shared, smaller, out=np.zeros_like(shared), where=smaller > 0)
    same = (jaccard >= options.same_text_jaccard) | (
        (containment >= options.same_text_containment) & (shared >= options.same_text_min_shared)
    )
    return same, shared, containment


def redundant_pairs(
    usable: Sequence[int], cands: Sequence[Candidate], options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
) -> list[tuple[int, int]]:
    """Pairs (positions in ``usable``) of sentences that state the same thing: at most one may be chosen.

    The same test as :func:`.citations.equivalent` without vectors, on all pairs at once (sparse products).
    """
    vocab: dict[str, int] = {}
    indptr: list[int] = [0]
    indices: list[int] = []
    for i in usable:
        indices.extend(vocab.setdefault(w, len(vocab)) for w in cands[i].content)
        indptr.append(len(indices))
    if not indices:
        return []
    m = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(usable), len(vocab)))
    both = sparse.triu(m @ m.T, k=1).tocoo()
    keep = both.data >= 2  # sentences sharing fewer than two content words are never the same
    a, b, shared = both.row[keep], both.col[keep], both.data[keep]
    size = np.diff(m.indptr).astype(float)
    jaccard = shared / (size[a] + size[b] - shared)
    containment = shared / np.minimum(size[a], size[b])
    same = (jaccard >= options.same_text_jaccard) | (
        (containment >= options.same_text_containment) & (shared >= options.same_text_min_shared)
    )
    return sorted(zip(a[same].tolist(), b[same].tolist(), strict=True))
