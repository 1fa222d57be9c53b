"""Quotations and speakers: every attribution pattern, verbatim text, roles, one item per shared quote."""

from __future__ import annotations

import json

import pytest

from _paths import FIXTURES, SHARED_DATA
from storydesk.analyse.quotes import quote_key
from storydesk.brief.facts import story_facts
from storydesk.group.embed import get_embedder
from storydesk.model import Article

CASES = json.loads((FIXTURES / "facts" / "quotes.json").read_text("utf-8"))


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


# --------------------------------------------------------------------------------------------------
# Real pages: the constructions of issue #15, as public PolNeAR articles print them
# --------------------------------------------------------------------------------------------------

POLNEAR = SHARED_DATA / "quotes" / "polnear-dev.jsonl"


def _polnear(article_id: str) -> Article:
    assert POLNEAR.exists(), f"evaluation data missing: {POLNEAR}"
    with POLNEAR.open(encoding="utf-8") as fh:
        for line in fh:
            if f'"id": "{article_id}"' in line[:200]:
                row = json.loads(line)
                return Article(id=row["id"], title=row["title"] or "", text=row["text"])
    raise AssertionError(f"{article_id} not in {POLNEAR}")


def _speakers(article_id: str) -> list[tuple[str | None, str]]:
    from storydesk.brief.facts import article_quotes

    return [(q.speaker, q.text) for q in article_quotes(_polnear(article_id))]


def _speaker_of(quotes: list[tuple[str | None, str]], start: str) -> str | None:
    hits = [speaker for speaker, text in quotes if text.startswith(start)]
    assert len(hits) == 1, (start, quotes)
    return hits[0]


@pytest.mark.parametrize(
    ("article_id", "first", "continued", "speaker", "earlier"),
    [
        # ''…,'' Jeb Bush, the former Florida governor and a Republican presidential candidate, told CNN.
        # ''…'' — after paragraphs quoting Mr. Sanders and Mrs. Clinton.
        (
            "nyt_2015-11-18_paris-attacks-test-clinton-s-str",
            "The president has admitted",
            "Hillary Clinton last night said",
            "Jeb Bush",
            ("Bernie Sanders", "Hillary Rodham Clinton"),
        ),
        # “…,” Gene Sperling, a top outside Clinton adviser, said at a recent POLITICO event … “…”
        (
            "politico_2015-12-01_could-an-accident-by-janet-yelle",
            "It is not the position",
            "I think the American people are capable",
            "Gene Sperling",
            ("Clinton",),
        ),
        # "…," Michael Briggs, a spokesman for Sanders, said in an interview Sunday in Santa Monica, Calif. "…"
        (
            "wash-post_2016-06-06_clinton-wins-puerto-rico-amid-ca",
            "They'd be wrong",
            "The reality is this is going",
            "Michael Briggs",
            ("Hillary Clinton", "Bernie Sanders"),
        ),
    ],
)
def test_quote_first_then_speaker_with_apposition_and_its_continuation(
    article_id: str, first: str, continued: str, speaker: str, earlier: tuple[str, ...]
) -> None:
    quotes = _speakers(article_id)
    assert _speaker_of(quotes, first) == speaker
    assert _speaker_of(quotes, continued) == speaker  # the next sentence's quotation: same speaker
    assert not {_speaker_of(quotes, first), _speaker_of(quotes, continued)} & set(earlier)


def test_words_between_apposition_and_verb() -> None:
    # "(Raphael Lemkin, who coined the word genocide, once said, “It happened so many times…”"
    quotes = _speakers("huff-post_2016-04-27_why-does-israel-refuse-to-recogn")
    assert _speaker_of(quotes, "It happened so many times") == "Raphael Lemkin"


def test_apposition_then_said_with_no_comma_before_the_quote() -> None:
    # 'Scott Reed, who managed Bob Dole's 1996 campaign, said "the fear is as high as it's ever been"'
    # right after a paragraph quoting Stephen Moore (the quote used to go to him).
    quotes = _speakers("wash-post_2016-03-03_push-inside-gop-to-upend-trump")
    assert _speaker_of(quotes, "the fear is as high") == "Scott Reed"
    assert _speaker_of(quotes, "For me, Trump potentially") == "Stephen Moore"


def test_doubled_apostrophes_are_quotation_marks() -> None:
    from storydesk.analyse.quotes import quoted_spans

    text = "''We will win,'' Mr. Sanders said. He called it ''a new low.''"
    assert [text[a:b] for a, b in quoted_spans(text)] == ["We will win,", "a new low."]


def test_quotes_read_the_one_parse_of_the_facts_layer(embedder) -> None:
    from storydesk.analyse._nlp import load_nlp

    real = load_nlp()
    calls = []

    class Counting:
        def __call__(self, text):
            calls.append(text)
            return real(text)

        def memory_zone(self):
            return real.memory_zone()

    articles = [
        Article(id="p1", title="", text='"The meeting was useful," Igor Morgulov told reporters on Monday.'),
        Article(id="p2", title="", text='Anna Petrova said: "The border will stay open through the winter."'),
    ]
    quotes = story_facts(articles, nlp=Counting(), embedder=embedder).quotes
    assert len(calls) == 2  # one parse per article, shared by entities and quotes
    assert {q.speaker for q in quotes} == {"Igor Morgulov", "Anna Petrova"}
