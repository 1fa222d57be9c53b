"""Citations: every article that states a summary sentence, not just the one it was taken from.

Two sentences state the same thing when

* their stemmed content words nearly coincide (Jaccard ≥ ``SAME_TEXT_JACCARD``, or the shorter one's
  are nearly all in the longer one: ``SAME_TEXT_CONTAINMENT``), or
* an embedder is at hand, their vectors' cosine is at least ``EQUIVALENT_COSINE`` and they share
  content words (overlap ≥ ``EQUIVALENT_MIN_OVERLAP`` of the shorter one).

Only sentences sharing ``CANDIDATE_MIN_SHARED`` content words are compared, so few are embedded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from ...model import Article, Sentence
from . import rules as R

if TYPE_CHECKING:
    from .extractive import Embedder

__all__ = ["cite", "equivalent"]


def _content(text: str) -> frozenset[str]:
    from .extractive import _content_and_bigrams

    return _content_and_bigrams(text)[1]


def _overlaps(a: frozenset[str], b: frozenset[str]) -> tuple[float, float, int]:
    shared = len(a & b)
    union = len(a | b)
    jaccard = shared / union if union else 0.0
    containment = shared / min(len(a), len(b)) if a and b else 0.0
    return jaccard, containment, shared


def _same_text(jaccard: float, containment: float, shared: int) -> bool:
    return jaccard >= R.SAME_TEXT_JACCARD or (
        containment >= R.SAME_TEXT_CONTAINMENT and shared >= R.SAME_TEXT_MIN_SHARED
    )


def equivalent(a: str, b: str, *, cosine: float | None = None) -> bool:
    """Whether sentences ``a`` and ``b`` state the same thing (``cosine`` of their vectors, if known)."""
    return _equivalent_contents(_content(a), _content(b), cosine)


def _equivalent_contents(a: frozenset[str], b: frozenset[str], cosine: float | None) -> bool:
    jaccard, containment, shared = _overlaps(a, b)
    if _same_text(jaccard, containment, shared):
        return True
    if cosine is None or shared < R.CANDIDATE_MIN_SHARED:
        return False
    return cosine >= R.EQUIVALENT_COSINE and containment >= R.EQUIVALENT_MIN_OVERLAP


def cite(
    summary: Sequence[Sentence],
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    *,
    embedder: Embedder | None = None,
    known: Mapping[str, frozenset[str]] | None = None,
    vectors: Mapping[str, np.ndarray] | None = None,
) -> list[tuple[str, ...]]:
    """For each summary sentence, the ids of all articles stating it, its source first, then in order.

    ``known`` may give the content words of some texts and ``vectors`` their embeddings (as the
    summarizer has computed them already): each text is analysed and embedded at most once per call.
    """
    content = _ContentCache(known)
    texts: list[str] = []
    owner: list[int] = []  # per sentence of the story, the position of its article
    for n, article in enumerate(articles):
        for sentence in sentences.get(article.id, ()):
            texts.append(sentence.text)
            owner.append(n)
    same, shared, containment = _same_text_matrix(
        [content(s.text) for s in summary], [content(t) for t in texts]
    )
    # a pair can be equivalent by its vectors only if it shares enough words (the test of
    # _equivalent_contents): only those are embedded and compared
    maybe_equivalent = (shared >= R.CANDIDATE_MIN_SHARED) & (containment >= R.EQUIVALENT_MIN_OVERLAP)
    owners = np.array(owner, dtype=int)
    pairs: list[list[tuple[str, str, str]]] = []  # per summary sentence: (article id, its text, other text)
    out_ids: list[list[str]] = []
    for r, s in enumerate(summary):
        lexical = {int(n) for n in np.unique(owners[same[r]])} if len(owners) else set()
        lexical = {n for n in lexical if articles[n].id != s.article_id}
        ids = [s.article_id, *(articles[n].id for n in sorted(lexical))]
        maybe: list[tuple[str, str, str]] = []
        if embedder is not None:
            for k in np.flatnonzero(maybe_equivalent[r]):
                n = owner[k]
                if n not in lexical and articles[n].id != s.article_id:
                    maybe.append((articles[n].id, s.text, texts[k]))
        out_ids.append(ids)
        pairs.append(maybe)
    if embedder is not None:
        _add_semantic(out_ids, pairs, embedder, content, vectors or {})
    order = {a.id: n for n, a in enumerate(articles)}
    return [(ids[0], *sorted(set(ids[1:]) - {ids[0]}, key=order.__getitem__)) for ids in out_ids]


def _same_text_matrix(
    rows: Sequence[frozenset[str]], cols: Sequence[frozenset[str]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every pair (row, col) of content-word sets: whether they are the same text (as
    :func:`_same_text` of :func:`_overlaps`), how many words they share, and their containment (shared
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
    same = (jaccard >= R.SAME_TEXT_JACCARD) | (
        (containment >= R.SAME_TEXT_CONTAINMENT) & (shared >= R.SAME_TEXT_MIN_SHARED)
    )
    return same, shared, containment


class _ContentCache:
    """Content words by text, computed once per text (seeded with those already known)."""

    def __init__(self, known: Mapping[str, frozenset[str]] | None = None) -> None:
        self._by_text: dict[str, frozenset[str]] = dict(known or {})

    def __call__(self, text: str) -> frozenset[str]:
        found = self._by_text.get(text)
        if found is None:
            found = self._by_text[text] = _content(text)
        return found


def _add_semantic(
    out_ids: list[list[str]],
    pairs: list[list[tuple[str, str, str]]],
    embedder: Embedder,
    content: _ContentCache,
    known_vectors: Mapping[str, np.ndarray],
) -> None:
    texts = sorted({t for group in pairs for _, a, b in group for t in (a, b)})
    if not texts:
        return
    missing = [t for t in texts if t not in known_vectors]
    fresh = np.asarray(embedder.embed(missing), dtype=np.float32) if missing else None
    fresh_index = {t: n for n, t in enumerate(missing)}

    def vector(text: str) -> np.ndarray:
        if text in fresh_index:
            return fresh[fresh_index[text]]  # type: ignore[index]
        return known_vectors[text]

    for ids, group in zip(out_ids, pairs, strict=True):
        for article_id, a, b in group:
            if article_id in ids:
                continue
            cosine = float(vector(a) @ vector(b))
            if _equivalent_contents(content(a), content(b), cosine):
                ids.append(article_id)
