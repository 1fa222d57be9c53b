"""#17: a re-brief's claims cost in proportion to what joined the story, and are the same as from scratch.

On a real story (duc-stories' largest gold story, hashed TF-IDF vectors so no model is loaded): the pairs
the screen settles without a decision are all "apart" (so the alignment is unchanged), it settles most
of them, and a story re-briefed after one article joins decides again only the pairs that article brings
(or whose shared rare names changed), with the same claims as a cold run.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from storydesk.analyse.sentences import split_sentences
from storydesk.brief.corroborate import ClaimOptions, Statement, corroborate, memo
from storydesk.brief.corroborate.alignment import decide_pair, rare_names
from storydesk.brief.corroborate.claims import clear_decisions
from storydesk.brief.corroborate.screen import pairs_to_decide
from storydesk.brief.corroborate.words import names
from storydesk.group.embed import get_embedder
from storydesk.model import Article

OPTIONS = ClaimOptions()
#: Hashed TF-IDF cosines run lower than MiniLM's: with these, a dozen articles give thousands of candidate
#: pairs, as MiniLM's do with the defaults.
LOOSE = ClaimOptions(anchor_align_cosine=0.2, name_anchor_align_cosine=0.2, paraphrase_dispute_cosine=0.4)


@pytest.fixture(scope="module")
def story(shared_data: Path) -> list[Article]:
    """The articles of duc-stories' largest gold story, oldest first."""
    with (shared_data / "stories" / "duc-stories.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    largest, _ = Counter(r["story"] for r in rows).most_common(1)[0]
    mine = sorted((r for r in rows if r["story"] == largest), key=lambda r: (r["published"] or "", r["id"]))
    return [
        Article(
            id=r["id"], title=r["title"] or "", text=r["text"], outlet=r["outlet"], published=r["published"]
        )
        for r in mine
    ]


def _statements(articles: list[Article]) -> list[Statement]:
    return [
        Statement(a.id, s.index, s.text)
        for a in articles
        for s in split_sentences(a)
        if OPTIONS.is_claim(s.text)
    ]


def _vectors(sts: list[Statement]) -> np.ndarray:
    return np.asarray(get_embedder("tfidf").embed([s.text for s in sts]), dtype=np.float32)


def _candidates(sts: list[Statement], sims: np.ndarray) -> Iterator[tuple[int, int]]:
    low = min(OPTIONS.align_cosine, OPTIONS.dispute_cosine, OPTIONS.anchor_align_cosine)
    rows, cols = np.nonzero(np.triu(sims >= low * 0.75, k=1))
    return zip(rows.tolist(), cols.tolist(), strict=True)


@pytest.mark.parametrize(
    "options, all_names_rare",
    [
        (OPTIONS, False),
        (OPTIONS, True),  # every name rare: the anchors' bound is exercised on many more pairs
        (ClaimOptions(align_lexical=0.4, anchor_align_weight=0.5, align_cosine=0.5), False),  # looser
    ],
)
def test_the_pairs_settled_without_a_decision_are_all_apart(
    story: list[Article], options: ClaimOptions, all_names_rare: bool
) -> None:
    sts = _statements(story[:12])
    # Cosines drawn at random (symmetric, float32 as the product gives them): the screen must be right
    # whatever the vectors say, and pairs that only words or anchors can join meet every band.
    rng = np.random.default_rng(17)
    sims = rng.uniform(0.2, 0.6, (len(sts), len(sts))).astype(np.float32)
    sims = np.triu(sims) + np.triu(sims, k=1).T
    rare = {n for s in sts for n in names(s.text)} if all_names_rare else rare_names(sts, options)
    rows, cols = np.triu_indices(len(sts), k=1)  # every pair, not only the candidates: cosines of all sizes
    keep = pairs_to_decide(sts, sims, rows, cols, rare, options)
    high = min(options.dispute_cosine, options.paraphrase_dispute_cosine, options.align_cosine)
    outcomes: Counter[tuple[bool, str]] = Counter()
    below: Counter[bool] = Counter()
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        a, b = sts[i], sts[j]
        if a.article_id == b.article_id:
            assert not keep[k]
            continue
        decision, _ = decide_pair(a, b, float(sims[i, j]), False, rare, options)
        outcomes[bool(keep[k]), decision] += 1
        if decision != "apart" and sims[i, j] < high:
            below[bool(keep[k])] += 1
    assert outcomes[False, "align"] == outcomes[False, "dispute"] == 0, outcomes
    assert outcomes[True, "align"] > 0  # the story has claims to align …
    assert below[True] > 0  # … some of them below every cosine threshold (by words or anchors) …
    settled = outcomes[False, "apart"]
    assert settled > 2 * sum(n for (kept, _), n in outcomes.items() if kept)  # … and most pairs are settled


def test_a_grown_story_decides_only_the_new_articles_pairs(
    story: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = story[:-1], story[-1]
    before, after = _statements(old), _statements([*old, new])
    sources = {a.id: a.outlet or a.id for a in story}
    outlets = {a.id: a.outlet for a in story}
    decided: list[tuple[Statement, Statement, float]] = []

    def counted(a: Statement, b: Statement, cos: float, *args: object) -> object:
        decided.append((a, b, cos))
        return decide_pair(a, b, cos, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(memo, "decide_pair", counted)
    clear_decisions()
    corroborate(before, _vectors(before), sources, outlets, options=LOOSE)
    first = {(a.text, b.text, cos) for a, b, cos in decided}
    decided.clear()
    grown = corroborate(after, _vectors(after), sources, outlets, options=LOOSE)
    again = list(decided)
    decided.clear()
    clear_decisions()
    cold = corroborate(after, _vectors(after), sources, outlets, options=LOOSE)

    assert grown == cold  # the memo changes nothing
    assert len(again) < len(decided) / 3  # a cold run decides every pair again
    rare_before, rare_after = rare_names(before, LOOSE), rare_names(after, LOOSE)
    for a, b, cos in again:  # each pair decided again is new, or its shared rare names changed
        shared = names(a.text) & names(b.text)
        assert (
            new.id in (a.article_id, b.article_id)
            or shared & rare_before != shared & rare_after
            or (a.text, b.text, cos) not in first  # its cosine, as computed, moved (not seen here)
        ), (a.text, b.text)
    assert any(new.id in (a.article_id, b.article_id) for a, b, _ in again)


def test_the_memo_is_bounded_and_forgets_the_least_recently_used(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(a: Statement, b: Statement, *args: object) -> object:
        calls.append(a.text)
        return decide_pair(a, b, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(memo, "decide_pair", counted)
    pairs = memo.PairMemo(size=2)
    one, two, three = (
        Statement("x", k, f"Officials said {k} people were hurt on Monday.") for k in (1, 2, 3)
    )
    other = Statement("y", 0, "Officials said 4 people were hurt on Monday.")
    for st in (one, two, one, three, one, two):
        pairs.decide(st, other, 0.9, False, set(), OPTIONS)
    assert len(pairs) == 2
    # one, two decided; one remembered; three decided (two dropped); one remembered; two decided again
    assert calls == [one.text, two.text, three.text, two.text]
