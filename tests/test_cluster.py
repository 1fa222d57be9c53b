import json

import numpy as np
import pytest

from storydesk.cluster import StreamClusterer, cluster_articles, extract_names
from storydesk.embed import HashingEmbedder, embed_documents, get_embedder
from storydesk.model import Article, Story

STORIES = {
    "quake": [
        "An earthquake of magnitude 6.1 struck the mountain province of Veloria on Monday, collapsing homes in the town of Castel Brun. Rescue teams from the Red Lantern Society searched the rubble for survivors.",
        "Rescuers in Castel Brun pulled two survivors from collapsed homes a day after the Veloria earthquake. The Red Lantern Society said the death toll from the earthquake had risen to forty.",
        "Aftershocks rattled Veloria as the Red Lantern Society set up tents for families made homeless by the earthquake that flattened much of Castel Brun.",
        "The government of Veloria declared three days of mourning for victims of the earthquake in Castel Brun and promised rebuilding funds for collapsed homes.",
    ],
    "merger": [
        "Shipping group Nordhavn Lines agreed to buy its rival Kestrel Freight for four billion dollars, creating the largest container carrier on the Baltic routes.",
        "Shares in Kestrel Freight jumped after Nordhavn Lines announced the takeover deal; analysts said regulators would examine the merger of the container carriers.",
        "Competition regulators opened an inquiry into the Nordhavn Lines takeover of Kestrel Freight, citing concerns about container shipping prices on Baltic routes.",
        "Unions at Kestrel Freight warned of strikes over job cuts they fear will follow the merger with Nordhavn Lines, the container shipping giant.",
    ],
    "election": [
        "Voters in the republic of Ostravia elect a new parliament on Sunday, with Prime Minister Lena Varga seeking a third term against the opposition leader Tomas Brill.",
        "Lena Varga's party led the Ostravia parliamentary election count, but Tomas Brill refused to concede and alleged irregularities at polling stations.",
        "Election observers in Ostravia said the vote was largely fair, rejecting claims by Tomas Brill; Prime Minister Lena Varga prepared to form a coalition.",
        "Lena Varga was sworn in for a third term as Ostravia's prime minister after the parliament approved her coalition; Tomas Brill boycotted the session.",
    ],
}
OFF_TOPIC = "A recipe for lemon cake: whisk butter and sugar, fold in flour and grated zest, and bake for forty minutes until golden."


def _articles():
    arts, gold = [], {}
    day = 1
    for story, texts in STORIES.items():
        for i, text in enumerate(texts):
            a = Article(id=f"{story}-{i}", title="", text=text, published=f"2024-05-{day:02d}")
            arts.append(a)
            gold[a.id] = story
            day += 1
    arts.append(Article(id="cake", title="Lemon cake", text=OFF_TOPIC, published="2024-05-07"))
    gold["cake"] = "cake"
    return arts, gold


def _partition(groups):
    return sorted(sorted(g) for g in groups)


def test_extract_names_skips_sentence_starters():
    names = extract_names("The storm hit Castel Brun. Officials said Prime Minister Lena Varga would visit.")
    assert "castel_brun" in names and "prime_minister_lena_varga" in names
    assert "officials" not in names and "the" not in names


def test_batch_separates_three_stories_and_leaves_off_topic_alone():
    arts, gold = _articles()
    vecs = embed_documents(HashingEmbedder(), arts)
    stories = cluster_articles(arts, vecs)
    expected = {}
    for aid, g in gold.items():
        expected.setdefault(g, []).append(aid)
    assert _partition(s.article_ids for s in stories) == _partition(expected.values())
    assert [len(s.article_ids) for s in stories] == [4, 4, 4, 1]
    by_first = {s.article_ids[0]: s.id for s in stories}
    assert by_first["quake-0"] == Story.make_id("quake-0")


def test_stream_matches_batch_and_ids_are_stable():
    arts, _ = _articles()
    order = sorted(arts, key=lambda a: a.published)
    vecs = embed_documents(HashingEmbedder(), order)
    sc = StreamClusterer()
    first_ids = {}
    for a, v in zip(order, vecs, strict=True):
        sid = sc.add(a, v)
        first_ids.setdefault(a.id.split("-")[0], sid)
        assert first_ids[a.id.split("-")[0]] == sid  # a story's id never changes as it grows
    changes = sc.flush()
    assert changes.removed == frozenset()
    assert changes.changed == {s.id for s in sc.stories()}
    assert sc.flush().changed == frozenset()  # nothing new since the last flush
    batch = cluster_articles(order, vecs)
    assert _partition(s.article_ids for s in sc.stories()) == _partition(s.article_ids for s in batch)
    assert {s.id for s in sc.stories()} == {s.id for s in batch}

    # rebuilt from stored assignments, it continues the same way
    rebuilt = StreamClusterer.from_assignments(order[:-1], vecs[:-1], sc.assignments())
    assert rebuilt.add(order[-1], vecs[-1]) == sc.assignments()[order[-1].id]
    assert _partition(s.article_ids for s in rebuilt.stories()) == _partition(
        s.article_ids for s in sc.stories()
    )


def test_empty_and_mismatched_inputs():
    assert cluster_articles([], np.zeros((0, 4))) == []
    arts, _ = _articles()
    try:
        cluster_articles(arts, np.zeros((2, 4), dtype=np.float32))
    except ValueError as exc:
        assert "vectors" in str(exc)
    else:
        raise AssertionError("mismatched vectors accepted")


def _mixed(mixed_jsonl):
    rows = [json.loads(line) for line in mixed_jsonl.read_text(encoding="utf-8").splitlines()]
    arts = [
        Article(id=f"a{i}", title=r["title"], text=r["text"], published=r["published"])
        for i, r in enumerate(rows)
    ]
    return sorted(arts, key=lambda a: (a.published, a.id))


@pytest.mark.parametrize("embedder", ["tfidf", "minilm"])
def test_two_small_stories_streamed_together_stay_apart(mixed_jsonl, embedder):
    # two 4-article stories published on the same days, interleaved, plus one off-topic article: with
    # so few articles almost every word is rare, and IDF cuts made the two stories look alike
    arts = _mixed(mixed_jsonl)
    vecs = embed_documents(get_embedder(embedder), arts)
    expected = _partition(
        [[a.id for a in arts if "Flood" in a.title], [a.id for a in arts if "Bridge" in a.title], ["a8"]]
    )
    batch = cluster_articles(arts, vecs)
    assert _partition(s.article_ids for s in batch) == expected
    sc = StreamClusterer()
    for a, v in zip(arts, vecs, strict=True):
        sc.add(a, v)
    sc.flush()
    assert _partition(s.article_ids for s in sc.stories()) == expected
    assert sorted(len(s.article_ids) for s in sc.stories()) == [1, 4, 4]
    assert {s.id for s in sc.stories()} == {s.id for s in batch}


def test_revision_moves_a_misplaced_article_and_reports_removed_story():
    arts, gold = _articles()
    vecs = embed_documents(HashingEmbedder(), arts)
    by_id = dict(zip([a.id for a in arts], vecs, strict=True))
    # stored state with a wrong split: merger-3 alone in its own story, quake-0 stored with the elections
    assign = {a.id: Story.make_id(f"{gold[a.id]}-0") for a in arts}
    assign["merger-3"] = Story.make_id("merger-3")
    assign["quake-0"] = Story.make_id("election-0")
    assign["quake-1"] = Story.make_id("quake-1")
    assign["quake-2"] = Story.make_id("quake-1")
    assign["quake-3"] = Story.make_id("quake-1")
    sc = StreamClusterer.from_assignments(arts, np.stack([by_id[a.id] for a in arts]), assign)
    changes = sc.flush()
    parts = _partition(s.article_ids for s in sc.stories())
    expected = {}
    for aid, g in gold.items():
        expected.setdefault(g, []).append(aid)
    assert parts == _partition(expected.values())
    assert Story.make_id("merger-3") in changes.removed
    assert sc.story_of("merger-3") == Story.make_id("merger-0")  # the larger overlap keeps its id
    assert sc.story_of("quake-0") == Story.make_id("quake-1")
    assert Story.make_id("election-0") in changes.changed


def test_old_articles_are_folded_into_story_sums(monkeypatch):
    from storydesk import _cluster_rules as rules

    monkeypatch.setattr(rules, "OPEN_WINDOW", 3)
    monkeypatch.setattr(rules, "REVISE_EVERY", 2)
    arts, _ = _articles()
    order = sorted(arts, key=lambda a: a.published)
    vecs = embed_documents(HashingEmbedder(), order)
    sc = StreamClusterer()
    for a, v in zip(order, vecs, strict=True):
        sc.add(a, v)
    sc.flush()
    assert len(sc._open) <= 3  # only the window keeps rows
    assert sorted(len(s.article_ids) for s in sc.stories()) == [1, 4, 4, 4]
    rebuilt = StreamClusterer.from_assignments(order, vecs, sc.assignments())
    assert rebuilt.assignments() == sc.assignments()
    assert rebuilt.flush().removed == frozenset()
