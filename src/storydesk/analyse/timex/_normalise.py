"""One function per kind of expression: a regex match becomes a TIMEX3 type, value and anchor.

Each ``_kind`` function gets the match and a :class:`Context` and returns a :class:`Reading` or None
(the match is not a temporal expression, e.g. "May" the verb or "2000 people"). The anchor says what a
relative value was resolved against: ``None`` for an absolute expression ("24 April 2019"),
``"published"`` for the document's creation time, ``"sentence"`` for an explicit date earlier in the
same sentence, ``"previous"`` for the last date the document mentioned before it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import rules
from ._calendar import (
    add_months,
    easter,
    granularity_of,
    iso_week,
    last_weekday,
    nth_weekday,
    quarter_of,
    shift_value,
)

__all__ = ["Context", "Reading", "read_match"]


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
        """``future`` when a future marker stands in the words before the expression (in its clause),
        else None (read as the past, the usual case in news)."""
        lo = max(self.sentence_start, start - rules.TENSE_WINDOW)
        left = self.text[lo:start]
        cut = max(left.rfind(","), left.rfind(";"), left.rfind(" said "), left.rfind("``"), left.rfind('"'))
        if cut >= 0:
            left = left[cut + 1 :]
        if rules.FUTURE_RE.search(left) or (loose and rules.FUTURE_LOOSE_RE.search(left)):
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


# --- readers ---------------------------------------------------------------------------------------

_NEEDS_DCT = ("no_publication_date",)


def _month_day(m: re.Match[str], ctx: Context) -> Reading | None:
    month = _month_number(_g(m, "month"))
    day = int(_g(m, "day"))
    weekday = _g(m, "weekday")
    if _g(m, "year"):
        resolved = _safe(int(_g(m, "year")), month, day)
        if resolved is None:
            return None
        return Reading("DATE", resolved.isoformat(), None, _weekday_flags(weekday, resolved))
    ranged = _in_range(month, day, m, ctx)
    if ranged is not None:
        return Reading("DATE", ranged[0].isoformat(), ranged[1], _weekday_flags(weekday, ranged[0]))
    if ctx.dct is None:
        return Reading("DATE", f"XXXX-{month:02d}-{day:02d}", None, _NEEDS_DCT)
    resolved = _resolve_month_day(month, day, ctx, m.start(), m.end())
    if resolved is None:
        return None
    return Reading("DATE", resolved.isoformat(), "published", _weekday_flags(weekday, resolved))


def _in_range(month: int, day: int, m: re.Match[str], ctx: Context) -> tuple[dt.date, str] | None:
    """The date of a day without year that is one end of a range whose other end states the year."""
    right = rules.RANGE_RIGHT_RE.match(ctx.after(m.end(), 60))
    if right is not None:
        end = _safe(int(right.group("year")), _month_number(right.group("month")), int(right.group("day")))
        if end is not None:
            start = _safe(end.year, month, day)
            if start is not None and start > end:
                start = _safe(end.year - 1, month, day)
            if start is not None:
                return start, f"sentence:{end.isoformat()}"
    for pos, value, anchor in reversed(ctx.earlier):
        if pos < ctx.sentence_start:
            break
        if anchor is not None or granularity_of(value) != "day":
            continue
        between = ctx.text[pos : m.start()]
        joined = re.sub(r"^.*?\d{4}", "", between, count=1)
        if rules.RANGE_JOIN_BEFORE_RE.match(joined):
            first = dt.date.fromisoformat(value[:10])
            later = _safe(first.year, month, day)
            if later is not None and later < first:
                later = _safe(first.year + 1, month, day)
            if later is not None:
                return later, f"sentence:{first.isoformat()}"
        break
    return None


def _numeric(m: re.Match[str], ctx: Context) -> Reading | None:
    month, day = int(_g(m, "m")), int(_g(m, "d"))
    weekday = _g(m, "weekday")
    if _g(m, "y"):
        resolved = _safe(_year2(_g(m, "y")), month, day)
        if resolved is None:
            return None
        return Reading("DATE", resolved.isoformat(), None, _weekday_flags(weekday, resolved))
    if ctx.dct is None:
        flags = _NEEDS_DCT + (("weekday_unverified",) if weekday else ())
        return Reading("DATE", f"XXXX-{month:02d}-{day:02d}", None, flags)
    resolved = _resolve_month_day(month, day, ctx, m.start(), m.end())
    if resolved is None:
        return None
    return Reading("DATE", resolved.isoformat(), "published", _weekday_flags(weekday, resolved))


def _iso(m: re.Match[str], ctx: Context) -> Reading | None:
    resolved = _safe(int(_g(m, "year")), int(_g(m, "m")), int(_g(m, "d")))
    return Reading("DATE", resolved.isoformat()) if resolved else None


def _month_year(m: re.Match[str], ctx: Context) -> Reading | None:
    return Reading("DATE", f"{int(_g(m, 'year')):04d}-{_month_number(_g(m, 'month')):02d}")


_MONTH_INTRO = re.compile(
    r"(?:\b(?:in|since|until|till|by|from|through|during|of|before|after|last|this|next|early|late|mid|"
    r"and|or|to|between|for|each|every|until|on|throughout|past|that|the|end|beginning|start|middle)"
    r"|[,(-])\s*$",
    re.IGNORECASE,
)


def _month_rel_year(m: re.Match[str], ctx: Context) -> Reading | None:
    month = _month_number(_g(m, "month"))
    if ctx.dct is None:
        return Reading("DATE", f"XXXX-{month:02d}", None, _NEEDS_DCT)
    year = ctx.dct.year + {"last": -1, "next": 1}.get(_lower(m, "rel"), 0)
    return Reading("DATE", f"{year:04d}-{month:02d}", "published")


def _month(m: re.Match[str], ctx: Context) -> Reading | None:
    word = _g(m, "month")
    month = _month_number(word)
    rel = _lower(m, "rel")
    if not rel and not _g(m, "mod") and not _MONTH_INTRO.search(ctx.before(m.start(), 20)):
        return None
    if ctx.dct is None:
        return Reading("DATE", f"XXXX-{month:02d}", None, _NEEDS_DCT)
    year = _resolve_month(month, rel, ctx, m.start(), m.end())
    return Reading("DATE", f"{year:04d}-{month:02d}", "published")


def _weekday(m: re.Match[str], ctx: Context) -> Reading | None:
    weekday = rules.WEEKDAYS[_g(m, "weekday").lower()]
    pod = _lower(m, "pod")
    if ctx.dct is None:
        return Reading("DATE", "XXXX-WXX-" + str(weekday + 1), None, _NEEDS_DCT)
    day = _resolve_weekday(weekday, _lower(m, "rel"), ctx, m.start(), m.end())
    value = day.isoformat()
    if pod:
        value += "T" + rules.PARTS_OF_DAY[pod]
    span = None
    if _g(m, "weekday") and m.group(0).endswith("'s"):
        span = (m.start(), m.end() - 2)
    return Reading("DATE", value, "published", (), span)


def _pod_weekday(m: re.Match[str], ctx: Context) -> Reading | None:
    if ctx.dct is None:
        return None
    weekday = rules.WEEKDAYS[_g(m, "weekday").lower()]
    day = _resolve_weekday(weekday, "", ctx, m.start(), m.end())
    pod = re.split(r"[\s-]", _lower(m, "podw"))[-1]
    return Reading("TIME", f"{day.isoformat()}T{rules.PARTS_OF_DAY[pod]}", "published")


def _clock_value(hour: int, minute: int, ampm: str) -> tuple[int, int] | None:
    ampm = ampm.replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return hour, minute


def _day_of(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    """The day a clock time is on: the date or weekday next to it, today/yesterday, a date stated
    earlier in the sentence, else the creation day."""
    if _g(m, "month") and _g(m, "day"):
        month, day = _month_number(_g(m, "month")), int(_g(m, "day"))
        if ctx.dct is None:
            return f"XXXX-{month:02d}-{day:02d}", None
        resolved = _resolve_month_day(month, day, ctx, m.start(), m.end())
        if resolved is not None:
            return resolved.isoformat(), "published"
    if ctx.dct is None:
        return "XXXX-XX-XX", None
    if not _g(m, "weekday") and not _g(m, "dayrel"):
        found = ctx.previous_date(m.start(), frozenset({"day"}))
        if found and found[1].startswith("sentence"):
            return found[0][:10], found[1]
    if _g(m, "weekday"):
        weekday = rules.WEEKDAYS[_g(m, "weekday").lower()]
        return _resolve_weekday(weekday, "", ctx, m.start(), m.end()).isoformat(), "published"
    rel = _lower(m, "dayrel")
    shift = {"yesterday": -1, "tomorrow": 1}.get(rel, 0)
    return (ctx.dct + dt.timedelta(days=shift)).isoformat(), "published"


def _clock(m: re.Match[str], ctx: Context) -> Reading | None:
    hm = _clock_value(int(_g(m, "hour")), int(_g(m, "minute") or 0), _g(m, "ampm"))
    if hm is None:
        return None
    day, anchor = _day_of(m, ctx)
    return Reading("TIME", f"{day}T{hm[0]:02d}:{hm[1]:02d}", anchor)


def _clock24(m: re.Match[str], ctx: Context) -> Reading | None:
    before = ctx.before(m.start(), 12).lower()
    if re.search(r"(?:\d[-–]|score|\bwon\b|\blost\b)\s*$", before):
        return None
    day, anchor = _day_of(m, ctx)
    return Reading("TIME", f"{day}T{int(_g(m, 'hour')):02d}:{_g(m, 'minute')}", anchor)


def _noon(m: re.Match[str], ctx: Context) -> Reading | None:
    word = _lower(m, "word")
    day, anchor = _day_of(m, ctx)
    clock = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[word]
    return Reading("TIME", f"{day}T{clock}", anchor)


def _oclock(m: re.Match[str], ctx: Context) -> Reading | None:
    hour = _number(_g(m, "hour"))
    day, anchor = _day_of(m, ctx)
    return Reading("TIME", f"{day}T{int(hour or 0):02d}:00", anchor)


def _clock_pod(m: re.Match[str], ctx: Context) -> Reading | None:
    hour = int(_g(m, "hour"))
    pod = _lower(m, "pod")
    if pod in {"afternoon", "evening", "night"} and hour < 12:
        hour = hour + 12 if not (pod == "night" and hour < 5) else hour
    day, anchor = _day_of(m, ctx)
    return Reading("TIME", f"{day}T{hour:02d}:00", anchor)


def _quarter_year(q: int, ctx: Context, start: int, end: int) -> int:
    assert ctx.dct is not None
    current = quarter_of(ctx.dct)
    if ctx.tense(start, end) == "future":
        return ctx.dct.year if q >= current else ctx.dct.year + 1
    return ctx.dct.year if q <= current else ctx.dct.year - 1


def _quarter(m: re.Match[str], ctx: Context) -> Reading | None:
    q = rules.ORDINALS[_lower(m, "ord")]
    rel = _lower(m, "rel")
    year_text = _g(m, "year") or _g(m, "year2")
    if year_text:
        return Reading("DATE", f"{int(year_text):04d}-Q{q}")
    if ctx.dct is None:
        return Reading("DATE", f"XXXX-Q{q}", None, _NEEDS_DCT)
    if rel.startswith("this year"):
        return Reading("DATE", f"{ctx.dct.year:04d}-Q{q}", "published")
    if rel.startswith("next year"):
        return Reading("DATE", f"{ctx.dct.year + 1:04d}-Q{q}", "published")
    if rel.startswith("last year"):
        return Reading("DATE", f"{ctx.dct.year - 1:04d}-Q{q}", "published")
    year = _quarter_year(q, ctx, m.start(), m.end())
    if "year-ago" in rel or "year-earlier" in rel:
        year -= 1
    return Reading("DATE", f"{year:04d}-Q{q}", "published")


def _reported_quarter(ctx: Context) -> str:
    """The last quarter that ended before the creation time (what "the quarter" reports)."""
    assert ctx.dct is not None
    total = ctx.dct.year * 4 + quarter_of(ctx.dct) - 2
    return f"{total // 4:04d}-Q{total % 4 + 1}"


def _quarter_ref(m: re.Match[str], ctx: Context) -> Reading | None:
    words = set(_lower(m, "ref").split())
    head = m.group(0).lower().split()[0]
    if ctx.dct is None:
        return Reading("DATE", "XXXX-QX", None, _NEEDS_DCT)
    if {"first", "final"} & words:
        return None
    value = _reported_quarter(ctx)
    if head.startswith(("last year", "this year")) or "'s" in m.group(0):
        if head.startswith("last"):
            value = shift_value(value, "year", -1) or value
        return Reading("DATE", value, "published")
    if "current" in words or head == "next":
        value = shift_value(value, "quarter", 1 if "current" in words else 2) or value
    elif {"year-ago", "year-earlier", "comparable", "same", "year-before", "prior"} & words:
        value = shift_value(value, "year", -1) or value
    elif {"previous"} & words:
        value = shift_value(value, "quarter", -1) or value
    elif head == "that":
        found = ctx.previous_date(m.start(), frozenset({"quarter"}))
        return Reading("DATE", found[0], found[1]) if found else None
    return Reading("DATE", value, "published")


def _half(m: re.Match[str], ctx: Context) -> Reading | None:
    h = 1 if _lower(m, "h") == "first" else 2
    if _g(m, "year"):
        return Reading("DATE", f"{int(_g(m, 'year')):04d}-H{h}")
    if ctx.dct is None:
        return None
    rel = _lower(m, "rel")
    year = ctx.dct.year + {"last": -1, "next": 1}.get(rel, 0)
    if not rel and h == 2 and ctx.dct.month <= 6 and ctx.tense(m.start(), m.end()) != "future":
        year -= 1
    return Reading("DATE", f"{year:04d}-H{h}", "published")


def _fiscal(m: re.Match[str], ctx: Context) -> Reading | None:
    return Reading("DATE", f"{_year2(_g(m, 'year')):04d}")


def _decade(m: re.Match[str], ctx: Context) -> Reading | None:
    return Reading("DATE", _g(m, "decade")[:3])


def _decade_short(m: re.Match[str], ctx: Context) -> Reading | None:
    digit = _g(m, "decade")[0]
    century = "19" if ctx.dct is None or digit != "0" and ctx.dct.year < 2000 + 10 * int(digit) else "20"
    if ctx.dct is not None and ctx.dct.year < 2000:
        century = "19"
    return Reading("DATE", f"{century}{digit}")


def _century(m: re.Match[str], ctx: Context) -> Reading | None:
    word = _lower(m, "cent")
    n = rules.ORDINALS.get(word)
    if n is None:
        digits = re.match(r"\d+", word)
        if not digits:
            return None
        n = int(digits.group())
    return Reading("DATE", f"{n - 1:02d}")


def _year(m: re.Match[str], ctx: Context) -> Reading | None:
    year = int(_g(m, "year"))
    after = ctx.after(m.end(), 30)
    before = ctx.before(m.start(), 30)
    if rules.YEAR_REJECT_AFTER.match(after):
        return None
    if re.match(r"^\s*(?:-|–|to)\s*\d", after) and not rules.YEAR_ACCEPT_BEFORE.search(before):
        if not re.match(r"^\s*(?:-|–|to)\s*(?:1[0-9]|20)\d\d\b", after):
            return None
    if year < rules.YEAR_MIN:
        return None
    latest = (ctx.dct.year if ctx.dct else dt.date.today().year) + rules.YEAR_MAX_AHEAD
    if year > latest:
        return None
    words = m.group(0).lower()
    if not (_g(m, "mod") or "year" in words or rules.YEAR_ACCEPT_BEFORE.search(before)):
        if rules.YEAR_REJECT_BEFORE.search(before):
            return None
        if year < 1900:
            return None
    return Reading("DATE", f"{year:04d}")


def _season(m: re.Match[str], ctx: Context) -> Reading | None:
    season = rules.SEASONS[_lower(m, "season")]
    rel = _lower(m, "rel")
    if rel == "last" and ctx.dct is not None:
        return Reading("DATE", f"{ctx.dct.year - 1:04d}-{season}", "published")
    if _g(m, "year"):
        return Reading("DATE", f"{int(_g(m, 'year')):04d}-{season}")
    if not rel and not _g(m, "mod"):
        before = ctx.before(m.start(), 12).lower()
        if not (_g(m, "the") and re.search(r"\b(?:in|during|over|through|until|since|by|for)\s*$", before)):
            if not re.search(r"\b(?:in|during|until|since|by|this|last|next|early|late)\s*$", before):
                return None
    if ctx.dct is None:
        return Reading("DATE", f"XXXX-{season}", None, _NEEDS_DCT)
    month = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}[season]
    year = _resolve_month(month, rel, ctx, m.start(), m.end())
    if season == "WI" and ctx.dct.month == 12 and rel not in {"last", "next"}:
        year = ctx.dct.year
    return Reading("DATE", f"{year:04d}-{season}", "published")


def _day_rel(m: re.Match[str], ctx: Context) -> Reading | None:
    word = _lower(m, "word")
    pod = _lower(m, "pod")
    shift = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
             "the day after tomorrow": 2}[word]  # fmt: skip
    if ctx.dct is None:
        return Reading("DATE", None, None, _NEEDS_DCT)
    day = ctx.dct + dt.timedelta(days=shift)
    if pod:
        return Reading("TIME", f"{day.isoformat()}T{rules.PARTS_OF_DAY[pod]}", "published")
    return Reading("DATE", day.isoformat(), "published")


def _pod_rel(m: re.Match[str], ctx: Context) -> Reading | None:
    words = _lower(m, "word").split()
    if ctx.dct is None:
        return Reading("TIME", None, None, _NEEDS_DCT)
    if words == ["tonight"]:
        return Reading("TIME", f"{ctx.dct.isoformat()}TNI", "published")
    if words == ["overnight"]:
        if ctx.before(m.start(), 10).strip() or ctx.after(m.end(), 3).strip()[:1].isalpha():
            return None
        return Reading("TIME", f"{ctx.dct.isoformat()}TNI", "published")
    shift = -1 if "last" in words or "yesterday" in words else 1 if "tomorrow" in words else 0
    pod = next(w for w in words if w in rules.PARTS_OF_DAY)
    day = ctx.dct + dt.timedelta(days=shift)
    return Reading("TIME", f"{day.isoformat()}T{rules.PARTS_OF_DAY[pod]}", "published")


_BACK = {"last", "the past", "the last", "the previous", "this past", "the prior"}
_AHEAD = {"next", "the coming", "the following", "this coming", "the next"}


def _unit_value(day: dt.date, unit: str, shift: int) -> str:
    if unit == "week":
        return iso_week(day + dt.timedelta(weeks=shift))
    if unit == "weekend":
        return iso_week(day + dt.timedelta(weeks=shift)) + "-WE"
    if unit == "month":
        moved = add_months(day, shift)
        return f"{moved.year:04d}-{moved.month:02d}"
    if unit == "decade":
        return f"{(day.year // 10 + shift):03d}"
    if unit == "century":
        return f"{(day.year // 100 + shift):02d}"
    return f"{day.year + shift:04d}"


def _unit_rel(m: re.Match[str], ctx: Context) -> Reading | None:
    rel = _lower(m, "rel")
    unit = _lower(m, "unit")
    if rel in {"the following", "the previous", "the prior"} or (rel == "the next" and unit == "year"):
        found = ctx.previous_date(m.start(), frozenset({"day", "month", "year"}))
        if found is None or not found[1].startswith("sentence") and rel != "the next":
            return Reading("DATE", None, None, ("unresolved",))
        if found is not None:
            shifted = shift_value(
                found[0][:4] if unit == "year" else found[0], unit, 1 if rel in _AHEAD else -1
            )
            if shifted:
                return Reading("DATE", shifted, found[1])
    if rel in {"that", "the same"}:
        grans = {"week": "week", "month": "month", "year": "year"}.get(unit)
        if grans is None:
            return None
        found = ctx.previous_date(m.start(), frozenset({grans, "day"}))
        if not found:
            return None
        value = found[0] if grans == "day" or granularity_of(found[0]) == grans else None
        if value is None and granularity_of(found[0]) == "day":
            day = dt.date.fromisoformat(found[0][:10])
            value = _unit_value(day, unit, 0)
        return Reading("DATE", value, found[1]) if value else None
    if rel == "the" and unit in {"week", "weekend", "decade", "century"}:
        return None
    if ctx.dct is None:
        return Reading("DATE", None, None, _NEEDS_DCT)
    if rel in {"the past", "the last"} and unit == "week":
        return Reading("DURATION", "P1W", "published")
    shift = -1 if rel in _BACK else 1 if rel in _AHEAD else 0
    if unit == "weekend" and shift == 0 and ctx.dct.weekday() < 3:
        shift = -1
    if rel == "the" and unit == "year" and re.match(r"^\s+(?:end(?:ed|ing)|to)\b", ctx.after(m.end(), 12)):
        return Reading("DURATION", "P1Y", "published")
    return Reading("DATE", _unit_value(ctx.dct, unit, shift), "published")


def _ago(m: re.Match[str], ctx: Context) -> Reading | None:
    n = _number(_g(m, "num"))
    unit = _unit(_g(m, "unit"))
    direction = _lower(m, "dir")
    approx = _lower(m, "approx")
    if unit in {"second", "minute", "hour", "night", "season", "millennium"}:
        return Reading("DURATION", _duration(n, unit)) if unit != "night" else None
    ahead = direction in {"later", "after", "from now", "hence"}
    sign = 1 if ahead else -1
    if n is None:
        return Reading("DATE", "FUTURE_REF" if ahead else "PAST_REF", "published" if ctx.dct else None)
    if approx in {"more than", "over", "less than", "nearly", "almost"} and unit in {"decade", "century"}:
        return Reading("DURATION", _duration(n, unit))
    quarter = (
        ctx.previous_date(m.start(), frozenset({"quarter"}), within=rules.QUARTER_CONTEXT_CHARS)
        if unit == "year" and n == 1
        else None
    )
    if quarter is not None and not ahead:
        base, anchor = quarter
    elif direction in {"ago", "from now", "hence", "back"}:
        if ctx.dct is None:
            return Reading("DATE", None, None, _NEEDS_DCT)
        base, anchor = ctx.dct.isoformat(), "published"
    else:
        grans = frozenset({"day"} if unit in {"day", "week"} else {"day", "month", "quarter", "year"})
        found = ctx.previous_date(m.start(), grans)
        if found and found[1].startswith("sentence"):
            base, anchor = found
        elif ctx.dct is not None and unit in {"year", "decade"}:
            found = ctx.previous_date(m.start(), frozenset({"quarter"}))
            base, anchor = (found[0], found[1]) if found else (ctx.dct.isoformat(), "published")
        elif found:
            base, anchor = found
        else:
            return Reading("DURATION", _duration(n, unit))
    count = int(n)
    if unit == "decade":
        value = shift_value(base, "year", sign * 10 * count)
        value = value[:3] if value else None
    elif unit == "century":
        value = f"{int(base[:2]) + sign * count:02d}"
    elif unit == "weekend":
        value = shift_value(base, "week", sign * count)
        value = value + "-WE" if value else None
    else:
        value = shift_value(base, unit, sign * count)
        if value and unit == "year" and granularity_of(base) == "day":
            value = value[:4]
    return Reading("DATE", value, anchor)


def _year_ago(m: re.Match[str], ctx: Context) -> Reading | None:
    unit = _lower(m, "rel")
    if ctx.dct is None:
        return None
    if unit == "year":
        found = ctx.previous_date(m.start(), frozenset({"quarter"}))
        base = found[0] if found else _reported_quarter(ctx)
        return Reading("DATE", shift_value(base, "year", -1), found[1] if found else "published")
    return None


_SET_BEFORE = re.compile(
    r"(?:\d[\d,.]*\s*(?:%|percent|million|billion|trillion|thousand|cents?|dollars|yen|marks|tons|"
    r"barrels|pounds|euros|hours|miles|people|times)?|\b(?:once|twice|times))\s*$",
    re.IGNORECASE,
)


def _duration_reading(m: re.Match[str], ctx: Context) -> Reading | None:
    num = _lower(m, "num")
    unit_word = _g(m, "unit")
    unit = _unit(unit_word)
    plural = (
        unit_word.lower().endswith(("s", "ia"))
        and unit not in {"century", "millennium"}
        or unit_word.lower() in {"centuries", "millennia"}
    )
    approx = _lower(m, "approx")
    if num in {"a", "an"} and plural:
        return None
    if num in {"a", "an"} and not approx:
        before = ctx.before(m.start(), 30)
        if _SET_BEFORE.search(before):
            return Reading("SET", _duration(1, unit))
        if unit in {"day", "night"} and re.search(r"\b(?:one|some|any|every|each)\s*$", before, re.I):
            return None
    n = _number(num)
    if n is None and num not in rules.VAGUE_NUMBERS and num not in {"hundreds of", "dozens of"}:
        return None
    if unit == "night" and n is None:
        return None
    if unit == "quarter" and n is not None and approx.startswith("the") and approx not in {"the"}:
        return Reading("DURATION", f"P{_fmt_number(3 * n)}M")
    if unit == "weekend" and num not in {"a", "an"}:
        return None
    if "and a half" in m.group(0).lower() and n is not None:
        n += 0.5
    if unit == "season":
        return None
    if num in {"first", "one"} and unit == "day" and re.match(r"^\s+of\b", ctx.after(m.end(), 6)):
        return None
    return Reading("DURATION", _duration(n, unit))


def _duration_half(m: re.Match[str], ctx: Context) -> Reading | None:
    text = _lower(m, "half")
    for unit in ("minute", "hour", "day", "year", "century", "decade"):
        if unit in text:
            break
    if "and a half" in text:
        return Reading("DURATION", _duration(1.5, unit))
    if unit == "hour":
        return Reading("DURATION", "PT30M")
    return Reading("DURATION", _duration(0.5, unit))


def _vague_duration(m: re.Match[str], ctx: Context) -> Reading | None:
    pre = _lower(m, "pre")
    unit = _unit(_g(m, "unit"))
    if pre == "recent" or pre.endswith(("past few", "last few", "past several", "last several")):
        return Reading("DATE", "PAST_REF", "published" if ctx.dct else None)
    if pre == "coming" or pre.endswith(("coming few", "next few", "coming several", "next several")):
        return Reading("DATE", "FUTURE_REF", "published" if ctx.dct else None)
    if pre in {"for", "over", "in", "within"}:
        after = ctx.after(m.end(), 12).lower()
        if re.match(r"^\s*(?:of|ago|later|earlier|old)\b", after):
            return None
        return Reading("DURATION", _duration(None, unit), None, (), (m.start("unit"), m.end("unit")))
    return Reading("DURATION", _duration(None, unit))


def _years_bare(m: re.Match[str], ctx: Context) -> Reading | None:
    before = ctx.before(m.start(), 20).lower()
    if re.search(
        r"(?:\d|\b(?:few|several|many|some|two|three|four|five|six|seven|eight|nine|ten|"
        r"the|those|these|recent|coming|past|last|next|early|later|final|first|of)\s*)$",
        before,
    ):
        return None
    return Reading("DURATION", _duration(None, _unit(_g(m, "unit"))))


_SET_ADVERBS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
                "nightly": "P1D", "hourly": "PT1H", "biweekly": "P2W", "quarterly": "P3M",
                "semiannually": "P6M"}  # fmt: skip


def _set_adverb(m: re.Match[str], ctx: Context) -> Reading | None:
    return Reading("SET", _SET_ADVERBS[_lower(m, "word")])


def _set_every(m: re.Match[str], ctx: Context) -> Reading | None:
    weekday = _g(m, "weekday")
    if weekday:
        return Reading("SET", f"XXXX-WXX-{rules.WEEKDAYS[weekday.lower()] + 1}")
    unit = _lower(m, "unit")
    num = _lower(m, "num")
    n = 2 if num == "other" else (_number(num) or 1)
    if unit in rules.PARTS_OF_DAY:
        return Reading("SET", f"XXXX-XX-XXT{rules.PARTS_OF_DAY[unit]}")
    if unit in rules.SEASONS:
        return Reading("SET", f"XXXX-{rules.SEASONS[unit]}")
    if unit == "weekend":
        return Reading("SET", "XXXX-WXX-WE")
    return Reading("SET", _duration(n, unit))


def _set_a(m: re.Match[str], ctx: Context) -> Reading | None:
    return Reading("SET", _duration(1, _lower(m, "unit")))


def _set_weekdays(m: re.Match[str], ctx: Context) -> Reading | None:
    weekday = _g(m, "weekday").rstrip("s").lower()
    return Reading("SET", f"XXXX-WXX-{rules.WEEKDAYS[weekday] + 1}")


def _ref(m: re.Match[str], ctx: Context) -> Reading | None:
    word = _lower(m, "word")
    found = rules.REF_WORDS.get(word)
    if found is None:
        return None
    need = rules.REF_REQUIRES_NEXT.get(word)
    if need is not None and not need.match(ctx.after(m.end(), 30)):
        return None
    reject = rules.REF_REJECT_BEFORE.get(word)
    if reject is not None and reject.search(ctx.before(m.start(), 20)):
        return None
    return Reading(found[0], found[1], "published" if ctx.dct else None)


def _anaphora(m: re.Match[str], ctx: Context) -> Reading | None:
    word = _lower(m, "word")
    if word == "year-end":
        if ctx.dct is None:
            return None
        return Reading("DATE", f"{ctx.dct.year:04d}", "published")
    if word == "the weekend":
        if ctx.dct is None:
            return None
        shift = -1 if ctx.dct.weekday() < 3 else 0
        return Reading("DATE", _unit_value(ctx.dct, "weekend", shift), "published")
    if word.endswith("period"):
        if ctx.dct is None:
            return None
        found = ctx.previous_date(m.start(), frozenset({"quarter", "year", "month", "half"}))
        base = found[0] if found else _reported_quarter(ctx)
        if "year" in word or "comparable" in word:
            return Reading("DATE", shift_value(base, "year", -1), found[1] if found else "published")
        return Reading("DATE", base, found[1] if found else "published")
    found = ctx.previous_date(m.start(), frozenset({"day"}))
    if not found:
        return None
    day = dt.date.fromisoformat(found[0][:10])
    shift = (
        1
        if ("next" in word or "following" in word)
        else -1
        if ("previous" in word or "before" in word)
        else 0
    )
    value = (day + dt.timedelta(days=shift)).isoformat()
    if "night" in word:
        return Reading("TIME", value + "TNI", found[1])
    return Reading("DATE", value, found[1])


def _holiday_date(name: str, year: int) -> dt.date | None:
    name = re.sub(r"\s+", " ", name.lower())
    if name in rules.FIXED_HOLIDAYS:
        month, day = rules.FIXED_HOLIDAYS[name]
        return dt.date(year, month, day)
    if name.startswith("thanksgiving"):
        return nth_weekday(year, 11, 3, 4)
    if name.startswith("easter"):
        return easter(year)
    if name == "good friday":
        return easter(year) - dt.timedelta(days=2)
    if name == "labor day":
        return nth_weekday(year, 9, 0, 1)
    if name == "memorial day":
        return last_weekday(year, 5, 0)
    if name == "election day":
        return nth_weekday(year, 11, 0, 1) + _ONE_DAY
    return None


def _holiday(m: re.Match[str], ctx: Context) -> Reading | None:
    name = _g(m, "name")
    if _g(m, "year"):
        year, anchor = int(_g(m, "year")), None
    elif ctx.dct is not None:
        day = _holiday_date(name, ctx.dct.year)
        if day is None:
            return None
        year = ctx.dct.year
        if ctx.tense(m.start(), m.end()) == "future":
            year += 1 if (ctx.dct - day).days > rules.FUTURE_TOLERANCE_DAYS else 0
        elif (day - ctx.dct).days > rules.FUTURE_TOLERANCE_DAYS:
            year -= 1
        anchor = "published"
    else:
        return Reading("DATE", None, None, _NEEDS_DCT)
    day = _holiday_date(name, year)
    if day is None:
        return None
    if name.lower().endswith("week"):
        return Reading("DATE", iso_week(day), anchor)
    return Reading("DATE", day.isoformat(), anchor)


def _year_words(m: re.Match[str], ctx: Context) -> Reading | None:
    words = _lower(m, "words").replace(" and ", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = _number(" ".join(words[2:])) if len(words) > 2 else 0
        return Reading("DATE", f"{2000 + int(rest or 0):04d}") if rest is not None else None
    if words[0] != "nineteen":
        return None
    tail = [w for w in words[1:] if w != "hundred"]
    n = _number(" ".join(tail)) if tail else 0
    if n is None or n >= 100 or (not tail and "hundred" not in words):
        return None
    return Reading("DATE", f"19{int(n):02d}")


READERS: dict[str, Reader] = {
    "weekday_numeric": _numeric,
    "numeric": _numeric,
    "iso": _iso,
    "month_day": _month_day,
    "day_month": _month_day,
    "month_year": _month_year,
    "month": _month,
    "month_rel_year": _month_rel_year,
    "clock": _clock,
    "clock24": _clock24,
    "noon": _noon,
    "oclock": _oclock,
    "clock_pod": _clock_pod,
    "weekday": _weekday,
    "pod_weekday": _pod_weekday,
    "quarter": _quarter,
    "quarter_ref": _quarter_ref,
    "half": _half,
    "fiscal": _fiscal,
    "decade": _decade,
    "decade_short": _decade_short,
    "century": _century,
    "year": _year,
    "season": _season,
    "day_rel": _day_rel,
    "pod_rel": _pod_rel,
    "unit_rel": _unit_rel,
    "ago": _ago,
    "year_ago": _year_ago,
    "duration": _duration_reading,
    "duration_half": _duration_half,
    "vague_duration": _vague_duration,
    "years_bare": _years_bare,
    "set_adverb": _set_adverb,
    "set_every": _set_every,
    "set_a": _set_a,
    "set_weekdays": _set_weekdays,
    "ref": _ref,
    "anaphora": _anaphora,
    "holiday": _holiday,
    "holiday_lower": _holiday,
    "year_words": _year_words,
}


def read_match(kind: str, m: re.Match[str], ctx: Context) -> Reading | None:
    """The reading of one match of rule ``kind``, or None when it is not a temporal expression."""
    return READERS[kind](m, ctx)
