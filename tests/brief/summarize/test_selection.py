"""The sentence selection: the reduced ILP is exact, the greedy is feasible and close, the fast paths
(redundant pairs, citation matrix) agree with the pairwise definitions."""

import itertools
from collections import Counter

import numpy as np
import pytest

from storydesk.brief.summarize import SummaryOptions
from storydesk.brief.summarize.candidates import Candidate
from storydesk.brief.summarize.coverage import build_coverage
from storydesk.brief.summarize.redundancy import overlaps, redundant_pairs, same_text, same_text_matrix
from storydesk.brief.summarize.selection import select_greedy, select_ilp
from storydesk.model import Sentence
from storydesk.text import concept_terms


def _random_problem(seed: int, n: int = 12, pool: int = 14):
    """Candidates whose bigrams come from a small pool, so that some concepts are stated by one sentence
    only and some by exactly the same sentences: what the reductions act on."""
    rng = np.random.default_rng(seed)
    names = [(f"w{k}", f"v{k}") for k in range(pool)]
    cands = []
    for i in range(n):
        bigrams = frozenset(names[k] for k in rng.choice(pool, size=rng.integers(1, 5), replace=False))
        words = int(rng.integers(8, 30))
        s = Sentence(f"a{i % 4}", i, f"sentence {i}", 0, 10)
        cands.append(Candidate(s, int(rng.integers(0, 6)), words, (), frozenset(), bigrams))
    weights = {b: float(rng.uniform(0.5, 4.0)) for b in names}
    bonus = rng.uniform(0.0, 3.0, size=n)
    conflicts = [(0, 1), (2, 5)]
    return list(range(n)), cands, weights, bonus, conflicts


def _brute_force(cover, budget, max_sentences, conflicts):
    n = len(cover.own)
    best, best_value = [], 0.0
    for size in range(1, (max_sentences or n) + 1):
        for subset in itertools.combinations(range(n), size):
            if cover.words[list(subset)].sum() > budget:
                continue
            if any(a in subset and b in subset for a, b in conflicts):
                continue
            value = cover.value(subset)
            if value > best_value:
                best, best_value = list(subset), value
    return sorted(best), best_value


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("max_sentences", [3, None])
def test_reduced_ilp_chooses_what_the_plain_ilp_chooses(seed, max_sentences):
    usable, cands, weights, bonus, conflicts = _random_problem(seed)
    budget = 60
    plain = build_coverage(usable, cands, weights, bonus, reduce=False)
    reduced = build_coverage(usable, cands, weights, bonus)
    # the reductions act: fewer concept rows, the same objective on every choice
    assert reduced.shared.shape[0] < plain.shared.shape[0]
    for subset in ([0], [1, 3], [2, 4, 6, 7]):
        assert reduced.value(subset) == pytest.approx(plain.value(subset))
    want = select_ilp(plain, budget, max_sentences, conflicts, integral_concepts=True)
    got = select_ilp(reduced, budget, max_sentences, conflicts)
    assert sorted(got) == sorted(want)
    # and both are the optimum
    best, best_value = _brute_force(plain, budget, max_sentences, conflicts)
    assert sorted(got) == best
    assert reduced.value(got) == pytest.approx(best_value)


@pytest.mark.parametrize("seed", range(12))
def test_greedy_is_feasible_and_close_to_the_optimum(seed):
    usable, cands, weights, bonus, conflicts = _random_problem(seed)
    cover = build_coverage(usable, cands, weights, bonus)
    chosen = select_greedy(cover, 60, 3, conflicts)
    assert len(chosen) <= 3 and cover.words[chosen].sum() <= 60
    assert not any(a in chosen and b in chosen for a, b in conflicts)
    _, best_value = _brute_force(cover, 60, 3, conflicts)
    assert cover.value(chosen) >= 0.9 * best_value


def test_greedy_keeps_the_best_single_sentence():
    # gain per word favours the short sentence, which then leaves no room for the long, better one
    options = SummaryOptions(greedy_cost_scales=(1.0,), greedy_swaps=0)
    cands = [
        Candidate(Sentence("a", 0, "long", 0, 4), 0, 10, (), frozenset(), frozenset({("x", "y")})),
        Candidate(Sentence("b", 0, "short", 0, 5), 0, 2, (), frozenset(), frozenset({("p", "q")})),
    ]
    cover = build_coverage([0, 1], cands, {("x", "y"): 9.0, ("p", "q"): 2.0}, None)
    assert select_greedy(cover, 10, None, options=options) == [0]


def test_swaps_raise_the_greedy_objective():
    values = {}
    for swaps in (0, 10):
        options = SummaryOptions(greedy_cost_scales=(1.0,), greedy_swaps=swaps)
        total = 0.0
        for seed in range(20):
            usable, cands, weights, bonus, conflicts = _random_problem(seed)
            cover = build_coverage(usable, cands, weights, bonus)
            total += cover.value(select_greedy(cover, 60, 3, conflicts, options))
        values[swaps] = total
    assert values[10] > values[0]


SENTENCES = [
    "The Elm River bridge collapsed on Tuesday morning, killing four construction workers.",
    "Four construction workers were killed Tuesday morning when the Elm River bridge collapsed.",
    "The Elm River bridge in Millbrook collapsed on Tuesday morning and killed four workers.",
    "The steel bridge had been closed for repairs since January, county officials said.",
    "The steel bridge had been closed for repairs since January.",
    "Governor Dana Whitfield ordered an inspection of every steel bridge in the state.",
    "Rescue teams searched the cold river until late in the evening for two missing workers.",
    "",
]


def _cands(texts):
    out = []
    for n, text in enumerate(texts):
        stems, content, bigrams = concept_terms(text)
        out.append(
            Candidate(Sentence("a", n, text, 0, len(text)), n, len(text.split()), stems, content, bigrams)
        )
    return out


def test_redundant_pairs_are_the_pairs_of_same_text():
    cands = _cands(SENTENCES)
    usable = list(range(len(cands)))
    want = [
        (a, b)
        for a, b in itertools.combinations(usable, 2)
        if same_text(*overlaps(cands[a].content, cands[b].content))
    ]
    assert want  # the fixture has some
    assert redundant_pairs(usable, cands) == want


def test_citation_matrix_agrees_with_the_pairwise_test():
    contents = [c.content for c in _cands(SENTENCES)]
    same, shared, contained = same_text_matrix(contents[:3], contents)
    for r in range(3):
        for k in range(len(contents)):
            jaccard, containment, common = overlaps(contents[r], contents[k])
            assert bool(same[r, k]) == same_text(jaccard, containment, common)
            assert shared[r, k] == common
            assert contained[r, k] == pytest.approx(containment)


def _problem_with_words(seed: int, n: int = 11):
    """A random problem whose sentences also say words of a small vocabulary, some of them twice, and a
    reference table for those words (values falling with the occurrence, as the model's do)."""
    usable, cands, weights, bonus, conflicts = _random_problem(seed, n=n)
    rng = np.random.default_rng(100 + seed)
    vocab = [f"t{k}" for k in range(8)]
    worded = [
        Candidate(c.sentence, c.position, c.words, tuple(rng.choice(vocab, size=6)), c.content, c.bigrams)
        for c in cands
    ]
    expected = {w: np.sort(rng.uniform(0.0, 0.3, size=4))[::-1] for w in vocab[:6]}  # t6, t7 unmodelled
    return usable, worded, weights, bonus, conflicts, expected


@pytest.mark.parametrize("seed", range(8))
def test_the_ilp_with_expected_counts_is_the_optimum(seed):
    options = SummaryOptions(expected_r1_weight=20.0)
    usable, cands, weights, bonus, conflicts, expected = _problem_with_words(seed)
    cover = build_coverage(usable, cands, weights, bonus, options, expected=expected)
    without = build_coverage(usable, cands, weights, bonus)
    # the objective counts each modelled word as often as the chosen sentences say it, with falling value
    subset = [0, 3, 5]
    said = Counter(t for j in subset for t in cands[j].stems)
    extra = sum(20.0 * float(np.sum(expected[w][: min(n, 4)])) for w, n in said.items() if w in expected)
    assert cover.value(subset) == pytest.approx(without.value(subset) + extra)
    gains = cover.gains([0])
    for j in (1, 2, 4):
        assert gains[j] == pytest.approx(cover.value([0, j]) - cover.value([0]))
    got = select_ilp(cover, 60, None, conflicts)
    best, best_value = _brute_force(cover, 60, None, conflicts)
    assert cover.value(got) == pytest.approx(best_value)
    assert sorted(got) == best
    greedy = select_greedy(cover, 60, None, conflicts)
    assert cover.words[greedy].sum() <= 60
    assert cover.value(greedy) >= 0.9 * best_value


def test_expected_counts_change_the_choice():
    # two sentences tie on concepts; the one saying the words a human summary is expected to use wins
    cands = [
        Candidate(
            Sentence("a", 0, "x", 0, 1),
            0,
            10,
            ("flood", "river", "the"),
            frozenset(),
            frozenset({("p", "q")}),
        ),
        Candidate(
            Sentence("b", 0, "y", 0, 1), 0, 10, ("cake", "party", "of"), frozenset(), frozenset({("r", "s")})
        ),
    ]
    weights = {("p", "q"): 2.0, ("r", "s"): 2.0}
    expected = {"flood": np.array([1.0, 0.5]), "river": np.array([0.8, 0.1]), "cake": np.array([0.1, 0.0])}
    options = SummaryOptions(expected_r1_weight=20.0)
    cover = build_coverage([0, 1], cands, weights, np.array([0.0, 0.01]), options, expected=expected)
    assert select_ilp(cover, 10, None) == [0]
    assert select_greedy(cover, 10, None) == [0]
    # without the model the bonus decides
    plain = build_coverage([0, 1], cands, weights, np.array([0.0, 0.01]))
    assert select_ilp(plain, 10, None) == [1]


def test_a_model_of_words_no_sentence_says_changes_nothing():
    options = SummaryOptions(expected_r1_weight=20.0)
    usable, cands, weights, bonus, conflicts, _ = _problem_with_words(3)
    cover = build_coverage(usable, cands, weights, bonus, options, expected={"unsaid": np.array([1.0, 0.5])})
    plain = build_coverage(usable, cands, weights, bonus)
    assert cover.said is None
    assert select_ilp(cover, 60, None, conflicts) == select_ilp(plain, 60, None, conflicts)


def test_the_ilp_stops_at_a_node_count_not_a_clock(monkeypatch):
    """A limit in seconds made the DUC figures depend on the machine's load (#14): the ILP is bounded in
    branch-and-bound nodes only, the default far above what a problem of this size needs, and a solve
    stopped at the limit keeps a feasible choice, the same on every call."""
    import scipy.optimize

    solves = []
    real = scipy.optimize.milp

    def recording(*args, **kwargs):
        options = dict(kwargs["options"])  # milp empties the dict it is given
        result = real(*args, **kwargs)
        solves.append((options, result))
        return result

    monkeypatch.setattr(scipy.optimize, "milp", recording)
    usable, cands, weights, bonus, conflicts = _random_problem(39, n=60, pool=40)
    cover = build_coverage(usable, cands, weights, bonus)
    best = select_ilp(cover, 60, None, conflicts)
    ((options, result),) = solves
    assert options == {"node_limit": SummaryOptions().ilp_node_limit}  # no time_limit
    assert result.status == 0 and 1 < result.mip_node_count < options["node_limit"]
    solves.clear()
    stopped = select_ilp(cover, 60, None, conflicts, SummaryOptions(ilp_node_limit=1))
    ((options, result),) = solves
    assert options == {"node_limit": 1} and result.status != 0 and result.mip_node_count <= 1
    assert stopped is not None and cover.words[stopped].sum() <= 60
    assert not any(a in stopped and b in stopped for a, b in conflicts)
    assert cover.value(stopped) <= cover.value(best) + 1e-9
    assert select_ilp(cover, 60, None, conflicts, SummaryOptions(ilp_node_limit=1)) == stopped
