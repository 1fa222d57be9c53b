"""What a sentence asserts, and the hard rule that its cited sentences must contain it."""

from __future__ import annotations

from storydesk.brief.verify import OfflineChecker, find_unfound
from storydesk.brief.verify._text import analyse, normalise, number_values
from storydesk.brief.verify.rules import SUPPORT_THRESHOLD
from storydesk.group.embed import get_embedder


def test_normalise_undoes_treebank_spacing_and_unifies_marks() -> None:
    assert (
        normalise("Kilmarnock 's manager did n't go , he said .")
        == "Kilmarnock's manager didn't go, he said."
    )
    assert normalise("a `` great moment '' for Palace") == 'a "great moment" for Palace'
    assert normalise("she called it ` inseparable ' then") == "she called it 'inseparable' then"
    # a spaced dash joins its words, as a Treebank hyphen ("semi - final") would: only matching reads it
    assert normalise("“Never”, she said — twice.") == '"Never", she said-twice.'
    assert normalise("won 2 - 1 and £ 10million") == "won 2-1 and £10million"


def test_numbers_are_compared_as_values() -> None:
    assert number_values("3,200 people, twelve injured, 1.50 dollars, 10, 000 fans") == {
        "3200",
        "12",
        "1.5",
        "10000",
    }


def test_analyse_finds_names_numbers_dates_quotes_and_negation() -> None:
    c = analyse(
        'Gary Locke said on Saturday that Kilmarnock "will not give up" and did not sign 3 players last summer.'
    )
    assert c.names == ("Gary", "Locke", "Kilmarnock")
    assert c.numbers == ("3",)
    assert c.dates == ("saturday", "last summer")
    assert c.quotes == ("will not give up",)
    assert c.negations == 2
    # a capitalised word opening a sentence alone is not taken for a name; "May" the month is a date
    c = analyse("Officials may close the road. In May the river rose.")
    assert c.names == () and c.dates == ("may",)


def test_hard_rule_finds_what_the_cited_sentences_lack() -> None:
    cited = [
        'Mayor Anna Lindqvist said the town had "never seen the river this high" on Monday, when 3,200 left.'
    ]
    ok = analyse(
        "Anna Lindqvist said on Monday the town had “never seen the river this high”; 3200 people left."
    )
    assert find_unfound(ok, cited) == []
    bad = analyse(
        'Mayor Erik Lindqvist said on Tuesday the town had "never seen the water this high"; 4,000 left.'
    )
    found = {(u.kind, u.text) for u in find_unfound(bad, cited)}
    assert found == {
        ("name", "Erik"),
        ("date", "tuesday"),
        ("number", "4000"),
        ("quote", "never seen the water this high"),
    }


def test_offline_score_separates_support_from_invention() -> None:
    checker = OfflineChecker(get_embedder("minilm"))
    evidence = ["The regional council opened two emergency shelters in school halls on Monday."]
    supported, unrelated, negated = checker.score(
        [
            "The council opened two emergency shelters in school halls.",
            "The council closed every school in the region for a week.",
            "The council did not open any emergency shelters.",
        ],
        [evidence] * 3,
    )
    assert supported >= SUPPORT_THRESHOLD
    assert unrelated < SUPPORT_THRESHOLD and negated < SUPPORT_THRESHOLD
    # no evidence at all: nothing supports the sentence
    assert checker.score(["Anything at all."], [[]])[0] < SUPPORT_THRESHOLD
