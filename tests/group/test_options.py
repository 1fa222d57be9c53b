"""The group stage's options: built once from the settings, and the components follow what they are given."""

import dataclasses

import pytest

from storydesk.config import Settings
from storydesk.group import ClusterOptions, DedupOptions, GroupOptions, StoryIndex
from storydesk.group.cluster import rules as cluster_rules
from storydesk.group.dedup import DuplicateIndex
from storydesk.group.embed import EmbedderOptions, HashingEmbedder
from storydesk.model import Article


def test_options_default_to_the_rules():
    options = ClusterOptions()
    for field in dataclasses.fields(ClusterOptions):
        assert getattr(options, field.name) == getattr(cluster_rules, field.name.upper()), field.name


def test_from_settings_takes_the_thresholds_and_keeps_the_rest():
    tuned = GroupOptions.from_settings(Settings())  # cluster_threshold 0: the tuned defaults
    assert tuned == GroupOptions() and tuned.dedup.threshold == 0.8
    options = GroupOptions.from_settings(Settings(cluster_threshold=0.3, dedup_threshold=0.9))
    assert options.dedup == DedupOptions(threshold=0.9)
    assert options.cluster == dataclasses.replace(ClusterOptions(), join_threshold=0.3, stream_threshold=0.3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.cluster.open_window = 3  # type: ignore[misc]


def test_story_index_hands_its_options_to_dedup_and_clustering():
    options = GroupOptions(DedupOptions(threshold=0.5), ClusterOptions(open_window=7, revise_every=3))
    index = StoryIndex(options)
    assert index._dedup.options.threshold == 0.5
    assert index._clusterer.options.open_window == 7
    assert index._recent.maxlen == 7  # the stories still open follow the clusterer's window


def test_dedup_threshold_out_of_range_is_refused():
    with pytest.raises(ValueError, match="threshold"):
        DuplicateIndex(DedupOptions(threshold=1.5))


def test_hashing_embedder_takes_its_size_from_options():
    v = HashingEmbedder(EmbedderOptions(hash_features=64)).embed(["The harbour bridge reopened."])
    assert v.shape == (1, 64)


def test_cluster_threshold_option_changes_the_batch_result():
    from storydesk.group.cluster import cluster_articles

    text = "The harbour bridge in Kestrel Bay reopened after repairs to its northern span on Monday."
    arts = [
        Article(id="a", title="", text=text, published="2024-05-01"),
        Article(id="b", title="", text=text.replace("Monday", "Tuesday"), published="2024-05-02"),
    ]
    vectors = HashingEmbedder().embed([a.text for a in arts])
    assert len(cluster_articles(arts, vectors)) == 1
    assert len(cluster_articles(arts, vectors, options=ClusterOptions(join_threshold=1.01))) == 2
