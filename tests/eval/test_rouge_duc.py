import numpy as np
import pytest

from _paths import SHARED_DATA
from storydesk.eval.datasets import read_mds
from storydesk.eval.rouge import bootstrap_ci, paired_bootstrap, score_summary, score_system, truncate_words

DATA = SHARED_DATA / "mds"


def test_hand_computed_recall_and_f1():
    # reference: 6 unigrams, 5 bigrams; summary: 3 unigrams (all match), 2 bigrams (both match)
    scores = score_summary("the cat sat", ["the cat sat on the mat"], words=100)
    assert scores["rouge1_recall"] == pytest.approx(50.0)
    assert scores["rouge2_recall"] == pytest.approx(40.0)
    assert scores["rouge1_f1"] == pytest.approx(100 * 2 * 1.0 * 0.5 / 1.5)
    assert scores["rougeL_recall"] == pytest.approx(50.0)


def test_scores_average_over_references_and_stem():
    scores = score_summary("dogs running", ["dog runs", "cats sleep"], words=None)
    # "dogs"→dog, "running"→run, "runs"→run: full match on the first reference, none on the second
    assert scores["rouge1_recall"] == pytest.approx(50.0)
    assert scores["rouge2_recall"] == pytest.approx(50.0)


def test_summary_is_cut_to_its_first_words_but_references_are_not():
    assert truncate_words("a b  c\nd e", 3) == "a b c"
    cut = score_summary("zebra quartz the cat sat", ["the cat sat on the mat"], words=2)
    assert cut["rouge1_recall"] == 0.0
    whole_ref = score_summary("the cat", ["the cat sat on the mat"], words=2)
    assert whole_ref["rouge1_recall"] == pytest.approx(100 * 2 / 6)


def test_bootstrap_intervals():
    values = np.array([10.0, 12.0, 9.0, 11.0, 13.0, 8.0])
    lo, hi = bootstrap_ci(values)
    assert lo <= values.mean() <= hi and lo < hi
    diff, dlo, dhi = paired_bootstrap(values + 1.0, values)
    assert diff == pytest.approx(1.0) and dlo == pytest.approx(1.0) and dhi == pytest.approx(1.0)
    diff, dlo, dhi = paired_bootstrap(values, values[::-1])
    assert dlo <= diff <= dhi


def test_published_lead_and_dpp_rows_are_reproduced():
    clusters = read_mds(DATA / "duc2004.jsonl")
    references = [list(c.summaries) for c in clusters]
    for system, r1, r2 in (("Lead", 30.64, 6.17), ("DPP", 38.61, 9.31)):
        scores = score_system([c.peers[system] for c in clusters], references, words=100)
        assert scores.mean("rouge1_recall") == pytest.approx(r1, abs=0.05)
        assert scores.mean("rouge2_recall") == pytest.approx(r2, abs=0.05)
