"""Briefing from stored analyses (#17): the vectors a briefing needs that an article's stored analysis
holds are not computed again, and what the briefing computed is handed back to be stored.

:class:`KnownVectors` is the embedder a briefing sees: it answers the texts it knows and asks the run's
embedder (built only then) for the rest, keeping what it computed. Vectors are a function of their
text alone (the embedders run each text on its own row), so a briefing from stored vectors is the same
as one made from scratch. :func:`analyses_to_store` turns what a briefing read and computed into each
article's :class:`~storydesk.analyse.StoredAnalysis`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ..analyse import ArticleAnalysis, StoredAnalysis, article_fingerprint, merge_vectors

__all__ = ["KnownVectors", "analyses_to_store"]


class KnownVectors:
    """An embedder answering from ``known`` vectors (by text), asking ``base()`` for the others."""

    def __init__(self, base: Callable[[], Any], known: Mapping[str, np.ndarray]) -> None:
        self._base = base
        self._known: dict[str, np.ndarray] = dict(known)
        #: the vectors computed through this object, by text, in the order they were asked for
        self.fresh: dict[str, np.ndarray] = {}

    @property
    def name(self) -> str:
        return str(self._base().name)

    def __getattr__(self, attr: str) -> Any:  # dim, options: the run's embedder's
        return getattr(self._base(), attr)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.asarray(self._base().embed(texts), dtype=np.float32)
        missing = list(dict.fromkeys(t for t in texts if t not in self._known))
        if missing:
            rows = np.asarray(self._base().embed(missing), dtype=np.float32)
            for text, row in zip(missing, rows, strict=True):
                self._known[text] = self.fresh[text] = row
        return np.stack([self._known[t] for t in texts])


def _owners(texts: Sequence[str], analyses: Mapping[str, ArticleAnalysis]) -> dict[str, list[str]]:
    """The texts each article holds: a sentence of it, or (a sentence cut after a dateline) found in it."""
    by_sentence: dict[str, list[str]] = {}
    for aid, analysis in analyses.items():
        for s in analysis.sentences:
            by_sentence.setdefault(s.text, []).append(aid)
    out: dict[str, list[str]] = {}
    for text in texts:
        ids = by_sentence.get(text)
        if ids is None:
            ids = [aid for aid, x in analyses.items() if text and text in x.article.text]
        for aid in dict.fromkeys(ids):
            out.setdefault(aid, []).append(text)
    return out


def analyses_to_store(
    analyses: Mapping[str, ArticleAnalysis],
    stored: Mapping[str, StoredAnalysis],
    fresh: Mapping[str, np.ndarray],
    *,
    facts: bool,
    vectors: bool,
) -> list[StoredAnalysis]:
    """The analyses worth storing after a briefing over ``analyses``: an article whose facts were not
    stored (with ``facts``), or that gained vectors of its texts in ``fresh`` (with ``vectors``).
    An article's stored analysis is kept and extended, never replaced by less."""
    owners = _owners(list(fresh), analyses) if vectors else {}
    out: list[StoredAnalysis] = []
    for aid, analysis in analyses.items():
        before = stored.get(aid)
        merged = merge_vectors(before, ((t, fresh[t]) for t in owners.get(aid, ())))
        new_facts = facts and analysis.facts is not None and (before is None or before.facts is None)
        if merged is None and not new_facts and before is not None:
            continue
        if merged is None:
            if before is not None:
                texts, rows = before.texts, before.vectors
            else:
                texts, rows = (), np.zeros((0, 0), dtype=np.float32)
        else:
            texts, rows = merged
        out.append(
            StoredAnalysis(
                aid,
                article_fingerprint(analysis.article),
                analysis.facts if facts else None,
                texts,
                rows,
            )
        )
    return out
