"""What every reader shares: the :class:`Reading` it returns, the :class:`Context` it reads, and the
helpers that read numbers, units and years (the year a month, day or weekday falls in)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import rules
from ._calendar import granularity_of


@dataclass(frozen=True, slots=True)
class Reading:
    type: str
    value: str | None
    anchor: str | None = None
    flags: tuple[str, ...] = ()
    span: tuple[int, int] | None = None
    """A narrower span than the match (``for years`` keeps ``years``)."""


@dataclass(slots=True)
class Context:
    """What a reading may look at: the text, its creation time, the sentence and earlier values."""

    text: str
    dct: dt.date | None
    sentence_start: int = 0
    sentence_end: int = 0
    earlier: list[tuple[int, str, str | None]] = field(default_factory=list)
    """``(start, value, anchor)`` of the date values read so far, in text order."""

    def before(self, start: int, chars: int = 40) -> str:
        return self.text[max(self.sentence_start, start - chars) : start]

    def after(self, end: int, chars: int = 40) -> str:
        return self.text[end : min(self.sentence_end or len(self.text), end + chars)]

    def tense(self, start: int, end: int, loose: bool = False) -> str | None:
        """``future`` when a future marker stands in the words before the expression (in its clause), or,
        when the expression opens its clause, in the words after it before any past-tense verb; else None
        (read as the past, the usual case in news)."""
        lo = max(self.sentence_start, start - rules.TENSE_WINDOW)
        left = self.text[lo:start]
        cut = max(left.rfind(","), left.rfind(";"), left.rfind(" said "), left.rfind("``"), left.rfind('"'))
        if cut >= 0:
            left = left[cut + 1 :]
        if rules.FUTURE_RE.search(left) or (loose and rules.FUTURE_LOOSE_RE.search(left)):
            return "future"
        if all(w.casefold() in rules.CLAUSE_OPENING_WORDS for w in re.findall(r"[A-Za-z]+", left)):
            # the expression opens its clause ("On Sunday, SLOC officials will seek …"): its verb follows
            right = self.text[end : min(self.sentence_end or len(self.text), end + rules.TENSE_WINDOW)]
            cut = min(
                (i for i in (right.find(";"), right.find(" said "), right.find('"')) if i >= 0), default=-1
            )
            right = right[:cut] if cut >= 0 else right
            future, past = rules.FUTURE_RE.search(right), rules.PAST_RE.search(right)
            if future and (past is None or future.start() < past.start()):
                return "future"
        return None

    def previous_date(
        self, start: int, grans: frozenset[str], within: int | None = None
    ) -> tuple[str, str] | None:
        """The last date value of one of these granularities before ``start`` (at most ``within``
        characters before it), and the anchor it gives: ``sentence:<value>`` (an explicit date of the
        same sentence) or ``previous:<value>``."""
        for pos, value, anchor in reversed(self.earlier):
            if within is not None and start - pos > within:
                break
            if pos < start and granularity_of(value) in grans:
                # only an explicit date of the same sentence is a sentence anchor
                where = "sentence" if pos >= self.sentence_start and anchor is None else "previous"
                return value, f"{where}:{value}"
        return None


Reader = Callable[[re.Match[str], "Context"], Reading | None]

_ONE_DAY = dt.timedelta(days=1)


def _g(m: re.Match[str], name: str) -> str:
    try:
        return (m.group(name) or "").strip()
    except IndexError:
        return ""


def _lower(m: re.Match[str], name: str) -> str:
    return re.sub(r"\s+", " ", _g(m, name).lower())


def _month_number(word: str) -> int:
    return rules.MONTHS[word.lower().rstrip(".")]


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _number(word: str) -> float | None:
    """The number a word stands for, or None for a vague one ("several")."""
    word = re.sub(r"\s+", " ", word.lower().strip())
    if not word or word in rules.VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    if word in rules.NUMBER_WORDS:
        return float(rules.NUMBER_WORDS[word])
    parts = re.split(r"[- ]", word)
    if len(parts) == 2 and parts[0] in rules.NUMBER_WORDS and parts[1] in rules.NUMBER_WORDS:
        return float(rules.NUMBER_WORDS[parts[0]] + rules.NUMBER_WORDS[parts[1]])
    if word in {"hundreds of", "dozens of"}:
        return None
    return None


def _fmt_number(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _unit(word: str) -> str:
    """The singular unit of a unit word ("centuries" → "century")."""
    word = word.lower()
    if word in {"centuries", "century"}:
        return "century"
    if word in {"millennia", "millennium"}:
        return "millennium"
    return word[:-1] if word.endswith("s") else word


def _duration(n: float | None, unit: str) -> str:
    letter = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
              "weekend": "WE", "month": "M", "quarter": "Q", "year": "Y", "decade": "E",
              "century": "C", "millennium": "L", "season": "M"}[unit]  # fmt: skip
    amount = "X" if n is None else _fmt_number(n)
    if unit == "season" and n is not None:
        amount = _fmt_number(3 * n)
    prefix = "PT" if unit in {"second", "minute", "hour"} else "P"
    return f"{prefix}{amount}{letter}"


# --- year resolution -------------------------------------------------------------------------------


def _resolve_month_day(month: int, day: int, ctx: Context, start: int, end: int) -> dt.date | None:
    """A month/day without year: the publication year, moved by the tense or when well in the future."""
    assert ctx.dct is not None
    future = ctx.tense(start, end, loose=True) == "future"
    candidate = _safe(ctx.dct.year, month, day)
    if candidate is None:
        candidate = _safe(ctx.dct.year, month, 28) if month == 2 and day == 29 else None
        if candidate is None:
            return None
    if future:
        if (ctx.dct - candidate).days > rules.FUTURE_TOLERANCE_DAYS:
            candidate = _safe(ctx.dct.year + 1, month, day) or candidate
        return candidate
    if (candidate - ctx.dct).days > rules.FUTURE_TOLERANCE_DAYS:
        candidate = _safe(ctx.dct.year - 1, month, day) or candidate
    return candidate


def _resolve_month(month: int, rel: str, ctx: Context, start: int, end: int) -> int:
    """The year of a month named without one."""
    assert ctx.dct is not None
    year, now = ctx.dct.year, ctx.dct.month
    if rel in {"last", "this past", "the last", "the past", "the previous"}:
        return year if month < now else year - 1
    if rel in {"next", "this coming", "the coming", "the next", "the following"}:
        return year if month > now else year + 1
    if rel in {"this", "the current"}:
        return year
    if ctx.tense(start, end, loose=True) == "future":
        return year if month >= now - 1 else year + 1
    return year if month <= now + rules.FUTURE_TOLERANCE_MONTHS else year - 1


def _resolve_weekday(weekday: int, rel: str, ctx: Context, start: int, end: int) -> dt.date:
    assert ctx.dct is not None
    dct = ctx.dct
    back = (dct.weekday() - weekday) % 7
    ahead = (weekday - dct.weekday()) % 7
    if rel in {"last", "this past", "the last", "the past", "the previous"}:
        return dct - dt.timedelta(days=back or 7)
    if rel in {"next", "this coming", "the coming", "the next", "the following"}:
        return dct + dt.timedelta(days=ahead or 7)
    if ctx.tense(start, end) == "future":
        return dct + dt.timedelta(days=ahead)
    return dct - dt.timedelta(days=back)


def _weekday_flags(weekday: str, day: dt.date | None) -> tuple[str, ...]:
    if not weekday or day is None:
        return ()
    named = rules.WEEKDAYS[weekday.lower().rstrip(".")]
    if named == day.weekday():
        return ()
    return (
        f"weekday_mismatch: {rules.WEEKDAY_NAMES[named]} vs {day.isoformat()} "
        f"({rules.WEEKDAY_NAMES[day.weekday()]})",
    )


def _year2(text: str) -> int:
    year = int(text.lstrip("'"))
    return year + (1900 if year >= 50 else 2000) if year < 100 else year
