"""The streaming story index ``ingest`` feeds: near-duplicates folded, and still weighed by the clusterer."""

from storydesk.group import ClusterOptions, GroupOptions, StoryIndex
from storydesk.group.embed import HashingEmbedder, embed_documents
from storydesk.model import Article

BRIDGE = (
    "The Harbor Bridge was closed to traffic on Monday after engineers found cracks in two of its steel "
    "supports, the city transport department said. Commuters were told to use the ferry and the tunnel "
    "while inspectors examine the span. Mayor Lena Ortiz said repairs could take several weeks and that "
    "the bridge would reopen only when engineers judged it safe. Traffic on the tunnel road backed up for "
    "miles during the evening rush as drivers looked for other ways across the river."
)
FOLLOW_UP = (
    "Engineers inspecting the Harbor Bridge found more cracks in its steel supports on Tuesday. Mayor Lena "
    "Ortiz said the city would ask the state for money to repair the span, and ferry operators added "
    "boats for commuters crossing the river."
)


def _index() -> StoryIndex:
    # a story of two or more articles takes a new one only if it is nearly as alike as its members are
    cluster = ClusterOptions(stream_threshold=0.05, stream_min_size=2, stream_ratio=0.95, revise_every=1000)
    return StoryIndex(GroupOptions(cluster=cluster))


def _add(index: StoryIndex, article: Article) -> tuple[str | None, str | None]:
    return index.add(article, embed_documents(HashingEmbedder(), [article])[0])


def test_a_copy_is_folded_but_weighs_in_its_story():
    original = Article(id="a", title="", text=BRIDGE, outlet="Daily Planet")
    copy = Article(id="a2", title="", text=BRIDGE + " (Reporting by staff.)", outlet="Evening Star")
    follow_up = Article(id="b", title="", text=FOLLOW_UP, outlet="Daily Planet")

    alone = _index()  # without the copy, the follow-up joins the one-article story (no ratio rule yet)
    story, _ = _add(alone, original)
    assert _add(alone, follow_up)[0] == story

    index = _index()
    story, _ = _add(index, original)
    assert _add(index, copy) == (story, "a")  # folded: its story is its original's
    assert index.take_duplicates() == {"a2": "a"}
    assert index.story_of("a2") == story
    # the copy is a second article of the story for the clusterer (#19): the story is now held to the
    # ratio rule, and the follow-up, far less alike than the two copies, starts a story of its own
    other, _ = _add(index, follow_up)
    assert other != story
    listed = {s.id: s.article_ids for s in index.stories()}
    assert listed == {story: ("a",), other: ("b",)}  # a copy is a member of no story
    index.flush()  # (the revision may join them again: the batch rules judge the pair differently)
    assert all("a2" not in s.article_ids for s in index.stories())
    assert index.story_of("a2") == index.story_of("a")


def test_a_story_of_copies_only_is_never_listed():
    """The clusterer may put a copy apart from its original (here: it reads document vectors only, and the
    copy's vector is unlike its original's); that story holds no member: not listed, and reported removed
    so that a store holding it drops it. The copy's story is still its original's."""
    import numpy as np

    cluster = ClusterOptions(weight_vector=1.0, weight_words=0.0, weight_names=0.0)
    index = StoryIndex(GroupOptions(cluster=cluster))
    original = Article(id="a", title="", text=BRIDGE)
    copy = Article(id="a2", title="", text=BRIDGE + " (Reporting by staff.)")
    story, _ = index.add(original, np.array([1.0, 0.0, 0.0]))
    assert index.add(copy, np.array([0.0, 1.0, 0.0])) == (story, "a")
    apart = index._clusterer.story_of("a2")
    assert apart != story  # the clusterer's own view: a story of the copy alone
    changed, removed = index.flush()
    assert apart in removed and apart not in changed and story in changed
    assert [(s.id, s.article_ids) for s in index.stories()] == [(story, ("a",))]
    assert index.story_of("a2") == story
