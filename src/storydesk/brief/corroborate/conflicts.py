"""When two otherwise matching statements disagree: on a number, a date, a name or a title
(:func:`find_conflict`, word by word), or on a number of the same unit in two paraphrases
(:func:`find_number_conflict`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ...analyse.rules import TITLE_WORDS
from ...text import claim_tokens
from .options import DEFAULT_CLAIM_OPTIONS, ClaimOptions
from .records import Conflict, Statement
from .words import (
    claim_context,
    is_date_word,
    is_number,
    is_rounded,
    is_title,
    number_value,
    quantities,
    roughly_equal,
)

__all__ = ["find_conflict", "find_number_conflict"]


@dataclass(frozen=True, slots=True)
class _Side:
    """One side of a span where two aligned statements differ: the statement's tokens (as written), the
    span ``[start, end)`` of them, and the people the statement names."""

    tokens: Sequence[str]
    start: int
    end: int
    people: Sequence[str]

    def first_number(self) -> tuple[str, bool] | None:
        """The span's first number written in digits, and whether it is given as a rounding."""
        for k in range(self.start, self.end):
            if self.tokens[k][:1].isdigit() or self.tokens[k].startswith("$"):
                return number_value(self.tokens[k]), is_rounded(self.tokens, k)
        return None

    @property
    def span(self) -> list[str]:
        return list(self.tokens[self.start : self.end])

    @property
    def text(self) -> str:
        return " ".join(self.span)

    def names_a_person(self) -> bool:
        text = self.text
        return bool(text) and any(text in p or p in text for p in self.people)

    def whole_title(self) -> str:
        """The span widened to the whole title around it: "Deputy Foreign Minister", not "Deputy"."""
        s, e = self.start, self.end
        while s > 0 and is_title(self.tokens[s - 1]):
            s -= 1
        while e < len(self.tokens) and is_title(self.tokens[e]):
            e += 1
        return " ".join(self.tokens[s:e])


def _classify(left: _Side, right: _Side) -> tuple[str, str, str] | None:
    """``(kind, left text, right text)`` when the differing span is a date, a number, a title or a
    person's name on both sides; else None."""
    sa, sb = left.span, right.span
    text_a, text_b = left.text, right.text
    if sa and sb and any(is_date_word(t) for t in sa) and any(is_date_word(t) for t in sb):
        return "date", text_a, text_b
    nums_a = [number_value(t) for t in sa if is_number(t)]
    nums_b = [number_value(t) for t in sb if is_number(t)]
    if nums_a and nums_b and nums_a != nums_b:
        first_a, first_b = left.first_number(), right.first_number()
        if first_a and first_b and roughly_equal(*first_a, *first_b):
            return None  # "almost 200" and "190" agree
        return "number", text_a, text_b
    if all(is_title(t) for t in sa + sb) and (sa or sb):
        # Widen to the whole title on each side: "Deputy Foreign Minister" vs "Foreign Minister".
        whole_a, whole_b = left.whole_title(), right.whole_title()
        if whole_a.casefold() != whole_b.casefold() and any(
            t.casefold() in TITLE_WORDS for t in (whole_a + " " + whole_b).split()
        ):
            return "role", whole_a, whole_b
        return None
    if (
        sa
        and sb
        and all(t[:1].isupper() for t in sa + sb)
        and left.names_a_person()
        and right.names_a_person()
    ):
        return "name", text_a, text_b
    return None


def find_conflict(
    left: Statement, right: Statement, options: ClaimOptions = DEFAULT_CLAIM_OPTIONS
) -> Conflict | None:
    """A number, date, name or title on which two otherwise matching statements disagree, or ``None``."""
    ta, tb = claim_tokens(left.text), claim_tokens(right.text)
    a, b = [t.casefold() for t in ta], [t.casefold() for t in tb]
    if not a or not b:
        return None
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    found: list[tuple[str, str, str]] = []
    differing = 0
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        span = _classify(_Side(ta, i1, i2, left.people), _Side(tb, j1, j2, right.people))
        if span is not None and max(i2 - i1, j2 - j1) <= options.max_conflict_span_words:
            found.append(span)
            differing += (i2 - i1) + (j2 - j1)
    if not found:
        return None
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    rest = len(a) + len(b) - differing
    rest_similarity = 2 * matched / rest if rest else 0.0
    if rest_similarity < options.dispute_rest_similarity:
        return None
    kind, l_text, r_text = found[0]
    return Conflict(kind, l_text, r_text, round(min(1.0, rest_similarity), 3))


def find_number_conflict(
    left: Statement, right: Statement, options: ClaimOptions = DEFAULT_CLAIM_OPTIONS
) -> Conflict | None:
    """Two paraphrases giving different numbers of the same unit ("$34 million" vs "$48 million").

    Only numbers with a unit count (a currency, a magnitude, or the noun counted: "14 people"), a side's
    number must be absent from the other side, and the sentences must share context words besides the
    numbers. The caller checks that the two are paraphrases (embedding cosine).
    """
    qa, qb = quantities(left.text), quantities(right.text)
    if not qa or not qb:
        return None
    shared_context = claim_context(left.text) & claim_context(right.text)
    if len(shared_context) < options.min_shared_context_words:
        return None
    values_a = {(q.unit, q.value) for q in qa}
    values_b = {(q.unit, q.value) for q in qb}
    for x in qa:
        if not any(x.unit):
            continue
        for y in qb:
            if x.unit != y.unit or x.value == y.value:
                continue
            if roughly_equal(x.value, x.rounded, y.value, y.rounded):
                continue
            if (x.unit, x.value) in values_b or (y.unit, y.value) in values_a:
                continue
            return Conflict("number", x.shown, y.shown, 1.0)
    return None
