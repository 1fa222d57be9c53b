import pytest
from _floors import floors

from _paths import SHARED_DATA
from storydesk.eval.extraction import evaluate_extraction, score_pages, shingle_counts

DATA = SHARED_DATA / "extraction-zyte"


def test_shingle_counts_by_hand():
    # gold: a b c d e -> shingles abcd, bcde; pred: a b c d x -> abcd, bcdx
    tp, fp, fn = shingle_counts("a b c d e", "a b c d x")
    assert (tp, fp, fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert shingle_counts("one two three four", "one two three four") == (1.0, 0.0, 0.0)
    # fewer than four tokens: the whole text is one shingle
    assert shingle_counts("a b", "a b") == (1.0, 0.0, 0.0)
    assert shingle_counts("a b c d", "") == (0.0, 0.0, 1.0)


def test_score_pages_means_per_page_then_harmonic():
    rows = score_pages([("a b c d e", "a b c d x"), ("w x y z", "w x y z"), ("a b c d", "")])
    # precision: mean(1/2, 1) over pages with predictions; recall: mean(1/2, 1, 0)
    assert rows["precision"] == pytest.approx(0.75)
    assert rows["recall"] == pytest.approx(0.5)
    assert rows["f1"] == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    # a page where both texts are empty counts for neither mean (as in the Zyte evaluate.py)
    assert score_pages([("", ""), ("a b c d", "a b c d x")])["precision"] == pytest.approx(0.5)


@pytest.mark.slow
def test_storydesk_f1_not_below_plain_trafilatura_on_zyte():
    rows = {r["system"]: r for r in evaluate_extraction(DATA)}
    assert rows["storydesk"]["pages"] == 181
    assert rows["storydesk"]["f1"] >= rows["trafilatura"]["f1"] - 0.005
    assert rows["storydesk"]["f1"] >= floors("extract-zyte")["f1"]
