"""Clustering metrics: B-cubed precision/recall/F1 (Bagga & Baldwin 1998; Amigó et al. 2009) and pairwise F1.

Both take two mappings item → cluster label over the same items (items missing from one side are
ignored, so callers should pass complete mappings).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

__all__ = ["bcubed", "pairwise_f1"]


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _common(pred: Mapping[str, str], gold: Mapping[str, str]) -> list[str]:
    items = [k for k in gold if k in pred]
    if not items:
        raise ValueError("pred and gold share no items")
    return items


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed (precision, recall, F1), averaged over items.

    For an item, precision is the share of its predicted cluster that shares its gold label, recall the
    share of its gold cluster that the prediction put with it (the item itself counts in both).
    """
    items = _common(pred, gold)
    both = Counter((pred[i], gold[i]) for i in items)
    pred_size = Counter(pred[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    p = sum(both[(pred[i], gold[i])] / pred_size[pred[i]] for i in items) / len(items)
    r = sum(both[(pred[i], gold[i])] / gold_size[gold[i]] for i in items) / len(items)
    return p, r, _f1(p, r)


def pairwise_f1(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """Pairwise (precision, recall, F1) over unordered item pairs put together.

    Precision is 1 when the prediction pairs nothing (no wrong pair); recall is 1 when gold pairs nothing.
    """
    items = _common(pred, gold)

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    together_both = pairs(Counter((pred[i], gold[i]) for i in items))
    together_pred = pairs(Counter(pred[i] for i in items))
    together_gold = pairs(Counter(gold[i] for i in items))
    p = together_both / together_pred if together_pred else 1.0
    r = together_both / together_gold if together_gold else 1.0
    return p, r, _f1(p, r)
