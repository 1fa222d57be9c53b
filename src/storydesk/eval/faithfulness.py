"""``storydesk eval verify``: how well the sentence verifier tells supported claims from unsupported ones.

On ``../shared/data/faithfulness`` (human-labelled (article, claim) pairs from FRANK, CLIFF, Goyal21 and
the QAGS annotations; see the data README) this scores, by **balanced accuracy** (the mean of the rates
of supported claims accepted and unsupported claims rejected), per component — dataset:origin:level,
and :model for FRANK — plus AggreFact's pooled CNN/DM FtSota set:

* ``storydesk-offline`` — the shipped offline checker (:mod:`storydesk.brief.verify`): each claim
  sentence against the article, its features at their worst over the claim's sentences, the shipped
  weights, and per component the threshold chosen on the dev cut (shipped in ``rules.py``);
* ``storydesk-judge`` — the LLM judge at ``verify_url`` (when set), thresholds chosen on the dev cut;
* ``word-overlap`` — a live peer: the share of the claim's content words found in the article;
* the published checkers of the data README (AggreFact, Table 8), marked ``published`` — measured on
  the **test** cut, so they are context, not a same-run comparison.

On the dev cut, ``ba_cv`` is an honest estimate for a threshold chosen on dev: the dev rows of a
component cut in two halves 200 times, the threshold chosen on one half and scored on the other.
``choose`` fits the offline score's weights and the thresholds on a dev file (what ``rules.py`` ships).
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..analyse.sentences import split_text
from ..brief.verify import rules as VR
from ..brief.verify._text import content_stems, normalise
from ..brief.verify.checker import OfflineChecker, SupportChecker, logistic, worst
from ..errors import IngestError

__all__ = [
    "FaithPair",
    "read_faithfulness",
    "components_of",
    "balanced_accuracy",
    "choose_threshold",
    "evaluate_faithfulness",
    "offline_scores",
    "choose",
    "PUBLISHED",
    "HEADLINE",
]

log = logging.getLogger(__name__)

#: The components that look like storydesk's case (CNN/DM articles, modern models), named as
#: :func:`components_of` names them, with AggreFact's published balanced accuracy on their test cut.
HEADLINE = ("CLIFF:cnndm:summary", "FRANK:cnndm:summary:BART", "AggreFact-CNN-FtSota")
PUBLISHED: dict[str, dict[str, float]] = {
    "CLIFF:cnndm:summary": {
        "DAE": 73.0, "QuestEval": 74.0, "SummaC-ZS": 64.6, "SummaC-Conv": 64.9, "QAFactEval": 71.6,
    },
    "FRANK:cnndm:summary:BART": {
        "DAE": 69.9, "QuestEval": 62.6, "SummaC-ZS": 57.0, "SummaC-Conv": 60.1, "QAFactEval": 54.7,
    },
    "AggreFact-CNN-FtSota": {"MiniCheck-FT5": 69.9, "QuestEval": 70.2, "SummaC-ZS": 64.0},
}  # fmt: skip
#: Components with fewer rows, or fewer of either label, are not scored.
MIN_ROWS = 10
MIN_PER_CLASS = 3
CV_SPLITS = 200


@dataclass(frozen=True, slots=True)
class FaithPair:
    id: str
    dataset: str
    origin: str
    level: str
    model: str
    cut: str
    ftsota: bool
    source: str
    claim: str
    label: int


def read_faithfulness(path: str | Path) -> list[FaithPair]:
    """Every pair of a faithfulness JSON Lines file (one bad line is an error naming it)."""
    path = Path(path)
    out: list[FaithPair] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc}") from exc
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            out.append(
                FaithPair(
                    id=str(r["id"]),
                    dataset=str(r["dataset"]),
                    origin=str(r["origin"]),
                    level=str(r.get("level", "summary")),
                    model=str(r.get("model_name") or ""),
                    cut=str(r.get("cut", "")),
                    ftsota=bool(r.get("aggrefact_ftsota")),
                    source=str(r["source"]),
                    claim=str(r["claim"]),
                    label=int(r["label"]),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise IngestError(f"{path}:{lineno}", f"not a faithfulness pair: {exc}") from exc
    return out


def components_of(p: FaithPair) -> list[str]:
    """The components a pair counts in: dataset:origin:level, :model for FRANK, and AggreFact's pooled
    CNN/DM FtSota set."""
    base = f"{p.dataset}:{p.origin}:{p.level}"
    out = [base]
    if p.dataset == "FRANK" and p.model:
        out.append(f"{base}:{p.model}")
    if p.origin == "cnndm" and p.ftsota and p.level == "summary":
        out.append("AggreFact-CNN-FtSota")
    return out


def balanced_accuracy(labels: np.ndarray, accepted: np.ndarray) -> tuple[float, float, float]:
    """(balanced accuracy, true-positive rate, true-negative rate), each in [0, 1]."""
    pos, neg = labels == 1, labels == 0
    tpr = float((accepted & pos).sum() / pos.sum()) if pos.any() else 0.0
    tnr = float((~accepted & neg).sum() / neg.sum()) if neg.any() else 0.0
    return (tpr + tnr) / 2, tpr, tnr


def choose_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The threshold (accept when score >= it) of best balanced accuracy; the middle of the best run of
    equal thresholds, so that a tie does not sit on one pair's score."""
    candidates = np.unique(scores)
    if len(candidates) == 0:
        return 0.5
    values = np.array([balanced_accuracy(labels, scores >= t)[0] for t in candidates])
    best = np.flatnonzero(values >= values.max() - 1e-12)
    lo = candidates[best[0]]
    # accept-from ``lo``: any threshold in (previous candidate, lo] gives the same decisions
    below = candidates[best[0] - 1] if best[0] > 0 else lo - 1e-3
    return float((below + lo) / 2)


def _cv(labels: np.ndarray, scores: np.ndarray, splits: int = CV_SPLITS, seed: int = 0) -> float | None:
    rng = np.random.default_rng(seed)
    out: list[float] = []
    for _ in range(splits):
        order = rng.permutation(len(labels))
        a, b = order[: len(order) // 2], order[len(order) // 2 :]
        for fit, test in ((a, b), (b, a)):
            if len(set(labels[fit])) < 2 or len(set(labels[test])) < 2:
                continue
            t = choose_threshold(labels[fit], scores[fit])
            out.append(balanced_accuracy(labels[test], scores[test] >= t)[0])
    return float(np.mean(out)) if out else None


# --- the systems -----------------------------------------------------------------------------------------


def _claim_sentences(claim: str) -> list[str]:
    return [s.text for s in split_text(normalise(claim))] or [claim]


def _source_sentences(source: str) -> list[str]:
    return [s.text for s in split_text(normalise(source))] or [source]


def offline_features(pairs: Sequence[FaithPair], checker: OfflineChecker) -> list[dict[str, float]]:
    """Per pair: the offline features of its claim (worst over its sentences) against its article."""
    out: list[dict[str, float]] = []
    for p in pairs:
        sentences = _claim_sentences(p.claim)
        source = _source_sentences(p.source)
        out.append(worst(checker.features(sentences, [source] * len(sentences))))
    return out


def offline_scores(pairs: Sequence[FaithPair], checker: OfflineChecker) -> np.ndarray:
    return np.array([logistic(f, checker.weights) for f in offline_features(pairs, checker)])


def overlap_scores(pairs: Sequence[FaithPair]) -> np.ndarray:
    """Plain word overlap: the share of the claim's content words (stemmed) that the article has."""
    out = []
    for p in pairs:
        claim = content_stems(normalise(p.claim))
        source = content_stems(normalise(p.source))
        out.append(len(claim & source) / len(claim) if claim else 1.0)
    return np.array(out)


def judge_scores(pairs: Sequence[FaithPair], judge: SupportChecker) -> np.ndarray:
    """The judge's P(supported) of each claim against its whole article."""
    return np.array(judge.score([normalise(p.claim) for p in pairs], [[p.source] for p in pairs]))


# --- the evaluation ----------------------------------------------------------------------------------------


def _groups(pairs: Sequence[FaithPair]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for n, p in enumerate(pairs):
        for c in components_of(p):
            groups[c].append(n)
    return dict(groups)


def _scorable(labels: np.ndarray) -> bool:
    return len(labels) >= MIN_ROWS and min((labels == 1).sum(), (labels == 0).sum()) >= MIN_PER_CLASS


def _ordered(components: Iterable[str]) -> list[str]:
    names = list(components)
    return [c for c in HEADLINE if c in names] + sorted(c for c in names if c not in HEADLINE)


def score_rows(
    system: str,
    pairs: Sequence[FaithPair],
    scores: np.ndarray,
    thresholds: Callable[[str], float | None],
    *,
    cv: bool,
) -> list[dict[str, Any]]:
    """One row per scorable component: balanced accuracy at the component's threshold."""
    labels = np.array([p.label for p in pairs])
    rows = []
    groups = _groups(pairs)
    for comp in _ordered(groups):
        idx = np.array(groups[comp])
        y, s = labels[idx], scores[idx]
        if not _scorable(y):
            continue
        t = thresholds(comp)
        if t is None:
            continue
        ba, tpr, tnr = balanced_accuracy(y, s >= t)
        row: dict[str, Any] = {
            "system": system,
            "component": comp,
            "n": int(len(idx)),
            "unsupported": int((y == 0).sum()),
            "balanced_accuracy": round(100 * ba, 1),
            "tpr": round(100 * tpr, 1),
            "tnr": round(100 * tnr, 1),
            "threshold": round(float(t), 4),
        }
        if cv:
            est = _cv(y, s)
            row["ba_cv"] = None if est is None else round(100 * est, 1)
        rows.append(row)
    return rows


def _dev_thresholds(dev: Sequence[FaithPair], scores: np.ndarray) -> dict[str, float]:
    labels = np.array([p.label for p in dev])
    out = {}
    for comp, idx in _groups(dev).items():
        y = labels[np.array(idx)]
        if _scorable(y):
            out[comp] = choose_threshold(y, scores[np.array(idx)])
    return out


def evaluate_faithfulness(
    data: str | Path,
    *,
    embedder: Any,
    dev: str | Path | None = None,
    judge: SupportChecker | None = None,
    predictions: str | Path | None = None,
) -> dict[str, Any]:
    """The rows of ``storydesk eval verify`` (see the module's docstring)."""
    pairs = read_faithfulness(data)
    is_dev = all(p.cut in {"val", "dev"} for p in pairs)
    dev_pairs = pairs if is_dev or dev is None else read_faithfulness(dev)
    if not is_dev and dev is None:
        raise IngestError(str(data), "not a dev cut: pass --dev with the dev file to choose thresholds on")
    checker = OfflineChecker(embedder)
    start = time.perf_counter()
    ours = offline_scores(pairs, checker)
    seconds = time.perf_counter() - start
    shipped = dict(VR.COMPONENT_THRESHOLDS)
    rows = score_rows(
        "storydesk-offline", pairs, ours, lambda c: shipped.get(c, VR.SUPPORT_THRESHOLD), cv=is_dev
    )
    if judge is not None:
        js = judge_scores(pairs, judge)
        jt = _dev_thresholds(dev_pairs, js if dev_pairs is pairs else judge_scores(dev_pairs, judge))
        rows += score_rows("storydesk-judge", pairs, js, jt.get, cv=is_dev)
    ov = overlap_scores(pairs)
    ot = _dev_thresholds(dev_pairs, ov if dev_pairs is pairs else overlap_scores(dev_pairs))
    rows += score_rows("word-overlap", pairs, ov, ot.get, cv=is_dev)
    present = {r["component"] for r in rows}
    for comp, systems in PUBLISHED.items():
        if comp not in present:
            continue
        for name, value in systems.items():
            rows.append(
                {"system": f"{name} (published, test cut)", "component": comp, "balanced_accuracy": value}
            )
    if predictions is not None:
        _write_predictions(Path(predictions), pairs, ours, shipped)
    return {
        "task": "verify",
        "data": str(data),
        "rows": rows,
        "pairs": len(pairs),
        "offline_ms_per_pair": round(1000 * seconds / max(1, len(pairs)), 1),
    }


def _write_predictions(
    path: Path, pairs: Sequence[FaithPair], scores: np.ndarray, thresholds: dict[str, float]
) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for p, s in zip(pairs, scores, strict=True):
            t = thresholds.get(_prediction_component(p), VR.SUPPORT_THRESHOLD)
            fh.write(json.dumps({"id": p.id, "score": round(float(s), 6), "supported": bool(s >= t)}) + "\n")


def _prediction_component(p: FaithPair) -> str:
    """The most specific component of a pair (its threshold decides its prediction)."""
    comps = [c for c in components_of(p) if c != "AggreFact-CNN-FtSota"]
    return comps[-1]


# --- choosing what rules.py ships --------------------------------------------------------------------------


def choose(data: str | Path, *, embedder: Any) -> dict[str, Any]:
    """Fit the offline score's weights (logistic regression, classes balanced, on every dev pair) and
    choose each component's threshold and the product threshold on the dev cut."""
    from sklearn.linear_model import LogisticRegression

    pairs = read_faithfulness(data)
    checker = OfflineChecker(embedder)
    feats = offline_features(pairs, checker)
    names = [k for k in VR.SCORE_WEIGHTS if k != "bias"]
    x = np.array([[f[k] for k in names] for f in feats])
    y = np.array([p.label for p in pairs])
    model = LogisticRegression(class_weight="balanced", C=1.0, max_iter=1000).fit(x, y)
    weights = {"bias": round(float(model.intercept_[0]), 3)}
    weights.update({k: round(float(w), 3) for k, w in zip(names, model.coef_[0], strict=True)})
    scores = np.array([logistic(f, weights) for f in feats])
    thresholds = {c: round(t, 4) for c, t in sorted(_dev_thresholds(pairs, scores).items())}
    product = [n for n, p in enumerate(pairs) if (p.dataset, p.origin, p.level) == VR.PRODUCT_COMPONENT]
    product_threshold = round(choose_threshold(y[product], scores[product]), 4) if product else 0.5
    return {"weights": weights, "component_thresholds": thresholds, "support_threshold": product_threshold}
