"""Dates in header lines: "Last updated on April 27th, 2019", "Friday, 2019-04-26 18:08:15"."""

from __future__ import annotations

import re
from datetime import date

from . import rules

__all__ = ["parse_header_date"]

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


def _month(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    return _MONTHS.get(value.strip(".").lower()[:3])


def parse_header_date(line: str) -> str | None:
    """The ISO date (or timestamp) a header line states, when the line is nothing but a date.

    Returns ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM:SS`` (with ``+00:00`` for UTC/GMT/Z) when a time is
    given; None when the line is not a date line.
    """
    if len(line) > 120:
        return None
    for form in rules.DATE_FORMS:
        found = form.search(line)
        if not found:
            continue
        month = _month(found.group("m"))
        try:
            day = date(int(found.group("y")), month or 0, int(found.group("d")))
        except (TypeError, ValueError):
            continue
        rest = line[: found.start()] + " " + line[found.end() :]
        clock = rules.TIME_RE.search(rest)
        stamp = day.isoformat()
        if clock:
            stamp = _with_time(day, clock) or stamp
            rest = rest[: clock.start()] + " " + rest[clock.end() :]
        rest = rules.DATE_LINE_FILLER.sub(" ", rest)
        leftover = re.findall(r"[^\W\d_]{2,}", rest)
        if len(leftover) > rules.DATE_LINE_MAX_LEFTOVER_WORDS:
            return None
        return stamp
    return None


def _with_time(day: date, clock: re.Match[str]) -> str | None:
    hour, minute = int(clock.group("H")), int(clock.group("M"))
    second = int(clock.group("S") or 0)
    ampm = (clock.group("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    stamp = f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}"
    tz = (clock.group("tz") or "").upper()
    if tz in {"Z", "UTC", "GMT"}:
        return stamp + "+00:00"
    if tz and tz[0] in "+-":
        digits = tz[1:].replace(":", "")
        return f"{stamp}{tz[0]}{digits[:2]}:{digits[2:]}"
    return stamp
