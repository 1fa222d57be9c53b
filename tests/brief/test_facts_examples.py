"""The facts layer on the sample corpus (examples/news): planted disputes, agreed facts and actor types.

Stories are grouped from examples/expected.json (not by clustering), and the wire copy is folded as the
pipeline folds it, so corroboration is counted over distinct outlets.
"""

from __future__ import annotations

import json
import re

import pytest

from _paths import REPO
from storydesk.brief.facts import StoryFacts, story_facts
from storydesk.config import Settings
from storydesk.model import Article
from storydesk.pipeline import Components, read_articles

ROOT = REPO
EXAMPLES = ROOT / "examples"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))

# Loads spaCy and MiniLM and runs the facts layer on 15 articles (about 20 s on the shared machine).
pytestmark = pytest.mark.slow


def _digits(value: str) -> str:
    match = re.search(r"\d[\d,.]*", value)
    assert match, value
    return match.group()


def _find(articles: list[Article], name: str) -> Article:
    meta = EXPECTED["articles"][name]
    for a in articles:
        if meta["url"] and a.url == meta["url"]:
            return a
        if not meta["url"] and a.path and a.path.endswith(name):
            return a
    raise KeyError(name)


@pytest.fixture(scope="module")
def stories() -> dict[str, tuple[StoryFacts, dict[str, str]]]:
    """Facts per expected story, and each example name → article id."""
    articles = [a for a in read_articles([EXAMPLES / "news"], Settings()) if isinstance(a, Article)]
    components = Components(Settings())
    copies = {c for group in EXPECTED["syndicated"] for c in group[1:]}
    out = {}
    for story, names in EXPECTED["stories"].items():
        members = [_find(articles, n) for n in names if n not in copies]
        facts = story_facts(members, nlp=components.nlp, embedder=components.embedder)
        out[story] = (facts, {n: _find(articles, n).id for n in names})
    return out


def _disputes(facts: StoryFacts):
    return [c for c in facts.claims if c.status == "disputed"]


@pytest.mark.parametrize("planted", EXPECTED["planted"]["disputed"], ids=lambda p: p["claim"])
def test_planted_number_disputes_show_both_sides(stories, planted):
    facts, ids = stories[planted["story"]]
    (left_name, left_value), (right_name, right_value) = planted["values"].items()
    found = []
    for k, claim in enumerate(facts.claims):
        if claim.status != "disputed" or ids[left_name] not in claim.articles:
            continue
        other = facts.claims[claim.conflicts_with[0]]
        assert other.conflicts_with == (k,)
        if ids[right_name] in other.articles:
            found.append((claim, other))
    assert len(found) == 1, [c.reason for c in _disputes(facts)]
    claim, other = found[0]
    left, right = _digits(left_value), _digits(right_value)
    assert claim.reason and claim.reason.startswith("number:")
    said, _, against = claim.reason.partition(" vs ")
    assert left in said and right in against
    assert other.reason and other.reason.startswith("number:")
    said, _, against = other.reason.partition(" vs ")
    assert right in said and left in against
    assert left_value.replace("just under ", "") in claim.text and right in other.text


def test_planted_number_dispute_reasons(stories):
    trade = [c.reason for c in _disputes(stories["brastov-summit"][0]) if c.reason.startswith("number")]
    assert sorted(trade) == ["number: $34 million vs $48 million", "number: $48 million vs $34 million"]
    toll = [c.reason for c in _disputes(stories["aldmere-dam-flood"][0]) if c.reason.startswith("number")]
    assert sorted(toll) == ["number: 14 people vs 17 people", "number: 17 people vs 14 people"]


def test_wrong_title_is_a_title_dispute(stories):
    planted = EXPECTED["planted"]["wrong_title"][0]
    facts, ids = stories[planted["story"]]
    titles = [c for c in _disputes(facts) if (c.reason or "").startswith("title of Pavel Dronov:")]
    assert len(titles) == 2
    wrong = next(c for c in titles if ids[planted["article"]] in c.articles)
    right = facts.claims[wrong.conflicts_with[0]]
    assert facts.claims[right.conflicts_with[0]] is wrong
    assert wrong.reason == "title of Pavel Dronov: Foreign Minister vs Deputy Foreign Minister"
    assert right.reason == "title of Pavel Dronov: Deputy Foreign Minister vs Foreign Minister"
    assert "Foreign Minister Pavel Dronov" in wrong.text and "Deputy" not in wrong.text
    assert "Deputy Foreign Minister Pavel Dronov" in right.text
    correct = {ids[n] for n in planted["correct_in"]}
    assert set(right.articles) <= correct and len(right.outlets) >= 2
    assert ids[planted["article"]] not in right.articles


@pytest.mark.parametrize("planted", EXPECTED["planted"]["corroborated"], ids=lambda p: p["text"])
def test_agreed_facts_are_corroborated(stories, planted):
    facts, ids = stories[planted["story"]]
    planted_ids = {ids[n] for n in planted["articles"]}
    hits = [
        c
        for c in facts.claims
        if c.status == "corroborated"
        and planted["text"].casefold() in c.text.casefold()
        and len(set(c.articles) & planted_ids) >= 2
    ]
    assert hits, [
        (c.status, c.text[:80]) for c in facts.claims if planted["text"].casefold() in c.text.casefold()
    ]
    assert len(hits[0].outlets) >= 2


def test_no_dispute_between_unrelated_sentences(stories):
    for story, (facts, _) in stories.items():
        disputes = _disputes(facts)
        assert len(disputes) % 2 == 0 and len(disputes) <= 4, (story, [c.reason for c in disputes])
        for c in disputes:
            assert c.reason and c.conflicts_with
            assert c.reason.startswith(("number:", "title of", "date:", "name:", "role:"))
    assert not _disputes(stories["quillon-data-breach"][0])


def test_single_source_facts_stay_single_source(stories):
    for planted in EXPECTED["planted"]["single_source"]:
        facts, _ = stories[planted["story"]]
        hits = [c for c in facts.claims if planted["text"] in c.text]
        assert all(c.status == "single_source" for c in hits), planted


def _types(facts: StoryFacts) -> dict[str, str]:
    return {e.name: e.type for e in facts.entities}


def test_actor_types_and_merges(stories):
    summit = stories["brastov-summit"][0]
    types = _types(summit)
    assert types["Dario Velkan"] == "PERSON" and "Velkan" not in types
    assert types["Brastov"] == "GPE"
    assert "Sorang" not in types or types["Sorang"] == "GPE"
    assert types.get("Republic of Sorang", "GPE") == "GPE"
    assert types["Pavel Dronov"] == "PERSON"
    flood = _types(stories["aldmere-dam-flood"][0])
    assert flood["Helena Marsh"] == "PERSON" and "Marsh" not in flood
    assert flood["Carrowford"] == "GPE"
    breach = _types(stories["quillon-data-breach"][0])
    assert breach["Blackfen Labs"] == "ORG" and breach["Marcus Hale"] == "PERSON"
    assert breach["Elena Whitcombe"] == "PERSON" and "Whitcombe" not in breach


def test_timeline_skips_quoted_yesterday_and_reads_future_modals(stories):
    flood = stories["aldmere-dam-flood"][0]
    assert not [e for e in flood.timeline if e.text.startswith("Where there were houses yesterday")]
    may = [e for e in flood.timeline if "by the end of May" in e.text]
    assert may and all(e.date == "2019-05" for e in may)
    summit = stories["brastov-summit"][0]
    leave = [e for e in summit.timeline if "expected to leave Brastov on Friday" in e.text]
    assert leave and all(e.date == "2019-04-26" for e in leave)
