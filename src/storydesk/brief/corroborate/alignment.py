"""Whether two statements of different articles state one claim, dispute it, or are apart.

Two statements align when their embeddings are close (cosine ≥ ``align_cosine``) or their word
sequences are (``align_lexical``), or, for paraphrases at a lower cosine, when they share anchors: the
same number with the same unit, or names rare in the story. Before two statements of different sources
are aligned, they are compared word by word (:mod:`.conflicts`): a pair that agrees on everything but a
number, a date, a name or a title is a dispute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Literal

from .conflicts import find_conflict, find_number_conflict
from .options import DEFAULT_CLAIM_OPTIONS, ClaimOptions
from .records import Conflict, Statement
from .words import names, quantities, word_bag

__all__ = ["Decision", "decide_pair", "lexically_aligned", "rare_names"]

Decision = Literal["dispute", "align", "apart"]


def lexically_aligned(a: str, b: str, options: ClaimOptions = DEFAULT_CLAIM_OPTIONS) -> bool:
    """Whether the word sequences of ``a`` and ``b`` match (difflib ratio ≥ ``align_lexical``).

    The ratio is 2·matched / total words, and no more words can match than the two bags share, so most
    pairs are settled by the bags alone (as ``SequenceMatcher.quick_ratio`` does, without rebuilding
    them per pair); difflib runs only for the rest.
    """
    (wa, ca), (wb, cb) = word_bag(a), word_bag(b)
    total = len(wa) + len(wb)
    if not total:
        return False
    if len(ca) > len(cb):
        ca, cb = cb, ca
    shared = sum(min(n, cb[w]) for w, n in ca.items() if w in cb)
    if 2 * shared < options.align_lexical * total:
        return False
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= options.align_lexical


def _anchor_weight(a: Statement, b: Statement, rare: set[str]) -> tuple[float, bool]:
    """What two statements share that pins them to one fact: (weight, whether numbers take part)."""
    qa, qb = quantities(a.text), quantities(b.text)
    weight = 0.0
    numbers = False
    values_b = {(q.unit, q.value) for q in qb} | {(("", "", ""), q.value) for q in qb}
    seen: set[str] = set()
    for q in qa:
        if q.value in seen:
            continue
        if (q.unit, q.value) in values_b or (("", "", ""), q.value) in values_b:
            seen.add(q.value)
            weight += 1.0 if q.strong else 0.5
            numbers = True
    shared_names = names(a.text) & names(b.text) & rare
    weight += 0.5 * len(shared_names)
    return weight, numbers


def rare_names(statements: Sequence[Statement], options: ClaimOptions = DEFAULT_CLAIM_OPTIONS) -> set[str]:
    """The names few statements of the story carry (at most ``rare_name_share`` of them, and at most
    ``rare_name_max_df``): names that can anchor two paraphrases to one fact."""
    df: dict[str, int] = defaultdict(int)
    for st in statements:
        for name in names(st.text):
            df[name] += 1
    limit = min(options.rare_name_max_df, max(2, int(options.rare_name_share * len(statements))))
    return {n for n, c in df.items() if c <= limit}


def decide_pair(
    a: Statement,
    b: Statement,
    cos: float,
    same_source: bool,
    rare: set[str],
    options: ClaimOptions = DEFAULT_CLAIM_OPTIONS,
) -> tuple[Decision, Conflict | None]:
    """``("dispute", conflict)``, ``("align", None)`` or ``("apart", None)`` for two statements."""
    lex = lexically_aligned(a.text, b.text, options)
    if not same_source and (cos >= options.dispute_cosine or lex):
        conflict = find_conflict(a, b, options)
        if conflict is not None:
            return "dispute", conflict
    if not same_source and cos >= options.paraphrase_dispute_cosine:
        conflict = find_number_conflict(a, b, options)
        if conflict is not None:
            return "dispute", conflict
    if cos >= options.align_cosine or lex:
        return "align", None
    if cos >= options.anchor_align_cosine:
        weight, numbers = _anchor_weight(a, b, rare)
        floor = options.anchor_align_cosine if numbers else options.name_anchor_align_cosine
        if (
            weight >= options.anchor_align_weight
            and cos >= floor
            and find_number_conflict(a, b, options) is None
        ):
            return "align", None
    return "apart", None
