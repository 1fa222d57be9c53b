"""Stories are events (#21): look-alike happenings of one subject kept apart, linked as related.

Each test also runs a control (the same articles without the feature under test) that comes out the other
way, so that the test shows what the feature does rather than what the articles already say.
"""

import math
import re
from datetime import date

import numpy as np

from storydesk.group.cluster import ClusterOptions, StreamClusterer, cluster_articles
from storydesk.group.cluster.timing import ProfileStack, TimeProfile, article_time, pair_penalties
from storydesk.group.embed import HashingEmbedder, embed_documents
from storydesk.model import Article, publication_day

# Two runnings of one marathon, six years apart: the same subject, words and place; other winners. No
# publication dates: only the years the texts name tell the events apart.
MARATHON = {
    "2011": [
        "Pellington, May 14, 2011. Anna Koval won the Pellington harbour marathon in a course record, "
        "pulling away from the leading runners on the harbour bridge before the finish line.",
        "Anna Koval of the Northside club broke the course record at the Pellington harbour marathon on "
        "May 14, 2011, as thousands of runners crossed the harbour bridge in cool weather.",
        "The Pellington harbour marathon drew a record field of runners in 2011; Anna Koval's winning time "
        "beat the old course record by two minutes, organisers said.",
        "Organisers of the Pellington harbour marathon praised the volunteers after Anna Koval's record run "
        "in May 2011 and said the harbour bridge route would stay.",
    ],
    "2017": [
        "Pellington, May 13, 2017. Ruth Memba won the Pellington harbour marathon in searing heat as dozens "
        "of runners were treated for exhaustion near the harbour bridge.",
        "Ruth Memba of the Eastgate club won a hot Pellington harbour marathon on May 13, 2017, well outside "
        "the course record, after the leading runners slowed on the harbour bridge.",
        "Heat forced organisers of the Pellington harbour marathon to add water stations in 2017; Ruth Memba "
        "won, and medics treated runners at the finish line.",
        "Organisers of the Pellington harbour marathon defended the May 2017 start time after Ruth Memba's "
        "win in the heat, saying the harbour bridge route would stay.",
    ],
}
OFF_TOPIC = (
    "A recipe for lemon cake: whisk butter and sugar, fold in flour and grated zest, and bake for forty "
    "minutes until golden."
)


def _marathon(strip_years: bool = False) -> tuple[list[Article], dict[str, str]]:
    arts, gold = [], {}
    for year, texts in MARATHON.items():
        for i, text in enumerate(texts):
            if strip_years:
                text = re.sub(r",? (19|20)\d\d\b", "", text)
            arts.append(Article(id=f"m{year}-{i}", title="", text=text, published=None))
            gold[arts[-1].id] = year
    arts.append(Article(id="cake", title="Lemon cake", text=OFF_TOPIC, published=None))
    gold["cake"] = "cake"
    return arts, gold


def _groups(stories):
    return sorted(sorted(s.article_ids) for s in stories)


def _by_gold(gold):
    out: dict[str, list[str]] = {}
    for aid, g in gold.items():
        out.setdefault(g, []).append(aid)
    return sorted(sorted(v) for v in out.values())


# -- an article's time ---------------------------------------------------------------------------------


def test_article_time_is_the_publication_day_else_the_latest_year_named():
    dated = Article(id="a", title="", text="In 2009 the bridge opened.", published="2024-05-03")
    day = publication_day("2024-05-03")
    assert article_time(dated, ClusterOptions()) == (day, day)
    # tokenised dates as ECB+ writes them are read by the analyse stage's TIMEX tagger
    undated = Article(
        id="b", title="", text="May 03 , 2013\nThe bridge, opened in 2009, closed.", published=None
    )
    start, end = article_time(undated, ClusterOptions())
    assert (start, end) == (float(date(2013, 1, 1).toordinal()), float(date(2013, 12, 31).toordinal()))
    none = Article(
        id="c", title="", text="The bridge closed on Tuesday; 2000 people walked across.", published=None
    )
    assert all(math.isnan(x) for x in article_time(none, ClusterOptions()))  # "2000 people" is no year


def test_pair_penalty_grows_after_the_grace_period_and_costs_nothing_unknown():
    o = ClusterOptions()
    assert pair_penalties(0.0, 0.0, o.time_grace_days, o.time_grace_days, o) == 0.0
    full = o.time_grace_days + o.time_scale_days
    assert math.isclose(float(pair_penalties(0.0, 0.0, full + 100, full + 100, o)), o.time_penalty)
    half = o.time_grace_days + o.time_scale_days / 2
    assert math.isclose(float(pair_penalties(0.0, 0.0, half, half, o)), o.time_penalty / 2)
    assert pair_penalties(0.0, 0.0, math.nan, math.nan, o) == 0.0
    # overlapping intervals (a year named, a day in it) are no gap at all
    assert pair_penalties(100.0, 465.0, 300.0, 300.0, o) == 0.0


def test_time_profile_sums_match_the_pairs():
    o = ClusterOptions()
    a = TimeProfile.of([0.0, 0.0, 50.0, math.nan], [0.0, 0.0, 50.0, math.nan])
    b = TimeProfile.of([100.0, 10.0], [100.0, 10.0])
    assert a.known == 3 and b.known == 2
    pairs = [(x, y) for x in (0.0, 0.0, 50.0) for y in (100.0, 10.0)]
    want = sum(float(pair_penalties(x, x, y, y, o)) for x, y in pairs)
    assert math.isclose(a.cross(b, o), want)
    assert math.isclose((a + b).known, 5)
    assert math.isclose(
        float(a.against(np.array([100.0]), np.array([100.0]), o)[0]),
        sum(float(pair_penalties(x, x, 100.0, 100.0, o)) for x in (0.0, 0.0, 50.0)),
    )


def test_profile_stack_sums_as_the_profiles_do():
    o = ClusterOptions()
    rng = np.random.default_rng(3)
    profiles = []
    for _ in range(7):
        days = rng.integers(0, 120, rng.integers(0, 6)).astype(float)
        profiles.append(TimeProfile.of(days, days))
    stack = ProfileStack(profiles)
    probe = np.array([0.0, 50.0, 400.0])
    got = stack.against(probe, probe, o)
    want = np.array([[p.against(np.array([x]), np.array([x]), o)[0] for p in profiles] for x in probe])
    np.testing.assert_allclose(got, want)
    want = np.array([[p.cross(q, o) for q in profiles] for p in profiles])
    np.testing.assert_allclose(stack.cross(o), want)
    np.testing.assert_allclose(stack.known, [p.known for p in profiles])


# -- look-alike events kept apart, and linked as one subject -------------------------------------------


def test_look_alike_events_of_other_years_are_two_stories_and_related():
    arts, gold = _marathon()
    vecs = embed_documents(HashingEmbedder(), arts)
    stories = cluster_articles(arts, vecs)
    assert _groups(stories) == _by_gold(gold)
    by_first = {s.article_ids[0][:5]: s for s in stories}
    assert by_first["m2011"].related == (by_first["m2017"].id,)
    assert by_first["m2017"].related == (by_first["m2011"].id,)
    assert by_first["cake"].related == ()
    # control: the same texts without the years they name are one story
    arts, _ = _marathon(strip_years=True)
    merged = cluster_articles(arts, embed_documents(HashingEmbedder(), arts))
    assert sorted(len(s.article_ids) for s in merged) == [1, 8]


def test_streaming_keeps_the_look_alike_events_apart_too():
    arts, gold = _marathon()
    vecs = embed_documents(HashingEmbedder(), arts)
    sc = StreamClusterer(ClusterOptions(open_window=3, revise_every=2))
    for a, v in zip(arts, vecs, strict=True):
        sc.add(a, v)
    sc.flush()
    assert len(sc.state.window.ids) <= 3  # most articles are folded into story sums
    assert _groups(sc.stories()) == _by_gold(gold)
    stories = {s.id: s for s in sc.stories()}
    year_stories = [s for s in stories.values() if len(s.article_ids) == 4]
    assert {s.related for s in year_stories} == {(year_stories[0].id,), (year_stories[1].id,)}
    # rebuilt from what a store holds (folded sums, the window reopened): the same stories
    rebuilt = StreamClusterer.from_assignments(arts, vecs, sc.assignments(), ClusterOptions(open_window=3))
    assert rebuilt.assignments() == sc.assignments()
    assert rebuilt.flush().removed == frozenset()


# -- dated news: next month's event of the subject is another story; a late report joins its event ------

FLOOD = [
    "Floodwater from the Amber river swept through the lower town of Wexmoor, forcing families onto roofs; "
    "the fire brigade rescued forty people from the Mill Lane estate.",
    "The Amber river burst its banks at Wexmoor after two days of rain; the fire brigade evacuated the Mill "
    "Lane estate and the county opened a shelter in the school hall.",
    "Residents of the Mill Lane estate in Wexmoor returned to mud-filled homes as the Amber river fell; the "
    "county said the flood damaged three hundred houses.",
    "Insurers sent assessors to Wexmoor, where the Amber river flood ruined the Mill Lane estate; the fire "
    "brigade said pumps would run for a week.",
]
DEFENCES = [
    "The county council of Wexmoor voted to spend twelve million on defences along the Amber river, "
    "including a wall and pumping station at the quay.",
    "Councillors in Wexmoor approved new works for the Amber river: a wall at the quay, a pumping station "
    "and drains, to be built over two years.",
    "Wexmoor's plan for the Amber river quay won the council vote; engineers will design the wall and the "
    "pumping station this summer.",
    "Contractors bid for the Amber river works in Wexmoor after the council vote; the quay wall and the "
    "pumping station go first.",
]
LATE = (
    "A week after the flood, Mill Lane estate residents in Wexmoor still cannot go home; the fire brigade "
    "rescued forty people when the Amber river swept through the lower town."
)


def _wexmoor() -> list[Article]:
    arts = [
        Article(id=f"flood-{i}", title="", text=t, published=f"2024-03-0{1 + i}") for i, t in enumerate(FLOOD)
    ]
    arts += [
        Article(id=f"wall-{i}", title="", text=t, published=f"2024-04-1{1 + i}")
        for i, t in enumerate(DEFENCES)
    ]
    return arts


def _place(arts, options):
    vecs = embed_documents(HashingEmbedder(), arts)
    sc = StreamClusterer(options)
    ids = {a.id: sc.add(a, v) for a, v in zip(arts, vecs, strict=True)}
    sc.flush()
    return sc, ids


def test_next_months_event_of_the_subject_is_another_story_and_a_late_report_joins_its_event():
    arts = _wexmoor() + [Article(id="late", title="", text=LATE, published="2024-03-09")]
    options = ClusterOptions(open_window=4, revise_every=2)
    sc, _ = _place(arts, options)
    story = sc.assignments()
    assert len({story[f"flood-{i}"] for i in range(4)}) == 1
    assert len({story[f"wall-{i}"] for i in range(4)}) == 1
    assert story["flood-0"] != story["wall-0"]
    assert story["late"] == story["flood-0"]  # arrived after next month's event; joined the flood
    # control: without the time penalty the flood swallows next month's council vote
    sc, _ = _place(arts, ClusterOptions(open_window=4, revise_every=2, time_penalty=0.0))
    assert len(set(sc.assignments().values())) == 1
    # batch agrees
    vecs = embed_documents(HashingEmbedder(), arts)
    groups = _groups(cluster_articles(arts, vecs))
    assert groups == sorted(
        [sorted([f"flood-{i}" for i in range(4)] + ["late"]), sorted(f"wall-{i}" for i in range(4))]
    )


def _reports(texts: list[str], n: int) -> list[str]:
    """``n`` different reports of one event: pairs of the sentences of ``texts``, spread over all pairs."""
    pool = [s.strip().rstrip(".") for t in texts for s in re.split(r"(?<=\.) |; ", t) if s.strip()]
    pairs = [(a, b) for a in range(len(pool)) for b in range(a + 1, len(pool))]
    return [f"{pool[a]}. {pool[b]}." for a, b in pairs[:: len(pairs) // n][:n]]


def test_next_weeks_event_of_the_subject_is_another_story_and_a_late_report_joins_its_event():
    # A week apart the time penalty says (almost) nothing: the flood's coverage and the council vote a week
    # later, eight reports each, are told apart by their words once each is an established story.
    arts = [
        Article(id=f"flood-{i}", title="", text=t, published=f"2024-03-0{1 + i % 4}")
        for i, t in enumerate(_reports(FLOOD, 8))
    ]
    arts += [
        Article(id=f"wall-{i}", title="", text=t, published=f"2024-03-{8 + i % 4:02d}")
        for i, t in enumerate(_reports(DEFENCES, 8))
    ]
    arts.append(Article(id="late", title="", text=LATE, published="2024-03-12"))
    options = ClusterOptions(open_window=8, revise_every=2)  # most articles are folded before the vote
    sc, _ = _place(arts, options)
    story = sc.assignments()
    assert len({story[f"flood-{i}"] for i in range(8)}) == 1
    assert len({story[f"wall-{i}"] for i in range(8)}) == 1
    assert story["flood-0"] != story["wall-0"]
    assert story["late"] == story["flood-0"]  # arrived during the vote's coverage; joined the flood
    stories = {s.id: s for s in sc.stories()}
    assert stories[story["flood-0"]].related == (story["wall-0"],)  # one subject: the town's river
    # control: without the rules that keep established stories apart, the flood swallows the vote
    loose = ClusterOptions(open_window=8, revise_every=2, group_min_size=1000, stream_min_size=1000)
    sc, _ = _place(arts, loose)
    assert len(set(sc.assignments().values())) == 1
