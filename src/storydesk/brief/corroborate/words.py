"""What a statement's words are: numbers, dates, titles; and what is read once per text of a story and
kept (bounded) per process: its word bag, capitalised names, context words and quantities with units."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ...analyse.rules import MONTHS, TITLE_MODIFIERS, TITLE_WORDS, WEEKDAYS
from ...text import CONTEXT_STOP_WORDS, claim_tokens, context_words
from ..rules import APPROXIMATE_SHARE, APPROXIMATE_WORDS, MAGNITUDE_WORDS, NUMBER_RE, NUMBER_WORDS

__all__ = [
    "TEXT_CACHE_SIZE",
    "Quantity",
    "is_number",
    "number_value",
    "is_date_word",
    "is_title",
    "is_rounded",
    "roughly_equal",
    "word_bag",
    "word_occurrences",
    "names",
    "claim_context",
    "quantities",
    "information",
    "clear_caches",
]


def is_number(tok: str) -> bool:
    return bool(NUMBER_RE.fullmatch(tok)) or tok.casefold() in NUMBER_WORDS


def number_value(tok: str) -> str:
    return tok.replace(",", "").replace("$", "").casefold()


def is_rounded(tokens: Sequence[str], k: int) -> bool:
    """Whether the number ``tokens[k]`` is given as a rounding ("almost 200", "about $5 million")."""
    return k > 0 and tokens[k - 1].casefold() in APPROXIMATE_WORDS


def roughly_equal(a: str, a_rounded: bool, b: str, b_rounded: bool) -> bool:
    """Whether two numbers (as :func:`number_value` gives them) agree once a rounding is allowed for: the
    other within ``APPROXIMATE_SHARE`` of a rounded one ("almost 200" and "190")."""
    if not (a_rounded or b_rounded):
        return False
    try:
        x, y = float(a.rstrip("%")), float(b.rstrip("%"))
    except ValueError:
        return False
    base = max(x if a_rounded else 0.0, y if b_rounded else 0.0)
    return abs(x - y) <= APPROXIMATE_SHARE * base


_YEAR = re.compile(r"(?:19|20)\d\d")


def is_date_word(tok: str) -> bool:
    low = tok.casefold().rstrip(".")
    return low in MONTHS or low in WEEKDAYS or bool(_YEAR.fullmatch(tok))


def is_title(tok: str) -> bool:
    low = tok.casefold()
    return low in TITLE_WORDS or low in TITLE_MODIFIERS


#: Per-text results kept per process (names, context words, quantities, word counts). A story compares its
#: statements pairwise, so each text is read many times; bounded so a long-running worker stays flat.
TEXT_CACHE_SIZE = 8192


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def word_bag(text: str) -> tuple[tuple[str, ...], Counter[str]]:
    """The case-folded whitespace words of ``text``, and how often each occurs."""
    words = tuple(text.casefold().split())
    return words, Counter(words)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def word_occurrences(text: str) -> tuple[str, ...]:
    """Each word of :func:`word_bag` once, and once more per further occurrence, numbered: "the", "the 1",
    "the 2", "vote", … (two texts share as many of these as their bags share words, counted with
    multiplicity; a word holds no space, so a numbered one is no word)."""
    _, counts = word_bag(text)
    return (*counts, *(f"{w} {k}" for w, n in counts.items() if n > 1 for k in range(1, n)))


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in a sentence with its unit: currency, magnitude ("million") or the noun it counts."""

    value: str
    currency: str
    magnitude: str
    noun: str
    shown: str
    rounded: bool = False  # given as a rounding: "almost 200" (:func:`is_rounded`)

    @property
    def unit(self) -> tuple[str, str, str]:
        # A currency or magnitude is the unit; only a bare count is compared by the noun it counts.
        return (self.currency, self.magnitude, "" if self.currency or self.magnitude else self.noun)

    @property
    def strong(self) -> bool:
        digits = sum(c.isdigit() for c in self.value)
        return digits >= 3 or "." in self.value or bool(self.magnitude) or bool(self.currency)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Numbers written in digits (years excluded) with their units."""
    toks = claim_tokens(text)
    out = []
    for k, tok in enumerate(toks):
        if not tok[:1].isdigit() and not tok.startswith("$"):
            continue
        if _YEAR.fullmatch(tok):
            continue  # a year is a date, compared by the date rules
        value = number_value(tok).rstrip("%")
        currency = "$" if tok.startswith("$") else ""
        nxt = [t.casefold() for t in toks[k + 1 : k + 3]]
        magnitude = "%" if tok.endswith("%") else (nxt[0] if nxt and nxt[0] in MAGNITUDE_WORDS else "")
        after = nxt[1:] if magnitude and magnitude != "%" else nxt
        noun = after[0] if after and after[0].isalpha() and after[0] not in CONTEXT_STOP_WORDS else ""
        shown = tok + (f" {magnitude}" if magnitude and magnitude != "%" else "")
        if not magnitude and not currency and noun:
            shown = f"{tok} {noun}"
        out.append(Quantity(value, currency, magnitude, noun, shown, is_rounded(toks, k)))
    return tuple(out)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def names(text: str) -> frozenset[str]:
    """Runs of capitalised words (a single word opening the sentence is not a name)."""
    toks = claim_tokens(text)
    runs: set[str] = set()
    k = 0
    while k < len(toks):
        if toks[k][:1].isupper() and not is_date_word(toks[k]):
            e = k
            while e + 1 < len(toks) and toks[e + 1][:1].isupper() and not is_date_word(toks[e + 1]):
                e += 1
            if not (k == 0 and e == 0):
                runs.add(" ".join(toks[k : e + 1]).casefold())
            k = e + 1
        else:
            k += 1
    return frozenset(runs)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def claim_context(text: str) -> frozenset[str]:
    """The context words of ``text`` (:func:`storydesk.text.context_words`) that are not magnitude words:
    what two numeric claims must share to be about the same thing."""
    return context_words(text) - MAGNITUDE_WORDS


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def information(text: str) -> float:
    """The numbers, names and dates ``text`` gives, and its length (how informative a claim stating it is,
    before its position counts: ``claims._informativeness``)."""
    toks = claim_tokens(text)
    numbers = sum(is_number(t) for t in toks)
    capitalised = sum(1 for t in toks[1:] if t[:1].isupper())
    dates = sum(is_date_word(t) for t in toks)
    return numbers + 0.5 * capitalised + dates + min(len(toks), 30) / 30


def clear_caches() -> None:
    """Empty the per-text caches (a benchmark tells their filling from growth)."""
    for cached in (word_bag, word_occurrences, quantities, names, claim_context, information):
        cached.cache_clear()
