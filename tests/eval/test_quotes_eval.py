"""The who-said-what metric on hand-computed cases, and one run on a slice of PolNeAR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from _paths import SHARED_DATA
from storydesk.cli import main
from storydesk.errors import IngestError
from storydesk.eval.quotes import (
    GoldQuote,
    OutputQuote,
    evaluate_quotes,
    gold_quotes,
    names_speaker,
    quote_tokens,
    quotes_match,
    read_polnear,
    score_article,
    speaker_is_right,
    surname,
)

DATA = SHARED_DATA / "quotes" / "polnear-dev.jsonl"


def _gold(text: str, speaker: str, automatic: bool = False) -> GoldQuote:
    return GoldQuote(text, speaker, surname(speaker), automatic)


@pytest.mark.parametrize(
    ("speaker", "expected"),
    [
        ("Mr. Trump", "Trump"),
        ("Democratic presidential candidate Bernie Sanders", "Sanders"),
        ("Sen. Chuck Schumer (D-N.Y.)", "Schumer"),  # parenthesised part aside
        ("Griffin, an Obama backer", "Griffin"),  # the apposition after the comma aside
        ("Carson’s business manager, Armstrong Williams,", "Williams"),  # possessive names someone else
        ("Senator John McCain of Arizona", "McCain"),  # affiliation aside
        ("Ms. Shanklin-Hawkins", "Shanklin-Hawkins"),
        ("the crowd", None),
        ("The president", None),  # determiner and title only
        ("House Republicans", None),  # group words
    ],
)
def test_surname_of_gold_speaker(speaker: str, expected: str | None) -> None:
    assert surname(speaker) == expected


def test_texts_match_on_a_shared_stretch_of_half_the_shorter() -> None:
    gold = quote_tokens("“We are going to win this state, and we will win it big,” he said.")
    assert quotes_match(quote_tokens("We are going to win this state"), gold)  # 7 of 7 in one run
    assert quotes_match(quote_tokens("WE ARE GOING to lose"), gold)  # 4 of 5 in one run, case folded
    assert not quotes_match(quote_tokens("big win, we lose"), gold)  # 3 of 4 shared, but no run of 2
    # a bag of words would match: "the", "in", "the", "back" all occur, never two in a row
    assert not quotes_match(
        quote_tokens("put the genie back in the bottle"),
        quote_tokens("we'll put the back in the door of the house, in the end"),
    )
    assert not quotes_match([], gold)


def test_speaker_names_and_surname_containment() -> None:
    assert not names_speaker(None) and not names_speaker("he") and not names_speaker("They")
    assert names_speaker("a campaign spokesman") and names_speaker("Donald J. Trump")
    assert speaker_is_right("Donald J. Trump", "Trump")
    assert speaker_is_right("Trump's campaign", "Trump")
    assert not speaker_is_right("Trumpet Player", "Trump")  # whole words only
    assert speaker_is_right("Jennifer Shanklin-Hawkins", "Shanklin-Hawkins")


def test_score_article_hand_computed() -> None:
    gold = [
        _gold("“The plan is dead and buried,”", "Mr. Sanders"),
        _gold("“We will not raise taxes on the middle class.”", "Hillary Clinton"),
        _gold("“Nobody expected the vote to fail.”", "the crowd"),  # no surname
        _gold("“It is a disgrace.”", "Trump", automatic=True),  # speaker from CoreNLP
    ]
    output = [
        OutputQuote("The plan is dead and buried", "Bernie Sanders"),  # right
        OutputQuote(
            "We will not raise taxes on the middle class.", "Bill Clinton"
        ),  # right: contains Clinton
        OutputQuote("Nobody expected the vote to fail.", "Mitch McConnell"),  # unscored: gold has no surname
        OutputQuote("It is a disgrace.", "Jeb Bush"),  # wrong (against an automatic gold)
        OutputQuote("Something nobody annotated at all", "Jeb Bush"),  # unmatched
    ]
    c = score_article(gold, output)
    assert (c.gold_quotes, c.gold_found, c.output_quotes, c.matched) == (4, 4, 5, 4)
    assert (c.with_speaker, c.wrong_speaker, c.speaker_unscored) == (3, 1, 1)
    assert (c.with_speaker_annotated, c.wrong_speaker_annotated) == (2, 0)
    m = c.metrics()
    assert m["quote_recall"] == 1.0
    assert m["speaker_precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["misattribution"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["misattribution_annotated"] == 0.0


def test_quote_without_speaker_counts_for_recall_not_precision() -> None:
    gold = [_gold("“The plan is dead.”", "Sanders"), _gold("“Taxes will rise.”", "Clinton")]
    c = score_article(gold, [OutputQuote("The plan is dead.", None), OutputQuote("Taxes will rise", "he")])
    assert (c.gold_found, c.matched, c.with_speaker, c.wrong_speaker) == (2, 2, 0, 0)
    assert c.metrics()["quote_recall"] == 1.0 and c.metrics()["speaker_precision"] == 1.0


def test_gold_quotes_keep_direct_attributions_with_a_short_known_speaker() -> None:
    base = {"content": "“x y z”", "direct": True, "source_is_pronoun": False, "source_resolved": None}
    rows = [
        {**base, "source": "Mr. Trump"},
        {**base, "source": "a woman in the audience at a campaign event"},  # more than five words
        {**base, "source": "he", "source_is_pronoun": True, "source_resolved": "Mr. Obama"},
        {**base, "source": "she", "source_is_pronoun": True, "source_resolved": None},  # unknown
        {**base, "source": "Clinton", "direct": False},  # indirect
    ]
    got = gold_quotes(rows)
    assert [(g.speaker, g.surname, g.automatic) for g in got] == [
        ("Mr. Trump", "Trump", False),
        ("Mr. Obama", "Obama", True),
    ]


def test_read_polnear_names_file_and_line_of_a_bad_record(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "attributions": []}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(IngestError) as err:
        read_polnear(bad)
    assert f"{bad}:2" in str(err.value)


@pytest.mark.slow
def test_eval_quotes_on_a_slice_of_polnear() -> None:
    assert DATA.exists(), f"evaluation data missing: {DATA}"
    systems = ["storydesk"]
    try:
        import textacy  # noqa: F401

        systems.append("textacy")
    except ImportError:  # the [eval] extra is not installed: storydesk alone
        pass
    result = evaluate_quotes(DATA, systems=systems, limit=12, examples=2)
    assert result["task"] == "quotes"
    rows = {(r["system"], r["split"]): r for r in result["rows"]}
    assert set(rows) == {(s, split) for s in systems for split in ("all", "odd", "even")}
    for (_system, split), r in rows.items():
        assert 0.0 <= r["quote_recall"] <= 1.0 and 0.0 <= r["misattribution"] <= 1.0
        assert r["misattribution"] == pytest.approx(1 - r["speaker_precision"], abs=1e-4)
        assert r["gold_found"] <= r["gold_quotes"] and r["wrong_speaker"] <= r["with_speaker"] <= r["matched"]
        assert r["articles"] == {"all": 12, "odd": 6, "even": 6}[split]
    whole, odd, even = (rows[("storydesk", s)] for s in ("all", "odd", "even"))
    for key in ("gold_quotes", "gold_found", "output_quotes", "matched", "with_speaker", "wrong_speaker"):
        assert whole[key] == odd[key] + even[key]
    assert whole["gold_quotes"] > 20 and whole["quote_recall"] >= 0.6
    assert all(p["comparable"] is False for p in result["published"])


@pytest.mark.slow
def test_eval_quotes_cli_json_and_table(tmp_path: Path) -> None:
    assert DATA.exists(), f"evaluation data missing: {DATA}"
    data = tmp_path / "slice.jsonl"
    with DATA.open(encoding="utf-8") as fh:
        data.write_text("".join(next(fh) for _ in range(3)), encoding="utf-8")
    args = ["eval", "quotes", "--data", str(data), "--limit", "2"]
    result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["task"] == "quotes" and out["data"] == str(data)
    assert {r["system"] for r in out["rows"]} >= {"storydesk"}
    assert all(r["articles"] == 2 for r in out["rows"] if r["split"] == "all")
    table = CliRunner().invoke(main, args).stdout
    assert "quote_recall" in table and "NOT comparable" in table and "CofeNet" in table


def test_missing_textacy_skips_its_row_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "textacy", None)  # import textacy now raises ImportError
    monkeypatch.setitem(sys.modules, "textacy.extract.triples", None)
    result = evaluate_quotes(DATA, systems=("textacy",), limit=1)
    assert result["rows"] == []
    assert any("storydesk[eval]" in note for note in result["notes"])
