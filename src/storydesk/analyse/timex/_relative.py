"""Readers of expressions resolved against a reference: seasons, "yesterday", "last week", "two years
ago", durations, sets ("every Monday"), "the same day", holidays and years written in words."""

from __future__ import annotations

import datetime as dt
import re

from . import rules
from ._absolute import _NEEDS_DCT, _reported_quarter
from ._calendar import add_months, easter, granularity_of, iso_week, last_weekday, nth_weekday, shift_value
from ._context import (
    _ONE_DAY,
    Context,
    Reading,
    _duration,
    _fmt_number,
    _g,
    _lower,
    _number,
    _resolve_month,
    _unit,
)


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
