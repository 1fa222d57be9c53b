"""A fast loop for tuning the extractive summarizer on DUC: ROUGE of variants in seconds, not minutes.

Embedding the candidates with MiniLM is the slow part of a DUC run, so the vectors of every candidate
sentence (pruned and not) are computed once per data set and kept in a cache file. A variant is a set
of overrides of the summarizer's options (``NAME=VALUE``: NAME a constant of
:mod:`storydesk.brief.summarize.rules` that is a field of ``SummaryOptions`` in lower case, VALUE a
Python literal); each variant runs ``summarize()`` on every cluster with the cached vectors (citations,
which do not change ROUGE, are skipped) and prints ROUGE-1/2 recall and F1 of the first 100 words (the DUC protocol), or, with
``--product``, of the whole ``max_sentences=5`` summary. Every variant after the first also prints its
paired-bootstrap difference in R1 recall to the first one (95 % CI over clusters); ``--by-set`` adds
R1/R2 per subset of clusters (DUC 2003: task 2, TDT events like DUC 2004's, and task 4).

Tune on DUC 2003 only; DUC 2004 is the test set.

    .venv/bin/python bench/summary_tuning.py --data ../shared/data/mds/duc2003.jsonl \\
        base "CENTRALITY_WEIGHT=1.0" "CENTRALITY_WEIGHT=2.0;POSITION_DECAY=0.2"
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import hashlib
import pickle
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

CACHE_DIR = Path("/tmp/storydesk-summary-tuning")


class CachedEmbedder:
    """Vectors by text from a cache; a text not in it is embedded by ``fallback`` and added."""

    def __init__(self, vectors: dict[str, np.ndarray], fallback: Any) -> None:
        self.vectors = vectors
        self.fallback = fallback
        self.misses = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self.vectors]
        if missing:
            self.misses += len(missing)
            for t, v in zip(missing, np.asarray(self.fallback.embed(missing)), strict=True):
                self.vectors[t] = v
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])


def load(path: Path) -> tuple[list[Any], CachedEmbedder]:
    """The clusters of ``path`` and an embedder primed with the vectors of all their candidates."""
    from storydesk.analyse import analyse_article
    from storydesk.brief.summarize.candidates import find_candidates
    from storydesk.eval.datasets import read_mds
    from storydesk.group.embed import get_embedder

    clusters = read_mds(path)
    key = hashlib.sha1(path.read_bytes()).hexdigest()[:12]
    cache = CACHE_DIR / f"{path.stem}-{key}.pkl"
    if cache.exists():
        vectors = pickle.loads(cache.read_bytes())
    else:
        vectors = {}
    embedder = CachedEmbedder(vectors, _Lazy(lambda: get_embedder("minilm")))
    for c in clusters:
        analyses = [analyse_article(a) for a in c.articles]
        texts = {x.sentence.text for prune in (False, True) for x in find_candidates(analyses, prune=prune)}
        embedder.embed(sorted(texts))
    if embedder.misses:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(embedder.vectors))
    embedder.misses = 0
    return clusters, embedder


class _Lazy:
    def __init__(self, make: Any) -> None:
        self._make, self._made = make, None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._made is None:
            self._made = self._make()
        return self._made.embed(texts)


def parse_variant(spec: str) -> dict[str, Any]:
    """``"A=1;B=(0.5, 1.0)"`` → {"A": 1, "B": (0.5, 1.0)}; ``"base"`` → {}. Values are Python literals
    or ``frozenset(<literal>)``."""
    out: dict[str, Any] = {}
    for part in spec.split(";"):
        part = part.strip()
        if not part or part == "base":
            continue
        name, _, value = part.partition("=")
        value = value.strip()
        if value.startswith("frozenset(") and value.endswith(")"):  # e.g. frozenset() or frozenset({"a"})
            inner = value[len("frozenset(") : -1].strip()
            out[name.strip()] = frozenset(ast.literal_eval(inner) if inner else ())
        else:
            out[name.strip()] = ast.literal_eval(value)
    return out


def options_for(values: dict[str, Any], product: bool) -> Any:
    """The summarizer's options under the overrides ``values`` (rules' names, e.g. ``GREEDY_SWAPS``):
    five sentences with ``product``, else the DUC budget of 100 words."""
    from storydesk.brief.summarize import SummaryOptions

    fields = {f.name for f in dataclasses.fields(SummaryOptions)}
    for k in values:
        if k.lower() not in fields:
            raise SystemExit(f"SummaryOptions has no {k.lower()} (the options: {', '.join(sorted(fields))})")
    budget = {"max_sentences": 5} if product else {"max_words": 100}
    return SummaryOptions(**budget, **{k.lower(): v for k, v in values.items()})


def without_citations(steps: Any = None) -> Any:
    """``steps`` (default: the shipped ones) with citations skipped: each sentence cites its source only."""
    from storydesk.brief.summarize import SummarySteps

    return dataclasses.replace(
        steps or SummarySteps(), cite=lambda summary, *a, **k: [(s.article_id,) for s in summary]
    )


def summaries(
    clusters: list[Any], embedder: CachedEmbedder, values: dict[str, Any], product: bool, steps: Any = None
) -> list[str]:
    """Each cluster's summary text under the overrides ``values`` (citations skipped), by ``steps``
    (a ``SummarySteps``; default: the shipped ones)."""
    from storydesk.brief.summarize import summarize

    options = options_for(values, product)
    steps = without_citations(steps)
    return [
        " ".join(s.text for s in summarize(c.articles, options, embedder=embedder, steps=steps))
        for c in clusters
    ]


def run_variant(
    clusters: list[Any], embedder: CachedEmbedder, values: dict[str, Any], product: bool, steps: Any = None
) -> tuple[dict, Any]:
    """One variant's row (means over clusters) and its per-cluster scores (a ``ClusterScores``)."""
    from storydesk.eval.rouge import score_system

    started = time.perf_counter()
    outputs = summaries(clusters, embedder, values, product, steps)
    seconds = time.perf_counter() - started
    scores = score_system(outputs, [list(c.summaries) for c in clusters], words=None if product else 100)
    row = {
        "R1": round(scores.mean("rouge1_recall"), 2),
        "R2": round(scores.mean("rouge2_recall"), 2),
        "F1-1": round(scores.mean("rouge1_f1"), 2),
        "F1-2": round(scores.mean("rouge2_f1"), 2),
        "words": round(float(np.mean([len(o.split()) for o in outputs])), 1),
        "ms/cluster": round(1000 * seconds / len(clusters), 1),
    }
    return row, scores


def compare(scores: Any, reference: Any | None, sets: Sequence[str] | None) -> str:
    """The extra columns of a row: R1/R2 recall per subset of clusters (``sets``, e.g. DUC 2003's task 2
    and task 4), and the paired-bootstrap difference in R1 recall to ``reference`` with its 95 % CI."""
    from storydesk.eval.rouge import paired_bootstrap

    out = ""
    if sets is not None:
        for name in sorted(set(sets)):
            mask = np.array([s == name for s in sets])
            r1, r2 = (float(scores.values[m][mask].mean()) for m in ("rouge1_recall", "rouge2_recall"))
            out += f"  [{name}: {r1:.2f}/{r2:.2f}]"
    if reference is not None:
        diff, lo, hi = paired_bootstrap(scores.values["rouge1_recall"], reference.values["rouge1_recall"])
        out += f"  dR1={diff:+.2f} [{lo:+.2f}, {hi:+.2f}]"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--product", action="store_true", help="max_sentences=5, whole summaries scored")
    parser.add_argument("--by-set", action="store_true", help="R1/R2 per subset of clusters (their 'set')")
    parser.add_argument("variants", nargs="*", default=["base"])
    args = parser.parse_args()
    clusters, embedder = load(args.data)
    sets = [c.set for c in clusters] if args.by_set else None
    first = None
    for spec in args.variants:
        row, scores = run_variant(clusters, embedder, parse_variant(spec), args.product)
        extra = compare(scores, first, sets)
        first = scores if first is None else first
        print(f"{spec:<60} " + "  ".join(f"{k}={v}" for k, v in row.items()) + extra, flush=True)


if __name__ == "__main__":
    main()
