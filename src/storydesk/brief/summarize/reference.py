"""What a human summary of a story is expected to say: a learned model of a reference's word counts.

ROUGE-1 recall counts, for each word of a human summary, how many of its occurrences a summary matches.
For every stemmed word ``w`` of a story and ``k = 1 … K_MAX``, this model predicts the expected share of
a human summary's tokens (in percent) that are the ``k``-th occurrence of ``w`` — so that the expected
ROUGE-1 recall of a summary that says ``w`` ``c`` times is the sum of the first ``c`` predictions,
summed over words. The summarizer maximizes that (a concave, piecewise-linear objective) beside its
concept coverage; stop words and repetitions count, as they do for ROUGE.

The features come from the articles alone: how often ``w`` occurs (at least ``k`` times) in the articles'
first 30, 60, 100 and 200 words and in the whole articles, whether it is a stop word or a number, how
many articles the story has, and, for a stop word, how often it reached a human summary in training.
The model is gradient-boosted regression trees (scikit-learn's ``HistGradientBoostingRegressor``)
trained on DUC 2003 by ``scripts/train_reference_model.py``; it ships as plain arrays in
``reference_model.npz`` (no pickle, so no scikit-learn version is baked into the file) and is walked
here with numpy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ...model import Article
from ...text import rouge_tokens, stop_words

__all__ = ["K_MAX", "ReferenceModel", "load_model", "features", "fit", "expected_counts", "reference_counts"]

#: the largest number of occurrences of one word the model predicts for
K_MAX = 8
#: article prefixes (in words) whose word counts are features; the last is the whole article
LEAD_WORDS = (30, 60, 100, 200, None)
FEATURES = (
    "k",
    *(f"lead{n or 'all'}>=k" for n in LEAD_WORDS),
    "lead100>=1",
    "stop word",
    "number",
    "articles",
    "stop-word prior",
)
#: a word that is not a stop word has no prior
NO_PRIOR = -1.0
MODEL_FILE = "reference_model.npz"


def _is_stop(word: str) -> bool:
    return word in stop_words() or len(word) < 2


def features(
    articles: Sequence[Article], prior: dict[str, float], only: AbstractSet[str] | None = None
) -> tuple[list[tuple[str, int]], np.ndarray]:
    """The rows the model predicts for — ``(word, k)`` with k from 0, for every word of the articles (or
    those of them in ``only``) and every k up to the most times one article says it — and their features
    (columns ``FEATURES``)."""
    vocab: dict[str, int] = {}
    ids = [
        np.fromiter((vocab.setdefault(t, len(vocab)) for t in rouge_tokens(a.text)), dtype=np.int64)
        for a in articles
    ]
    words = list(vocab)
    if not words:
        return [], np.zeros((0, len(FEATURES)))
    occurrences = np.arange(1, K_MAX + 1)
    rates = []  # per prefix: words × K_MAX, the share of articles saying the word at least k times
    for n in LEAD_WORDS:
        counts = np.stack([np.bincount(i if n is None else i[:n], minlength=len(words)) for i in ids], axis=1)
        rates.append((counts[:, :, None] >= occurrences).sum(axis=1) / len(articles))
    whole = rates[-1]
    stop = np.array([_is_stop(w) for w in words], dtype=float)
    word_prior = np.array(
        [prior.get(w, NO_PRIOR) if s else NO_PRIOR for w, s in zip(words, stop, strict=True)]
    )
    wanted = whole > 0  # a prefix of the k for every word: what some article says at least k times
    if only is not None:
        wanted &= np.array([w in only for w in words])[:, None]
    w_idx, k_idx = np.nonzero(wanted)
    x = np.column_stack(
        [
            k_idx,
            *(r[w_idx, k_idx] for r in rates),
            rates[LEAD_WORDS.index(100)][w_idx, 0],
            stop[w_idx],
            np.array([w.isdigit() for w in words], dtype=float)[w_idx],
            np.full(len(w_idx), float(len(articles))),
            word_prior[w_idx],
        ]
    ).astype(float)
    return [(words[w], int(k)) for w, k in zip(w_idx.tolist(), k_idx.tolist(), strict=True)], x


def reference_counts(summaries: Iterable[str]) -> dict[str, np.ndarray]:
    """The truth the model learns: per word, the mean over human summaries of ``[count >= k]`` × 100 /
    the summary's length in tokens (so that the values matched sum to the ROUGE-1 recall, in points)."""
    summaries = list(summaries)
    total: dict[str, np.ndarray] = {}
    for text in summaries:
        toks = rouge_tokens(text)
        for w, n in Counter(toks).items():
            at_least = np.zeros(K_MAX)
            at_least[: min(n, K_MAX)] = 1.0
            share = at_least * 100.0 / max(1, len(toks))
            total[w] = total[w] + share if w in total else share
    return {w: v / len(summaries) for w, v in total.items()}


@dataclass(frozen=True)
class ReferenceModel:
    """Regression trees as arrays: node ``i`` of tree ``t`` sends a row left when its feature
    ``feature[t, i]`` is at most ``threshold[t, i]``; a leaf (``left == -1``) holds ``value``."""

    baseline: float
    feature: np.ndarray  # trees × nodes (int)
    threshold: np.ndarray  # trees × nodes
    left: np.ndarray  # trees × nodes (int; -1 at a leaf)
    right: np.ndarray  # trees × nodes (int)
    value: np.ndarray  # trees × nodes
    prior_words: tuple[str, ...]
    prior_rates: np.ndarray

    @property
    def prior(self) -> dict[str, float]:
        return dict(zip(self.prior_words, self.prior_rates.tolist(), strict=True))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The model's output for each row of ``x`` (columns ``FEATURES``).

        The trees of equal depth are walked together, a level per step (a leaf points to itself), so a
        step is a few numpy gathers over rows × trees."""
        feature, threshold, left, right, value, groups = self._flat
        flat_x = np.ascontiguousarray(x, dtype=float).ravel()
        base = (np.arange(len(x)) * x.shape[1])[:, None]
        total = np.full(len(x), self.baseline)
        for roots, depth in groups:
            node = np.broadcast_to(roots, (len(x), len(roots)))
            for _ in range(depth):
                go_left = flat_x[base + feature[node]] <= threshold[node]
                node = np.where(go_left, left[node], right[node])
            total += value[node].sum(axis=1)
        return total

    @cached_property
    def _flat(
        self,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[tuple[np.ndarray, int]]]:
        """The trees as one array of nodes, children as global indices, leaves their own children; and
        the trees' roots grouped by depth."""
        n_trees, size = self.feature.shape
        offset = (np.arange(n_trees) * size)[:, None]
        here = offset + np.arange(size)[None, :]
        leaf = self.left < 0
        left = np.where(leaf, here, offset + self.left).ravel()
        right = np.where(leaf, here, offset + self.right).ravel()
        depth = np.zeros(n_trees * size, dtype=np.int64)
        for i in range(n_trees * size):  # parents come before their children
            if left[i] != i:
                depth[left[i]] = depth[right[i]] = depth[i] + 1
        tree_depth = depth.reshape(n_trees, size).max(axis=1)
        groups = [(offset[tree_depth == d, 0], int(d)) for d in np.unique(tree_depth)]
        return self.feature.ravel(), self.threshold.ravel(), left, right, self.value.ravel(), groups

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            baseline=np.array([self.baseline]),
            feature=self.feature,
            threshold=self.threshold,
            left=self.left,
            right=self.right,
            value=self.value,
            prior_words=np.array(self.prior_words, dtype=str),
            prior_rates=self.prior_rates,
        )

    @classmethod
    def read(cls, path: Any) -> ReferenceModel:
        with np.load(path, allow_pickle=False) as z:
            return cls(
                baseline=float(z["baseline"][0]),
                feature=z["feature"],
                threshold=z["threshold"],
                left=z["left"],
                right=z["right"],
                value=z["value"],
                prior_words=tuple(z["prior_words"].tolist()),
                prior_rates=z["prior_rates"],
            )


@lru_cache(maxsize=1)
def load_model() -> ReferenceModel:
    """The model shipped with storydesk."""
    with resources.as_file(resources.files(__package__) / MODEL_FILE) as path:
        return ReferenceModel.read(path)


def expected_counts(
    articles: Sequence[Article], model: ReferenceModel | None = None, only: AbstractSet[str] | None = None
) -> dict[str, np.ndarray]:
    """Per stemmed word of ``articles`` (or those of them in ``only``): the expected share (percent) of a
    human summary's tokens that are its 1st, 2nd, … occurrence (non-increasing in k)."""
    model = model or load_model()
    keys, x = features(articles, model.prior, only)
    if not keys:
        return {}
    predicted = np.clip(model.predict(x), 0.0, None)
    table: dict[str, np.ndarray] = {}
    for (w, k), p in zip(keys, predicted.tolist(), strict=True):
        table.setdefault(w, np.zeros(K_MAX))[k] = p
    return {w: np.minimum.accumulate(v) for w, v in table.items()}


# --- training --------------------------------------------------------------------------------------------


Cluster = tuple[Sequence[Article], Sequence[str]]  # articles and their human summaries


def _stop_word_hits(cluster: Cluster) -> dict[str, float]:
    """Per stop word the articles use: the share of a human summary its first occurrence makes."""
    articles, summaries = cluster
    truth = reference_counts(summaries)
    zero = np.zeros(K_MAX)
    return {
        w: float(truth.get(w, zero)[0])
        for w in {t for a in articles for t in rouge_tokens(a.text)}
        if _is_stop(w)
    }


def _rates(seen: Counter[str], hit: Counter[str]) -> dict[str, float]:
    return {w: (hit[w] + 0.1) / (n + 1.0) for w, n in seen.items() if n > 0}


def fit(clusters: Sequence[Cluster]) -> ReferenceModel:
    """Train the model on clusters of (articles, human summaries). The stop-word prior is each stop
    word's mean share of a human summary over the clusters that use it (smoothed); a training cluster is
    given the prior of the *other* clusters, as a new story will be."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    hits = [_stop_word_hits(c) for c in clusters]
    seen: Counter[str] = Counter(w for h in hits for w in h)
    hit: Counter[str] = Counter()
    for h in hits:
        hit.update(h)
    xs, ys = [], []
    zero = np.zeros(K_MAX)
    for (articles, summaries), own in zip(clusters, hits, strict=True):
        others = _rates(seen - Counter(own.keys()), hit - Counter(own))
        keys, x = features(articles, others)
        truth = reference_counts(summaries)
        xs.append(x)
        ys.append(np.array([truth.get(w, zero)[k] for w, k in keys]))
    model = HistGradientBoostingRegressor(
        max_iter=300, learning_rate=0.05, early_stopping=False, random_state=0
    )
    model.fit(np.vstack(xs), np.concatenate(ys))
    return _from_sklearn(model, _rates(seen, hit))


def _from_sklearn(model: Any, prior: dict[str, float]) -> ReferenceModel:
    """The fitted trees as arrays (padded to the largest tree with leaves of value 0)."""
    trees = [p[0].nodes for p in model._predictors]  # one tree per iteration (single output)
    size = max(len(t) for t in trees)

    def stack(field: str, fill: float, dtype: Any) -> np.ndarray:
        out = np.full((len(trees), size), fill, dtype=dtype)
        for i, t in enumerate(trees):
            out[i, : len(t)] = t[field]
        return out

    is_leaf = stack("is_leaf", 1, bool)
    left = np.where(is_leaf, -1, stack("left", 0, np.int64))
    words = sorted(prior)
    return ReferenceModel(
        baseline=float(np.ravel(model._baseline_prediction)[0]),
        feature=stack("feature_idx", 0, np.int64),
        threshold=stack("num_threshold", 0.0, float),
        left=left,
        right=stack("right", 0, np.int64),
        value=np.where(is_leaf, stack("value", 0.0, float), 0.0),
        prior_words=tuple(words),
        prior_rates=np.array([prior[w] for w in words]),
    )
