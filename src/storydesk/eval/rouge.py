"""ROUGE under the DUC 2004 protocol, with Google's ``rouge-score``.

Protocol: each system summary is cut to its first ``words`` whitespace-separated words (100 for DUC
2004; the references are used whole, as ROUGE-1.5.5's ``-l 100`` does for the peer only in the published
SumRepo figures), scored against every reference with Porter stemming; ROUGE-1/2/L recall and F1 are averaged over the
references of a cluster, then over clusters. Figures are percentages (0–100).

Confidence intervals are percentile bootstraps over clusters; :func:`paired_bootstrap` resamples the
same clusters for two systems to give the 95% interval of their difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = [
    "METRICS",
    "ClusterScores",
    "truncate_words",
    "score_summary",
    "score_system",
    "bootstrap_ci",
    "paired_bootstrap",
]

METRICS: tuple[str, ...] = (
    "rouge1_recall",
    "rouge2_recall",
    "rougeL_recall",
    "rouge1_f1",
    "rouge2_f1",
    "rougeL_f1",
)
BOOTSTRAP_SAMPLES = 2000
BOOTSTRAP_SEED = 13


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """Per-cluster scores of one system: ``values[metric]`` is an array with one figure per cluster."""

    values: dict[str, np.ndarray]

    def mean(self, metric: str) -> float:
        return float(np.mean(self.values[metric])) if len(self.values[metric]) else 0.0


def truncate_words(text: str, words: int | None) -> str:
    """The first ``words`` whitespace-separated words of ``text`` (all of it when ``words`` is None)."""
    tokens = text.split()
    if words is not None:
        tokens = tokens[:words]
    return " ".join(tokens)


@lru_cache(maxsize=4)
def _scorer(tokenizer: Any = None) -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True, tokenizer=tokenizer)


def score_summary(
    summary: str, references: Sequence[str], *, words: int | None = 100, tokenizer: Any = None
) -> dict[str, float]:
    """ROUGE-1/2/L recall and F1 of one summary, averaged over ``references``, in percent.

    ``tokenizer`` is an object with a ``tokenize(text) -> list[str]`` method (rouge-score's protocol);
    ``None`` uses rouge-score's default, which keeps only ASCII letters and digits.
    """
    if not references:
        raise ValueError("at least one reference summary is needed")
    scorer = _scorer(tokenizer)
    cut = truncate_words(summary, words)
    totals = dict.fromkeys(METRICS, 0.0)
    for ref in references:
        result = scorer.score(ref, cut)
        for name in ("rouge1", "rouge2", "rougeL"):
            totals[f"{name}_recall"] += result[name].recall
            totals[f"{name}_f1"] += result[name].fmeasure
    return {k: 100.0 * v / len(references) for k, v in totals.items()}


def score_system(
    summaries: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    words: int | None = 100,
    tokenizer: Any = None,
) -> ClusterScores:
    """Scores of one system's summaries (one per cluster) against each cluster's references."""
    if len(summaries) != len(references):
        raise ValueError(f"{len(summaries)} summaries for {len(references)} clusters")
    rows = [
        score_summary(s, r, words=words, tokenizer=tokenizer)
        for s, r in zip(summaries, references, strict=True)
    ]
    return ClusterScores({m: np.array([row[m] for row in rows], dtype=float) for m in METRICS})


def _resample_indices(n: int, samples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(samples, n))


def bootstrap_ci(
    values: Sequence[float] | np.ndarray,
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``values`` (resampling clusters)."""
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return (0.0, 0.0)
    means = arr[_resample_indices(arr.size, samples, seed)].mean(axis=1)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [alpha, 1.0 - alpha])
    return (float(lo), float(hi))


def paired_bootstrap(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[float, float, float]:
    """Mean of ``a - b`` over the same clusters and its paired bootstrap interval: ``(diff, lo, hi)``."""
    arr_a, arr_b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if arr_a.shape != arr_b.shape:
        raise ValueError("paired bootstrap needs scores on the same clusters")
    diff = arr_a - arr_b
    lo, hi = bootstrap_ci(diff, samples=samples, seed=seed, level=level)
    return (float(diff.mean()) if diff.size else 0.0, lo, hi)
