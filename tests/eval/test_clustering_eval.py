import json
import math

import pytest
from _floors import data_path, floors

from _paths import SHARED_DATA
from storydesk.eval.bcubed import bcubed, pairwise_f1

DATA = SHARED_DATA / "stories" / "duc-stories.jsonl"


def test_bcubed_amigo_style_example():
    # gold: {a,b,c} {d,e}; predicted: {a,b} {c,d,e}
    gold = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    p, r, f = bcubed(pred, gold)
    # precision per item: a,b 1; c 1/3; d,e 2/3 -> (2 + 1/3 + 4/3)/5 = 11/15
    assert math.isclose(p, 11 / 15)
    # recall per item: a,b 2/3; c 1/3; d,e 1 -> (4/3 + 1/3 + 2)/5 = 11/15
    assert math.isclose(r, 11 / 15)
    assert math.isclose(f, 11 / 15)


def test_bcubed_perfect_and_all_in_one():
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    one = {k: "z" for k in gold}
    p, r, _ = bcubed(one, gold)
    assert math.isclose(p, 0.5) and r == 1.0


def test_pairwise_f1_hand_computed():
    gold = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    # gold pairs: ab ac bc de (4); pred pairs: ab cd ce de (4); common: ab de (2)
    p, r, f = pairwise_f1(pred, gold)
    assert math.isclose(p, 0.5) and math.isclose(r, 0.5) and math.isclose(f, 0.5)


def test_metrics_reject_disjoint_items():
    with pytest.raises(ValueError):
        bcubed({"a": "1"}, {"b": "1"})


@pytest.mark.slow
def test_real_stories_batch_and_stream_f1():
    from storydesk.eval.clustering import evaluate_clustering
    from storydesk.group.embed import get_embedder

    assert DATA.exists(), f"evaluation data missing: {DATA}"
    rows = evaluate_clustering(DATA, embedder=get_embedder("minilm"))
    by = {(r["system"], r["mode"]): r for r in rows}
    print(json.dumps(rows, indent=1))
    floor = floors("cluster-duc")
    assert by[("storydesk", "batch")]["bcubed_f1"] >= floor["batch_bcubed_f1"]
    # stream: date-ordered replay, one article at a time, revised windows + end-of-run flush
    assert by[("storydesk", "stream")]["bcubed_f1"] >= floor["stream_bcubed_f1"]
    assert by[("storydesk", "stream")]["bcubed_f1"] > by[("tfidf-agglomerative", "batch")]["bcubed_f1"]
    assert by[("storydesk", "batch")]["bcubed_f1"] > by[("tfidf-agglomerative", "batch")]["bcubed_f1"]


@pytest.mark.slow
def test_look_alike_events_batch_and_stream_on_ecbplus():
    """ECB+ (#21): each topic holds two look-alike events and no publication dates; stories are events."""
    from storydesk.eval.clustering import evaluate_clustering
    from storydesk.group.embed import get_embedder

    floor = floors("cluster-ecbplus")
    rows = evaluate_clustering(data_path("cluster-ecbplus"), embedder=get_embedder("minilm"))
    by = {(r["system"], r["mode"]): r for r in rows}
    print(json.dumps(rows, indent=1))
    peer = by[("tfidf-agglomerative", "batch")]["bcubed_f1"]
    for mode in ("batch", "stream"):
        row = by[("storydesk", mode)]
        assert row["bcubed_f1"] >= floor[f"{mode}_bcubed_f1"], row
        assert row["bcubed_precision"] >= floor[f"{mode}_bcubed_precision"], row
        assert row["bcubed_f1"] > peer
