"""The job's planning and its boundary rule, without a cluster: windows, read partitions, the merge rule,
the shuffle files, and the dedup steps against the single-machine rule."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pyarrow as pa

from storydesk.group.dedup import DedupOptions, DuplicateIndex, find_near_duplicates
from storydesk.ingest import read_inputs
from storydesk.model import Article, Failure, Story, publication_day
from storydesk.scale import merge_across_windows
from storydesk.scale._exchange import read_exchange, write_exchange
from storydesk.scale._plan import ReadPart, newest_by_chunk, plan_reads, plan_windows
from storydesk.scale._task_dedup import _band_keys, _signatures, _stream_newest, ingest_order, lsh_bands


def test_windows_pack_days_and_lead_in() -> None:
    days = {100.0: 4, 101.0: 4, 102.0: 9, 105.0: 2, 106.0: 3}
    plan = plan_windows(days, undated=2, window_articles=8, lead_in_days=3)
    spans = [(w.first_day, w.last_day, w.lead_from) for w in plan.windows]
    # a day is never cut: day 102 (9 articles) is a window alone
    assert spans == [(100.0, 101.0, 100.0), (102.0, 102.0, 99.0), (105.0, 106.0, 102.0)]
    assert [w.undated for w in plan.windows] == [False, False, True]
    assert plan.home(101.0) == 0 and plan.home(104.0) == 1 and plan.home(math.nan) == 2
    assert plan.leads(101.0) == [1]  # day 101 is in window 1's lead-in (99..101)
    assert plan.leads(102.0) == [2] and plan.leads(106.0) == []


def test_only_undated_articles_make_one_window() -> None:
    plan = plan_windows({}, undated=5, window_articles=8, lead_in_days=3)
    assert len(plan.windows) == 1 and plan.windows[0].undated and plan.home(math.nan) == 0


def test_a_later_story_continues_the_earlier_story_holding_most_of_its_lead_in() -> None:
    seeds = {
        "0:a": ("2019-01-01", "a1"),
        "0:b": ("2019-01-02", "b1"),
        "1:x": ("2019-01-05", "x1"),  # its lead-in: two of a's articles and one of b's
        "1:y": ("2019-01-06", "y1"),  # no lead-in: a new story
        "2:z": ("2019-01-09", "z1"),  # continues x across a second boundary
    }
    owned = {"a2": "0:a", "a3": "0:a", "b2": "0:b", "x2": "1:x"}
    leads = [("1:x", "a2"), ("1:x", "a3"), ("1:x", "b2"), ("2:z", "x2")]
    final = merge_across_windows(seeds, owned, leads)
    # named as its window's clusterer named the story with the earliest first article
    assert final["1:x"] == final["0:a"] == final["2:z"] == "a"
    assert final["0:b"] == "b"  # one window's view does not join a and b
    assert final["1:y"] == "y"


def test_two_final_stories_never_share_an_id() -> None:
    """Two windows' clusterers may name a story after the same article (a lead-in article seeds one):
    the later final story is then named after its earliest own article."""
    seeds = {"0:s": ("2019-01-01", "a1"), "1:s": ("2019-01-05", "x1")}
    final = merge_across_windows(seeds, {}, [])
    assert final == {"0:s": "s", "1:s": Story.make_id("x1")}


def test_a_tie_goes_to_the_earlier_story() -> None:
    seeds = {"0:a": ("2019-01-02", "a1"), "0:b": ("2019-01-01", "b1"), "1:x": ("2019-01-05", "x1")}
    final = merge_across_windows(seeds, {"a2": "0:a", "b2": "0:b"}, [("1:x", "a2"), ("1:x", "b2")])
    assert final["1:x"] == final["0:b"] != final["0:a"]


def test_shuffle_files_hand_each_part_its_rows(tmp_path: Path) -> None:
    write_exchange(pa.table({"v": list(range(6))}), np.array([2, 0, 2, 1, 0, 2]), tmp_path / "m0.parquet")
    write_exchange(pa.table({"v": [10, 11]}), np.array([1, 1]), tmp_path / "m1.parquet")
    maps = [tmp_path / "m0.parquet", tmp_path / "m1.parquet"]
    got = {
        k: (t.column("v").to_pylist() if (t := read_exchange(maps, k)) is not None else None)
        for k in range(4)
    }
    assert got == {0: [1, 4], 1: [3, 10, 11], 2: [0, 2, 5], 3: None}


def test_large_jsonl_is_planned_in_line_ranges_read_as_a_whole_read_reads_them(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"Article number {i}. " * 20, "title": f"T{i}"}) for i in range(40)]
    lines[17] = "{broken"
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines) + "\n")
    (tmp_path / "small.txt").write_text("A title\n\nSome text of a small article. " * 5)
    plan = plan_reads([tmp_path], partition_files=64, split_bytes=2000, min_split_bytes=1000)
    parts = [p for p in plan if isinstance(p, ReadPart)]
    ranged = [p for p in parts if p.part is not None]
    assert len(ranged) >= 3 and all(p.files == (str(path),) for p in ranged)
    from storydesk.ingest import read_file

    pieces = [item for p in parts for f in p.files for item in read_file(Path(f), part=p.part)]
    assert pieces == list(read_inputs([tmp_path]))


def test_dedup_by_components_equals_ingest_streaming_rule(shared_data: Path) -> None:
    """Articles grouped by the LSH bands' connected components, each component decided alone by the
    streaming index fed in ``ingest``'s order (chunks of the input, each in publication order), give
    exactly what one streaming index over all articles gives, as ``ingest`` feeds it."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    rows = [json.loads(x) for x in (shared_data / "stories" / "duc-stories.jsonl").open()][:400]
    articles = [Article(r["id"], "", r["text"], published=r.get("published")) for r in rows]
    # plant copies: a lightly edited re-post of every tenth article, some dated the same day and longer
    # (the batch rule would make them canonical; the stream keeps whichever comes first)
    for i in range(0, 400, 10):
        a = articles[i]
        text = "Updated. " + a.text if i % 20 else a.text + " More to come."
        articles.append(Article(a.id + "-copy", "", text, published=a.published))
    articles.insert(5, articles.pop())  # a copy that arrives before its original
    options = DedupOptions()
    chunk = 64
    order = sorted(range(len(articles)), key=lambda i: ingest_order(i, articles[i], chunk))
    stream = DuplicateIndex(options)
    whole = {articles[i].id: c for i in order if (c := stream.add(articles[i])) is not None}
    assert len(whole) >= 40
    assert whole != find_near_duplicates(articles, options)  # the orders differ, so do the canonicals

    bands, r = lsh_bands(max(0.1, options.threshold - options.lsh_slack), options.num_perm)
    keys = _band_keys(_signatures([a.text for a in articles], options.num_perm), bands, r)
    n = len(articles)
    bucket = keys.reshape(-1)
    doc = np.repeat(np.arange(n), bands)
    by_bucket = np.lexsort((doc, bucket))
    same = bucket[by_bucket][1:] == bucket[by_bucket][:-1]
    a_, b_ = doc[by_bucket][:-1][same], doc[by_bucket][1:][same]
    _, labels = connected_components(
        sp.coo_matrix((np.ones(len(a_)), (a_, b_)), shape=(n, n)), directed=False
    )
    by_component: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        by_component.setdefault(int(label), []).append(i)
    days = [[publication_day(a.published) for a in articles]]
    newest = newest_by_chunk(days, [0], chunk)
    pieces: dict[str, str] = {}
    for members in by_component.values():
        index = DuplicateIndex(options)
        for i in sorted(members, key=lambda i: ingest_order(i, articles[i], chunk)):
            seen = _stream_newest(i, days[0][i], chunk, newest)
            if (c := index.add(articles[i], newest=seen)) is not None:
                pieces[articles[i].id] = c
    assert pieces == whole


def test_a_named_pipe_is_refused_with_its_name(tmp_path: Path) -> None:
    """``ingest`` reads a pipe named on its command line; the job's workers open inputs by name, so the
    plan refuses it in its place, one line, and plans the rest."""
    import os

    pipe = tmp_path / "feed.jsonl"
    os.mkfifo(pipe)
    (tmp_path / "a.txt").write_text("A title\n\nSome text of a small article.")
    plan = plan_reads([pipe, tmp_path / "a.txt"], partition_files=64, split_bytes=2**20)
    assert isinstance(plan[0], Failure) and plan[0].origin == str(pipe) and "pipe" in plan[0].reason
    assert plan[1] == ReadPart((str(tmp_path / "a.txt"),))
