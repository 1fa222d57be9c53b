"""Solving the selection problem (:mod:`.coverage`): exactly by integer programming, or fast by a greedy.

* :func:`select_ilp` — the optimum by ``scipy.optimize.milp`` (HiGHS), within ``ilp_node_limit`` branch-and-bound nodes;
* :func:`select_greedy` — Lin & Bilmes' budgeted greedy at several cost scales, then a few local swaps:
  milliseconds instead of most of a second, as good in ROUGE under the product's budget in sentences;
  it is also the ILP's fall-back.

:func:`select_sentences` sets the problem up for the sentences that fit the budget and calls one of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy import sparse

from .candidates import Candidate
from .coverage import Coverage, build_coverage, expected_pieces
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions
from .redundancy import redundant_pairs

__all__ = ["RedundantPairs", "select_sentences", "select_ilp", "select_greedy", "fill_in_order"]

log = logging.getLogger(__name__)

#: finds the pairs (positions among the usable sentences) of which at most one may be chosen
RedundantPairs = Callable[[Sequence[int], Sequence[Candidate], SummaryOptions], list[tuple[int, int]]]


def select_sentences(
    cands: Sequence[Candidate],
    weights: Mapping[object, float],
    budget_words: int,
    max_sentences: int | None,
    bonus: np.ndarray | None = None,
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
    *,
    solver: str = "ilp",
    expected: Mapping[str, np.ndarray] | None = None,
    conflicts_of: RedundantPairs = redundant_pairs,
) -> list[int]:
    """Indices of the candidates covering the most concept weight (and, with ``expected``, the most
    expected ROUGE-1 of :mod:`.reference`) within the budget.

    ``solver`` is ``"ilp"`` (exact, HiGHS) or ``"greedy"`` (Lin & Bilmes' budgeted greedy, fast);
    ``conflicts_of`` finds the pairs of sentences of which at most one may be chosen.
    """
    usable = [i for i, c in enumerate(cands) if c.words <= budget_words]
    if not usable:
        return []
    cover = build_coverage(usable, cands, weights, bonus, options, expected=expected)
    if cover is None:
        # nothing shared between articles: fall back to the leads
        order = sorted(usable, key=lambda i: (cands[i].position, i))
        return fill_in_order(order, cands, budget_words, max_sentences)
    conflicts = conflicts_of(usable, cands, options)
    chosen = None
    if solver == "ilp":
        chosen = select_ilp(cover, budget_words, max_sentences, conflicts, options)
    if chosen is None:
        chosen = select_greedy(cover, budget_words, max_sentences, conflicts, options)
    return [usable[j] for j in chosen]


def select_ilp(
    cover: Coverage,
    budget_words: int,
    max_sentences: int | None,
    conflicts: Sequence[tuple[int, int]] = (),
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
    *,
    integral_concepts: bool = False,
) -> list[int] | None:
    """The optimal choice (positions) by integer programming; the best found within ``ilp_node_limit``
    nodes, None if HiGHS finds none.

    Concept variables need not be integral: at an optimum each equals min(1, its chosen sentences),
    which is integral once the sentences are.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    n_s, n_c = cover.shared.shape[1], cover.shared.shape[0]
    piece_word, piece_value, n_w = expected_pieces(cover)
    n_p = len(piece_value)
    n = n_s + n_c + n_p
    objective = -np.concatenate([cover.own, cover.weight, piece_value])
    # y_k <= sum of x_j over sentences stating concept k
    blocks = [sparse.hstack([-cover.shared, sparse.identity(n_c), sparse.csr_matrix((n_c, n_p))])]
    upper = [np.zeros(n_c)]
    if n_p and cover.said is not None:
        # the pieces of word w taken (its 1st, 2nd, … occurrence, in that order as their values fall)
        # <= the times the chosen sentences say w
        s_idx, w_idx, n_said = cover.said
        said = sparse.csr_matrix((n_said.astype(float), (w_idx, s_idx)), shape=(n_w, n_s))
        taken = sparse.csr_matrix((np.ones(n_p), (piece_word, np.arange(n_p))), shape=(n_w, n_p))
        blocks.append(sparse.hstack([-said, sparse.csr_matrix((n_w, n_c)), taken]))
        upper.append(np.zeros(n_w))
    blocks.append(sparse.csr_matrix(np.concatenate([cover.words, np.zeros(n_c + n_p)])[None, :]))
    upper.append(np.array([budget_words], dtype=float))
    if max_sentences is not None:
        blocks.append(sparse.csr_matrix(np.concatenate([np.ones(n_s), np.zeros(n_c + n_p)])[None, :]))
        upper.append(np.array([float(max_sentences)]))
    if conflicts:
        pair_rows = np.repeat(np.arange(len(conflicts)), 2)
        pair_cols = np.array(conflicts, dtype=int).ravel()
        blocks.append(
            sparse.csr_matrix((np.ones(len(pair_cols)), (pair_rows, pair_cols)), shape=(len(conflicts), n))
        )
        upper.append(np.ones(len(conflicts)))
    integrality = np.concatenate(
        [np.ones(n_s), np.full(n_c, 1.0 if integral_concepts else 0.0), np.zeros(n_p)]
    )
    result = milp(
        objective,
        constraints=LinearConstraint(sparse.vstack(blocks).tocsr(), -np.inf, np.concatenate(upper)),
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"node_limit": options.ilp_node_limit},
    )
    if result.x is None:
        log.debug("ILP found no solution (%s); greedy fall-back", result.message)
        return None
    return [j for j in range(n_s) if result.x[j] > 0.5]


def select_greedy(
    cover: Coverage,
    budget_words: int,
    max_sentences: int | None,
    conflicts: Sequence[tuple[int, int]] = (),
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
) -> list[int]:
    """Lin & Bilmes' (2010) budgeted greedy: for each cost scale ``r`` of ``greedy_cost_scales``, add the
    sentence of best gain / words^r while it fits; the best singleton is a candidate too. The choice of
    highest objective wins."""
    clash: dict[int, list[int]] = {}
    for a, b in conflicts:
        clash.setdefault(a, []).append(b)
        clash.setdefault(b, []).append(a)
    tries = [_greedy_pass(cover, budget_words, max_sentences, clash, r) for r in options.greedy_cost_scales]
    alone = cover.gains([])
    fits = cover.words <= budget_words
    if fits.any():
        tries.append([int(np.argmax(np.where(fits, alone, -np.inf)))])
    best = max(tries, key=cover.value)
    if options.greedy_swaps:
        best = _swap_search(cover, best, budget_words, max_sentences, clash, options.greedy_swaps)
    return best


def _swap_search(
    cover: Coverage,
    chosen: list[int],
    budget_words: int,
    max_sentences: int | None,
    clash: Mapping[int, Sequence[int]],
    moves: int,
) -> list[int]:
    """Local search from ``chosen``: add a sentence, or swap one for another, while the objective rises
    (at most ``moves`` moves)."""
    current = list(chosen)
    value = cover.value(current)
    for _ in range(moves):
        best_move: tuple[float, list[int]] | None = None
        for out in [None, *current]:
            rest = [j for j in current if j != out]
            if max_sentences is not None and len(rest) >= max_sentences:
                continue
            open_ = cover.words <= budget_words - cover.words[rest].sum()
            open_[current] = False
            for j in rest:
                open_[clash.get(j, [])] = False
            if not open_.any():
                continue
            gain = cover.gains(rest)
            j = int(np.argmax(np.where(open_, gain, -np.inf)))
            total = cover.value(rest) + float(gain[j])
            if total > value + 1e-9 and (best_move is None or total > best_move[0]):
                best_move = (total, [*rest, j])
        if best_move is None:
            break
        value, current = best_move
    return current


def _greedy_pass(
    cover: Coverage,
    budget_words: int,
    max_sentences: int | None,
    clash: Mapping[int, Sequence[int]],
    scale: float,
) -> list[int]:
    open_ = np.ones(len(cover.own), dtype=bool)
    uncovered = np.ones(cover.shared.shape[0], dtype=bool)
    cost = cover.words**scale
    chosen: list[int] = []
    said = cover.counts([]) if cover.said is not None else None
    left = float(budget_words)
    while max_sentences is None or len(chosen) < max_sentences:
        fits = open_ & (cover.words <= left)
        if not fits.any():
            break
        gain = cover.own + cover.by_sentence @ (cover.weight * uncovered)
        if said is not None:
            gain = gain + cover.expected_gains(said)
        score = np.where(fits & (gain > 1e-12), gain / cost, -np.inf)
        j = int(np.argmax(score))
        if not np.isfinite(score[j]):
            break
        chosen.append(j)
        left -= cover.words[j]
        open_[j] = False
        open_[clash.get(j, [])] = False
        uncovered[cover.rows_of(j)] = False
        if said is not None:
            said += cover.counts([j])
    return chosen


def fill_in_order(
    order: Sequence[int], cands: Sequence[Candidate], budget: int, max_sentences: int | None
) -> list[int]:
    """The sentences of ``order`` taken in that order while they fit the budget."""
    chosen: list[int] = []
    used = 0
    for i in order:
        if max_sentences is not None and len(chosen) >= max_sentences:
            break
        if used + cands[i].words <= budget:
            chosen.append(i)
            used += cands[i].words
    return chosen
