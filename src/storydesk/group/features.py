"""The per-article features streaming dedup and clustering read, made ahead (by an extraction worker)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model import Article

__all__ = ["Prepared", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """An extracted article with the text features streaming dedup and clustering read, made ahead of
    them (by an extraction worker, :func:`prepare`) so that the ingesting process does not."""

    article: Article
    shingles: np.ndarray  # dedup.shingle_hashes of the text
    words: Any  # cluster.raw_features: the word row (scipy CSR)
    names: Any  # ... and the name row
    vector: np.ndarray | None = None  # the document vector (embed.embed_documents), if made


def prepare(articles: Sequence[Article], embedder: Any = None) -> list[Prepared]:
    """The features of :class:`Prepared` for each article; document vectors too with an ``embedder``."""
    from .cluster import raw_features
    from .dedup import shingle_hashes
    from .embed import embed_documents

    vectors = embed_documents(embedder, list(articles)) if embedder is not None and articles else None
    out = []
    for n, article in enumerate(articles):
        words, names = raw_features([article])
        vector = None if vectors is None else vectors[n]
        out.append(Prepared(article, shingle_hashes(article.text), words, names, vector))
    return out
