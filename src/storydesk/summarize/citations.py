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

from ..model import Article, Sentence
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
    jaccard, containment, shared = _overlaps(_content(a), _content(b))
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
) -> list[tuple[str, ...]]:
    """For each summary sentence, the ids of all articles stating it, its source first, then in order."""
    contents = {a.id: [(s.text, _content(s.text)) for s in sentences.get(a.id, ())] for a in articles}
    pairs: list[list[tuple[str, str, str]]] = []  # per summary sentence: (article id, its text, other text)
    out_ids: list[list[str]] = []
    for s in summary:
        own = _content(s.text)
        ids = [s.article_id]
        maybe: list[tuple[str, str, str]] = []
        for article in articles:
            if article.id == s.article_id:
                continue
            lexical = False
            for text, other in contents[article.id]:
                jaccard, containment, shared = _overlaps(own, other)
                if _same_text(jaccard, containment, shared):
                    lexical = True
                    break
                if shared >= R.CANDIDATE_MIN_SHARED and embedder is not None:
                    maybe.append((article.id, s.text, text))
            if lexical:
                ids.append(article.id)
        out_ids.append(ids)
        pairs.append(maybe)
    if embedder is not None:
        _add_semantic(out_ids, pairs, embedder)
    order = {a.id: n for n, a in enumerate(articles)}
    return [(ids[0], *sorted(set(ids[1:]) - {ids[0]}, key=order.__getitem__)) for ids in out_ids]


def _add_semantic(
    out_ids: list[list[str]], pairs: list[list[tuple[str, str, str]]], embedder: Embedder
) -> None:
    texts = sorted({t for group in pairs for _, a, b in group for t in (a, b)})
    if not texts:
        return
    vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
    index = {t: n for n, t in enumerate(texts)}
    for ids, group in zip(out_ids, pairs, strict=True):
        for article_id, a, b in group:
            if article_id in ids:
                continue
            cosine = float(vectors[index[a]] @ vectors[index[b]])
            if equivalent(a, b, cosine=cosine):
                ids.append(article_id)
