"""Readers of expressions that name their date or time: calendar dates, months, weekdays, clock times,
quarters, halves, decades, centuries and years (a missing year comes from the creation time)."""

from __future__ import annotations

import datetime as dt
import re

from . import rules
from ._calendar import granularity_of, quarter_of, shift_value
from ._context import (
    Context,
    Reading,
    _g,
    _lower,
    _month_number,
    _number,
    _resolve_month,
    _resolve_month_day,
    _resolve_weekday,
    _safe,
    _weekday_flags,
    _year2,
)

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
    """The day a clock time is on: the date or weekday next to it (or just after it, past a short
    parenthesis), today/yesterday, a date stated earlier in the sentence, else the creation day."""
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
        after = rules.CLOCK_THEN_WEEKDAY_RE.match(ctx.after(m.end()))
        if after:
            weekday = rules.WEEKDAYS[after.group("weekday").lower()]
            return _resolve_weekday(weekday, "", ctx, m.start(), m.end()).isoformat(), "published"
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
