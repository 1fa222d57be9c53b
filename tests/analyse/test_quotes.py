"""Quotations and speakers: every attribution pattern, verbatim text, roles, one item per shared quote."""

from __future__ import annotations

import json

import pytest

from _paths import FIXTURES
from storydesk.analyse.quotes import quote_key
from storydesk.brief.facts import story_facts
from storydesk.group.embed import get_embedder
from storydesk.model import Article

CASES = json.loads(
    (FIXTURES / "facts" / "quotes.json").read_text("utf-8")
)


@pytest.fixture(scope="module")
def embedder():
    return get_embedder("tfidf")


def _quotes(texts, embedder, outlets=None):
    articles = [
        Article(id=f"q{i}", title="", text=t, outlet=(outlets or [f"O{i}" for i in range(len(texts))])[i])
        for i, t in enumerate(texts)
    ]
    return story_facts(articles, embedder=embedder).quotes


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_fixture_case(case, embedder):
    quotes = _quotes([case["text"]], embedder)
    got = sorted((quote_key(q.text), q.speaker) for q in quotes)
    assert got == sorted((quote_key(e["text"]), e["speaker"]) for e in case["expected"])
    for q in quotes:
        for part in q.text.split(" ") if "\n" in case["text"] else [q.text]:
            assert part in case["text"]  # verbatim, never rewritten
    roles = {e["speaker"]: e["role"] for e in case["expected"] if "role" in e}
    for q in quotes:
        if q.speaker in roles:
            assert q.role == roles[q.speaker]


def test_pronoun_resolves_to_canonical_actor_across_story(embedder):
    quotes = _quotes(
        [
            "Vladimir Putin hosted the talks in Vladivostok.",
            'Putin greeted the guests. "We are ready to help with guarantees," he said.',
        ],
        embedder,
    )
    assert [(q.speaker, q.text) for q in quotes] == [
        ("Vladimir Putin", "We are ready to help with guarantees")
    ]


def test_same_quote_in_several_articles_is_one_item(embedder):
    quotes = _quotes(
        [
            "“The talks were very substantive and open,” Putin said after the meeting.",
            'Vladimir Putin praised the meeting. "The talks were very substantive, and open," he told reporters.',
        ],
        embedder,
    )
    assert len(quotes) == 1
    assert quotes[0].articles == ("q0", "q1")
    assert quotes[0].speaker == "Vladimir Putin"


def test_role_comes_from_elsewhere_in_the_article(embedder):
    quotes = _quotes(
        [
            'Russian President Vladimir Putin met the delegation. "It was a long day for everybody," Putin said.'
        ],
        embedder,
    )
    assert quotes[0].speaker == "Vladimir Putin" and quotes[0].role == "Russian President"


def test_unattributed_long_quotation_is_not_given_a_speaker(embedder):
    quotes = _quotes(['The banner read "Peace for the valley and bread for all" above the gate.'], embedder)
    assert quotes == ()
