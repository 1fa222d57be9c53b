"""The tuning scripts of bench/ report what their figures in the README say they do."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

from _paths import REPO
from storydesk.eval.rouge import ClusterScores, paired_bootstrap

BENCH = REPO / "bench"


def _load(name: str):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))  # r1_experiments imports summary_tuning
    try:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def _scores(r1: list[float], r2: list[float]) -> ClusterScores:
    return ClusterScores({"rouge1_recall": np.array(r1), "rouge2_recall": np.array(r2)})


def test_compare_reports_per_set_means_and_the_paired_difference() -> None:
    tuning = _load("summary_tuning")
    base = _scores([30.0, 40.0, 50.0, 20.0], [5.0, 6.0, 7.0, 8.0])
    variant = _scores([32.0, 40.0, 53.0, 20.0], [5.0, 6.0, 9.0, 8.0])
    sets = ["task 2", "task 4", "task 2", "task 4"]
    line = tuning.compare(variant, base, sets)
    # task 2: R1 (32 + 53) / 2, R2 (5 + 9) / 2; task 4: R1 (40 + 20) / 2, R2 (6 + 8) / 2
    assert "[task 2: 42.50/7.00]" in line and "[task 4: 30.00/7.00]" in line
    diff, lo, hi = paired_bootstrap(variant.values["rouge1_recall"], base.values["rouge1_recall"])
    assert diff == pytest.approx(1.25)
    assert f"dR1={diff:+.2f} [{lo:+.2f}, {hi:+.2f}]" in line
    assert "dR1" not in tuning.compare(variant, None, None)


@pytest.mark.parametrize(
    ("rule", "before", "after"),
    [
        ("parentheses", "Winds of 120 mph (205 kph) hit the coast.", "Winds of 120 mph hit the coast."),
        ("ages", "John Smith, 45, was arrested on Monday.", "John Smith was arrested on Monday."),
        ("relative-clauses", "The mayor, who took office in May, resigned.", "The mayor resigned."),
        ("weekdays", "The mayor resigned on Tuesday night after a vote.", "The mayor resigned after a vote."),
        ("according-to", "Ten people died, according to the police.", "Ten people died."),
    ],
)
def test_clause_deletions_of_the_r1_experiments(rule: str, before: str, after: str) -> None:
    experiments = _load("r1_experiments")
    assert experiments.DELETIONS[rule].sub("", before) == after


def test_brief_memory_empties_every_bounded_cache() -> None:
    """``bench/brief_memory.py --clear-caches`` tells the caches' filling from growth only if it reaches
    all of them: the facts cache, the claim-text caches, the stem cache and the embedder's vectors."""
    from collections import OrderedDict
    from types import SimpleNamespace

    from storydesk import text
    from storydesk.analyse import _facts
    from storydesk.brief.corroborate import words

    bench = _load("brief_memory")
    sentence = "Officials said 12 people died in Vladivostok on Wednesday."
    caches = (words.word_bag, words.quantities, words.names, words.claim_context)
    for cached in caches:
        cached(sentence)
    text.stem("officials")
    _facts._cache[("a1", 0, 0)] = None  # type: ignore[assignment]
    embedder = SimpleNamespace(_cache=OrderedDict(t=np.zeros(3)))
    filled = [words.word_bag, words.names, text.stem]
    assert all(c.cache_info().currsize for c in filled) and _facts._cache

    bench.clear_caches(SimpleNamespace(embedder=embedder))

    for cached in caches:
        assert cached.cache_info().currsize == 0
    assert text.stem.cache_info().currsize == 0
    assert not _facts._cache and not embedder._cache
