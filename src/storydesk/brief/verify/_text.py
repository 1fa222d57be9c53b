"""What a sentence asserts, in forms that can be looked up in its sources.

Text is normalised first (:func:`normalise`): quotation marks and apostrophes to ASCII, dashes to "-",
Penn-Treebank tokenisation undone ("Kilmarnock 's" → "Kilmarnock's", "`` x ''" → '"x"'), whitespace
collapsed. Then a sentence yields its names (capitalised words), numbers (digits and number words, as
values), dates (weekdays, months, years, "yesterday", "last summer"), quotations and negations, and its
content words (stemmed, stop words aside) for the support score.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ...text import stem, stop_words
from . import rules as R

__all__ = [
    "Claims",
    "normalise",
    "analyse",
    "content_stems",
    "quote_key",
    "word_set",
    "number_values",
    "date_terms",
    "negations",
]

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_SPACED_BACKTICKS = re.compile(r"` `")
_PTB_RE = re.compile("|".join(map(re.escape, _PTB)))
_MARK_RE = re.compile("|".join(map(re.escape, sorted(R.QUOTE_MARKS, key=len, reverse=True))))
_DASH_RE = re.compile(f"[{R.DASHES}]")
_WS = re.compile(r"\s+")
# Penn-Treebank spacing: a space before a clitic or closing punctuation, around hyphens, after currency
_CLITIC = re.compile(r"(\w) (n't|'s|'re|'ll|'ve|'d|'m)(?!\w)", re.IGNORECASE)
_BEFORE_PUNCT = re.compile(r" ([,.;:!?%)\]}])")
_AFTER_OPEN = re.compile(r"([(\[{$£€]) ")
_HYPHEN = re.compile(r"(\w) - (?=\w)")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NAME = re.compile(r"(?<![^\W_])[A-Z][^\W_]*(?:['-][^\W_]+)*")
_CLAUSE_START = re.compile(r"""(?:^|[.!?:;"'(]\s*|\s-\s)$""")
_QUOTE_D = re.compile(r'"([^"]+)"')
_QUOTE_S = re.compile(r"(?<![^\W_])'(.+?)'(?![^\W_])")
_NEGATION = re.compile(r"\b(?:" + "|".join(sorted(w for w in R.NEGATIONS if "'" not in w)) + r")\b|n't\b")
_STRIP = " \t\n.,;:!?\"'"


def normalise(text: str) -> str:
    """Quotation marks, apostrophes and dashes as ASCII, Treebank spacing undone, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACED_BACKTICKS.sub('"', text)
    text = _PTB_RE.sub(lambda m: _PTB[m.group(0)], text)
    text = _MARK_RE.sub(lambda m: R.QUOTE_MARKS[m.group(0)], text)
    text = _DASH_RE.sub("-", text)
    text = _WS.sub(" ", text).strip()
    text = _pair_single_quotes(text)
    text = _CLITIC.sub(r"\1\2", text)
    text = _BEFORE_PUNCT.sub(r"\1", text)
    text = _AFTER_OPEN.sub(r"\1", text)
    text = _HYPHEN.sub(r"\1-", text)
    return _fix_quote_spacing(text)


def _pair_single_quotes(text: str) -> str:
    """Treebank text writes single quotation marks as separate tokens (" ' "): odd ones open a quotation
    and join the next word, even ones close it and join the previous word."""
    words = text.split(" ")
    if "'" not in words:
        return text
    out: list[str] = []
    opening = True
    pending = False
    for w in words:
        if w == "'":
            if opening:
                pending = True
            elif out:
                out[-1] += "'"
            opening = not opening
            continue
        out.append("'" + w if pending else w)
        pending = False
    return " ".join(out)


def _fix_quote_spacing(text: str) -> str:
    """'" x "' → '"x"': Treebank text puts spaces inside quotation marks."""
    out: list[str] = []
    parts = text.split('"')
    for n, part in enumerate(parts):
        if n % 2 == 1 and n < len(parts) - 1:  # inside a pair of marks
            part = part.strip()
        out.append(part)
    return '"'.join(out)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """The summarizer's stop words (:func:`storydesk.text.stop_words`) and "told": a verb of attribution
    says nothing a source must support."""
    return stop_words() | {"told"}


_stem = stem  # the Porter stemmer of storydesk.text (its cache bounded per process)


def word_set(text: str) -> frozenset[str]:
    """Lower-cased words of normalised ``text`` (hyphenated words split), and their stems."""
    words = [w.casefold() for w in _WORD.findall(text)]
    return frozenset(words) | frozenset(_stem(w) for w in words)


def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry content: not stop words, longer than one character."""
    stops = _stop_words()
    return frozenset(
        _stem(w) for w in (w.casefold() for w in _WORD.findall(text)) if w not in stops and len(w) > 1
    )


def number_values(text: str) -> set[str]:
    """The numbers of ``text`` as values: digits without thousands separators, number words as digits."""
    text = R.SPACED_NUMBER_RE.sub(r"\1\2\3", text)
    values = {_number_value(m.group(0)) for m in R.DIGITS_RE.finditer(text)}
    for w in _WORD.findall(text):
        value = R.NUMBER_WORDS.get(w.casefold())
        if value is not None:
            values.add(value)
    return values


def _number_value(digits: str) -> str:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits):
        digits = digits.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".") if re.fullmatch(r"\d+\.\d+", digits) else digits
    return digits.lstrip("0") or "0"


def date_terms(text: str) -> list[str]:
    """Weekdays, months, relative days and relative periods ("last summer") of ``text``, lower-cased."""
    words = [w.casefold() for w in _WORD.findall(text)]
    out: list[str] = []
    for n, w in enumerate(words):
        if w in R.WEEKDAYS or w in R.MONTHS or w in R.RELATIVE_DAYS:
            out.append(w)
        elif w in R.PERIODS and n and words[n - 1] in R.PERIOD_MODIFIERS:
            out.append(f"{words[n - 1]} {w}")
    # "may" and "march" are months only when capitalised
    return [t for t in out if t not in {"may", "march"} or re.search(rf"\b{t.capitalize()}\b", text)]


def negations(text: str) -> int:
    """How many negations ``text`` has."""
    return len(_NEGATION.findall(text.casefold()))


def quote_key(text: str) -> str:
    """A quotation as compared: case-folded, without whitespace or surrounding punctuation."""
    return _WS.sub("", text.strip(_STRIP).casefold())


@dataclass(frozen=True, slots=True)
class Claims:
    """What one sentence asserts that its sources must contain."""

    text: str  # normalised
    names: tuple[str, ...]
    numbers: tuple[str, ...]
    dates: tuple[str, ...]
    quotes: tuple[str, ...]
    negations: int


def analyse(sentence: str) -> Claims:
    """The names, numbers, dates, quotations and negations of one (generated) sentence."""
    text = normalise(sentence)
    dates = date_terms(text)
    date_words = {w for t in dates for w in t.split()}
    names = tuple(n for n in _names(text) if n.casefold() not in date_words)
    quotes = tuple(
        q
        for q in [
            *(m.group(1) for m in _QUOTE_D.finditer(text)),
            *(m.group(1) for m in _QUOTE_S.finditer(text)),
        ]
        if len(q.strip(_STRIP)) >= R.MIN_QUOTE_CHARS
    )
    return Claims(
        text=text,
        names=tuple(dict.fromkeys(names)),
        numbers=tuple(sorted(number_values(text))),
        dates=tuple(dict.fromkeys(dates)),
        quotes=tuple(dict.fromkeys(quotes)),
        negations=negations(text),
    )


def _names(text: str) -> Iterable[str]:
    """Capitalised words that are names: not at the start of a clause unless a capitalised word follows
    (as in "Gary Locke said"), not a capitalised function word."""
    matches = list(_NAME.finditer(text))
    for n, m in enumerate(matches):
        word = m.group(0)
        if len(word) < 2 or word.split("'")[0].casefold() in R.NOT_NAMES:
            continue
        at_start = bool(_CLAUSE_START.search(text[: m.start()]))
        if at_start:
            following = matches[n + 1] if n + 1 < len(matches) else None
            joined = following is not None and text[m.end() : following.start()] == " "
            if not joined or following is None or following.group(0).casefold() in R.NOT_NAMES:
                continue
        yield re.sub(r"'s$", "", word)
