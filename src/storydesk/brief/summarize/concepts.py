"""What a summary should cover, and what each sentence is worth beyond it.

Concepts are the stemmed content bigrams stated by at least ``concept_min_df`` articles (plus, with a
``unigram_weight``, content words), weighted by how many articles state them and how early. With an
embedder, each sentence also earns a bonus for its closeness to the story's centroid (MiniLM), so that
central sentences win ties of coverage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet

import numpy as np

from ...group.embed import Embedder
from .candidates import Candidate
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions

__all__ = ["concept_weights", "sentence_concepts", "position_factor", "embed_candidates", "salience_bonus"]


def position_factor(c: Candidate, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS) -> float:
    """How much an early statement counts: 1 for a lead sentence, falling with its position."""
    return 1.0 / (1.0 + options.position_decay * c.position)


def sentence_concepts(c: Candidate, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS) -> AbstractSet[object]:
    """The concepts a candidate states: its bigrams (tuples), and its content words (strings) when
    unigrams count."""
    if options.unigram_weight > 0:
        return c.bigrams | c.content
    return c.bigrams


def concept_weights(
    cands: Sequence[Candidate], n_articles: int, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
) -> dict[object, float]:
    """Concept → weight: the number of articles stating it, each counted by how early it states it."""
    per_article: dict[str, dict[object, float]] = {c.sentence.article_id: {} for c in cands}

    def factor(c: Candidate) -> float:
        return position_factor(c, options)

    # by rising factor, so that each concept keeps the factor of its earliest statement in the article
    for c in sorted(cands, key=factor):
        per_article[c.sentence.article_id].update(dict.fromkeys(sentence_concepts(c, options), factor(c)))
    df: Counter[object] = Counter()
    for seen in per_article.values():
        df.update(seen.keys())
    min_df = (
        options.concept_min_df if n_articles > options.small_story_articles else options.concept_min_df_small
    )
    if n_articles <= 1:
        min_df = 1
    credit = {k: 0.0 for k, n in df.items() if n >= min_df}
    for seen in per_article.values():
        for k in seen.keys() & credit.keys():
            credit[k] += seen[k]
    return {k: v * (options.unigram_weight if isinstance(k, str) else 1.0) for k, v in credit.items()}


def embed_candidates(cands: Sequence[Candidate], embedder: Embedder | None) -> np.ndarray | None:
    """The candidates' vectors (rows), None without an embedder (or candidates)."""
    if embedder is None or not cands:
        return None
    return np.asarray(embedder.embed([c.sentence.text for c in cands]), dtype=np.float32)


def salience_bonus(
    cands: Sequence[Candidate], vectors: np.ndarray | None, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
) -> np.ndarray | None:
    """Per candidate, what the objective adds for choosing it: ``centrality_weight`` × its words × the
    cosine of its vector to the story's centroid (or, with ``centrality_support``, its support across
    articles). Without vectors there is no bonus."""
    if vectors is None or not cands or options.centrality_weight <= 0:
        return None
    words = np.array([c.words for c in cands], dtype=float)
    if options.centrality_support:
        central = _support(cands, vectors)
    else:
        centroid = vectors.mean(axis=0)
        central = vectors @ (centroid / (float(np.linalg.norm(centroid)) or 1.0))
    bonus = options.centrality_weight * words * np.clip(central, 0.0, None)
    return bonus


def _support(cands: Sequence[Candidate], vectors: np.ndarray) -> np.ndarray:
    """Per candidate: mean over the other articles of its best cosine to one of their sentences."""
    owners = [c.sentence.article_id for c in cands]
    ids = sorted(set(owners))
    if len(ids) < 2:
        return np.ones(len(cands))
    sims = vectors @ vectors.T
    owner_index = np.array([ids.index(o) for o in owners])
    best = np.full((len(cands), len(ids)), 0.0)
    for k in range(len(ids)):
        cols = owner_index == k
        best[:, k] = sims[:, cols].max(axis=1)
    best[np.arange(len(cands)), owner_index] = 0.0
    return best.sum(axis=1) / (len(ids) - 1)
