"""Claims across outlets: counting by outlet, wire copies, disputes on roles and numbers, no false conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storydesk.analyse import analyse_article
from storydesk.brief.corroborate import Statement, find_conflict, source_groups
from storydesk.brief.facts import story_facts
from storydesk.group.embed import get_embedder
from storydesk.model import Article

WIRE = (
    "The two leaders met for five hours at a university campus on Russky Island.\n\n"
    "They discussed the future of the peninsula and the lifting of sanctions.\n\n"
    "The visiting leader arrived on an armoured train from the border crossing."
)


def _article(aid: str, outlet: str, text: str) -> Article:
    return Article(id=aid, title=aid, text=text, outlet=outlet, published="2019-04-26")


@pytest.fixture(scope="module")
def embedder():
    return get_embedder("tfidf")


def _claims(articles, embedder):
    return story_facts(articles, embedder=embedder).claims


def test_two_copies_of_one_wire_story_are_one_source(embedder):
    a = _article("a", "Harbour Daily", WIRE)
    b = _article("b", "Valley Gazette", WIRE + "\n\nLocal traders watched the summit closely.")
    sources = source_groups([analyse_article(a), analyse_article(b)])
    assert sources["a"] == sources["b"]
    claims = _claims([a, b], embedder)
    assert not [c for c in claims if c.status == "corroborated"]
    summit = [c for c in claims if "five hours" in c.text]
    assert summit and summit[0].status == "single_source"
    assert set(summit[0].articles) == {"a", "b"}


def test_two_articles_of_one_outlet_are_one_source(embedder):
    a = _article(
        "a", "Harbour Daily", "The two leaders met for five hours at a university campus on Russky Island."
    )
    b = _article(
        "b", "harbour daily", "The two leaders met for five hours at a campus on Russky Island on Thursday."
    )
    claims = _claims([a, b], embedder)
    assert [c.status for c in claims] == ["single_source"]


def test_independent_outlets_corroborate(embedder):
    a = _article(
        "a", "Harbour Daily", "The two leaders met for five hours at a university campus on Russky Island."
    )
    b = _article(
        "b", "Valley Gazette", "The two leaders met for five hours on Russky Island at a university campus."
    )
    c = _article(
        "c", "Plains Herald", "Fishing boats returned early because of a storm warning in the north."
    )
    claims = _claims([a, b, c], embedder)
    corroborated = [x for x in claims if x.status == "corroborated"]
    assert len(corroborated) == 1
    assert set(corroborated[0].outlets) == {"Harbour Daily", "Valley Gazette"}
    assert [x.status for x in claims if "storm" in x.text] == ["single_source"]


def test_role_dispute_shows_both_sides(embedder):
    a = _article(
        "a", "Harbour Daily", "Deputy Foreign Minister Igor Morgulov greeted the delegation at the station."
    )
    b = _article(
        "b", "Valley Gazette", "Foreign Minister Igor Morgulov greeted the delegation at the station."
    )
    claims = _claims([a, b], embedder)
    disputed = [c for c in claims if c.status == "disputed"]
    assert len(disputed) == 2
    first, second = disputed
    assert claims[first.conflicts_with[0]] is second and claims[second.conflicts_with[0]] is first
    assert first.reason and first.reason.startswith("title of Igor Morgulov:")
    assert {first.reason, second.reason} == {
        "title of Igor Morgulov: Foreign Minister vs Deputy Foreign Minister",
        "title of Igor Morgulov: Deputy Foreign Minister vs Foreign Minister",
    }
    assert first.confidence is not None and first.confidence >= 0.7


def test_number_dispute(embedder):
    a = _article(
        "a", "Harbour Daily", "Trade between the two countries reached $34 million last year, officials said."
    )
    b = _article(
        "b",
        "Valley Gazette",
        "Trade between the two countries reached $48 million last year, officials said.",
    )
    claims = _claims([a, b], embedder)
    disputed = [c for c in claims if c.status == "disputed"]
    assert len(disputed) == 2
    assert "number" in (disputed[0].reason or "") and "34" in (disputed[0].reason or "")


def test_date_and_name_conflicts():
    left = Statement("a", 0, "The talks opened in Geneva on Monday with both delegations present.")
    right = Statement("b", 0, "The talks opened in Geneva on Tuesday with both delegations present.")
    conflict = find_conflict(left, right)
    assert conflict is not None and conflict.kind == "date"
    left = Statement(
        "a", 0, "The delegation was led by Anna Petrova at the border talks.", people=("Anna Petrova",)
    )
    right = Statement(
        "b", 0, "The delegation was led by Olga Ivanova at the border talks.", people=("Olga Ivanova",)
    )
    conflict = find_conflict(left, right)
    assert conflict is not None and conflict.kind == "name"


def test_no_conflict_between_unrelated_sentences(embedder):
    a = _article(
        "a", "Harbour Daily", "Trade between the two countries reached $34 million last year, officials said."
    )
    b = _article(
        "b", "Valley Gazette", "The train carried 20 carriages and 150 guards across the river bridge."
    )
    claims = _claims([a, b], embedder)
    assert not [c for c in claims if c.status == "disputed"]
    assert (
        find_conflict(
            Statement("a", 0, "Trade reached $34 million last year, officials said."),
            Statement("b", 0, "The train carried 20 carriages and 150 guards across the bridge."),
        )
        is None
    )


def test_same_numbers_reworded_is_no_conflict():
    left = Statement("a", 0, "Trade between the two countries reached $34 million last year.")
    right = Statement("b", 0, "Trade between both countries reached $34 million in the last year.")
    assert find_conflict(left, right) is None


def test_lexical_alignment_agrees_with_difflib_on_every_pair() -> None:
    """The word-bag bound only skips difflib where its ratio cannot reach ALIGN_LEXICAL."""
    from difflib import SequenceMatcher

    from storydesk.brief.corroborate.alignment import lexically_aligned
    from storydesk.brief.rules import ALIGN_LEXICAL

    texts = [
        "The two leaders met for five hours at a university campus on Russky Island.",
        "The two leaders met for five hours on Russky Island at a university campus.",
        "The two leaders met for four hours at a university campus on Russky Island.",
        "The leaders met for hours at the campus.",
        "Island Russky on campus university a at hours five for met leaders two The.",
        "They discussed the future of the peninsula and the lifting of sanctions.",
        "They discussed the peninsula's future and lifting sanctions.",
        "the the the the the the",
        "The the THE the.",
        "",
    ]
    decided = set()
    for a in texts:
        for b in texts:
            ratio = SequenceMatcher(None, a.casefold().split(), b.casefold().split(), autojunk=False).ratio()
            expected = ratio >= ALIGN_LEXICAL and bool(a.split() or b.split())
            assert lexically_aligned(a, b) == expected, (a, b, ratio)
            decided.add(expected)
    assert decided == {True, False}


def test_an_outlet_named_by_its_initials_is_one_source(shared_data: Path) -> None:
    """#15: DUC's wire copy states its outlet as "Associated Press"; another AP story read without one names
    "AP" in its dateline. One agency, one source; the New York Times and an article of unknown outlet are
    sources of their own (and a copy of an article is no source of its own)."""
    from storydesk.extract import extract_article
    from storydesk.model import RawDocument

    with (shared_data / "mds" / "duc2003.jsonl").open(encoding="utf-8") as f:
        cluster = json.loads(next(f))
    ap = [a for a in cluster["articles"] if a["outlet"] == "Associated Press" and "(AP)" in a["text"][:80]]
    nyt = [a for a in cluster["articles"] if a["outlet"] == "New York Times"]
    docs = [
        RawDocument("a", "text", ap[0]["text"], title="a", outlet="Associated Press"),
        RawDocument("b", "text", ap[1]["text"], title="b"),  # no outlet given: the dateline names "AP"
        RawDocument("c", "text", nyt[0]["text"], title="c", outlet="New York Times"),
        RawDocument("d", "text", nyt[1]["text"], title="d"),  # no outlet given, and no dateline
    ]
    articles = [extract_article(d) for d in docs]
    assert [(a.outlet, a.outlet_inferred) for a in articles] == [
        ("Associated Press", False),
        ("AP", True),
        ("New York Times", False),
        (None, False),
    ]
    keys = source_groups([analyse_article(a) for a in articles])
    a, b, c, d = (keys[x.id] for x in articles)
    assert a == b and len({a, c, d}) == 3
    copy = extract_article(RawDocument("e", "text", nyt[1]["text"], title="e", outlet="Copy Desk Weekly"))
    keys = source_groups([analyse_article(x) for x in (*articles, copy)])
    assert keys[copy.id] == keys[articles[3].id]


def _statements_claims(rows: list[tuple[str, str, str]]):
    """Claims of ``(article id, outlet, sentence)`` rows, embedded with MiniLM as a briefing embeds them."""
    from storydesk.brief.corroborate import corroborate

    statements = [Statement(aid, k, text, ()) for k, (aid, _, text) in enumerate(rows)]
    vectors = get_embedder("minilm").embed([s.text for s in statements])
    outlets = {aid: outlet for aid, outlet, _ in rows}
    return corroborate(statements, vectors, outlets, outlets)


def test_a_claim_cites_only_statements_aligned_with_each_other() -> None:
    """DUC 2004 d30055t: three meetings with the president joined in a chain (each sentence aligned with the
    next only); the first was called corroborated by all four articles, two of which tell of another
    meeting (one "though not to offer his resignation")."""
    rows = [
        (
            "apw-1009",
            "Associated Press",
            "Prodi immediately offered his resignation to President Oscar Luigi Scalfaro, who asked him to "
            "stay on as caretaker premier while the head of state decides whether to call early elections "
            "or ask someone else to be premier.",
        ),
        (
            "nyt-1009",
            "New York Times",
            "Immediately after Friday's vote of 313-312, in a tense and at times raucous session, Prodi met "
            "with President Oscar Luigi Scalfaro to submit his resignation and discuss his options.",
        ),
        (
            "nyt-1004",
            "New York Times",
            "Officials in the prime minister's office said Sunday night that Prodi would meet on Monday with "
            "President Oskar Luigi Scalfaro to discuss the political turbulence, though not to offer his "
            "resignation.",
        ),
        (
            "nyt-1005",
            "New York Times",
            "Prodi met Monday with President Oscar Luigi Scalfaro and coalition leaders to devise a strategy.",
        ),
    ]
    claims = _statements_claims(rows)
    resignation = [c for c in claims if c.text.startswith("Prodi immediately offered his resignation")]
    assert len(resignation) == 1 and resignation[0].status == "corroborated"
    assert set(resignation[0].articles) == {"apw-1009", "nyt-1009"}
    assert all(not ({"nyt-1004", "apw-1009"} <= set(c.articles)) for c in claims)


def test_a_claim_is_shown_in_the_words_its_sources_agree_on() -> None:
    """DUC 2004 d30022t: four articles say Wang was a student leader at Tiananmen in 1989; a fifth sentence,
    aligned with one of them only, says he was accused of organizing a party. It was the claim's text,
    called corroborated by all five."""
    rows = [
        (
            "nyt-1217",
            "New York Times",
            "Wang, who spent two years in prison after the 1989 student demonstrations in Tiananmen Square, "
            "was accused of organizing a political party that sought to overturn Communist Party rule and of "
            "colluding with foreign enemies of the state.",
        ),
        (
            "apw-1202",
            "Associated Press",
            "Wang was a student leader in 1989's influential Tiananmen Square democracy movement.",
        ),
        (
            "apw-1203",
            "Associated Press",
            "Wang was a student leader in the 1989 Tiananmen Square democracy demonstrations.",
        ),
        (
            "nyt-1207",
            "New York Times",
            "Wang was a student leader in the pro-democracy demonstrations in Tiananmen Square in 1989.",
        ),
        (
            "nyt-1216",
            "New York Times",
            "Wang was a leader of student demonstrations in Tiananmen Square in 1989 and served two years in "
            "prison after they were put down by military force.",
        ),
    ]
    claims = _statements_claims(rows)
    corroborated = [c for c in claims if c.status == "corroborated"]
    assert len(corroborated) == 1
    assert corroborated[0].text.startswith("Wang was a student leader")
    assert "nyt-1217" not in corroborated[0].articles
    # aligned with one of the four: left out, neither cited for the others' claim nor shown as its own
    assert not [c for c in claims if "nyt-1217" in c.articles]


def test_a_statement_aligned_with_part_of_a_claim_is_not_shown_as_one_source() -> None:
    """examples/news: three outlets give the evacuation; the shortest is aligned with one of the two others
    only. It must not be listed as what one outlet alone says."""
    rows = [
        (
            "a0",
            "Meridian Post",
            "Provincial officials said more than 2,300 residents had been moved to safety.",
        ),
        (
            "a1",
            "The Harbour Herald",
            "More than 2,300 people were evacuated from low-lying areas along the river during the day, and "
            "emergency shelters were opened in schools and sports halls in Carrowford and neighbouring towns.",
        ),
        (
            "a4",
            "Kestrel News",
            "Officials said more than 2,300 people had been evacuated since the early hours of Tuesday, and "
            "several hundred remained in emergency shelters.",
        ),
    ]
    claims = _statements_claims(rows)
    assert [c.status for c in claims] == ["corroborated"]
    assert not [c for c in claims if c.status == "single_source" and "2,300" in c.text]


def test_a_rounded_number_agrees_with_a_close_exact_one() -> None:
    """DUC 2004 d30022t: "Almost 200 dissidents signed a letter" (NYT) and "190 dissidents … demanded in an
    open letter" (AP) were shown as outlets disagreeing on the number."""
    rows = [
        (
            "apw-1202",
            "Associated Press",
            "On Wednesday, 190 dissidents from around the country demanded in an open letter that the "
            "government release Xu, Qin and Wang Youcai, saying the arrests run counter to U.N. human rights "
            "treaties China has signed over the past 14 months.",
        ),
        (
            "nyt-1202",
            "New York Times",
            "Almost 200 dissidents signed a letter to the Chinese government protesting the detentions, said "
            "the Information Center for Human Rights and Democratic Movement in Hong Kong.",
        ),
    ]
    assert not [c for c in _statements_claims(rows) if c.status == "disputed"]
    # word by word too, and a bound is no rounding: "at least 14" and "at least 17" disagree
    left = Statement("a", 0, "Almost 200 dissidents signed the letter on Wednesday.", ())
    right = Statement("b", 0, "190 dissidents signed the letter on Wednesday.", ())
    assert find_conflict(left, right) is None
    left = Statement("a", 0, "At least 14 people died when the dam burst on Tuesday.", ())
    right = Statement("b", 0, "At least 17 people died when the dam burst on Tuesday.", ())
    conflict = find_conflict(left, right)
    assert conflict is not None and conflict.kind == "number"
