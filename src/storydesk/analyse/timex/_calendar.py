"""Calendar arithmetic on TIMEX3 values: shifting a value by units, weeks, quarters, holidays."""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "add_months",
    "iso_week",
    "shift_value",
    "granularity_of",
    "easter",
    "nth_weekday",
    "last_weekday",
    "quarter_of",
]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months (the day clipped to the month's length)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_MONTH = re.compile(r"^(\d{4})-(\d\d)$")
_WEEK = re.compile(r"^(\d{4})-W(\d\d)$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(\d{4})$")


def granularity_of(value: str | None) -> str | None:
    """``day``, ``week``, ``month``, ``quarter``, ``half``, ``season``, ``year`` or None."""
    if not value:
        return None
    for name, pattern in (
        ("day", _DAY),
        ("month", _MONTH),
        ("week", _WEEK),
        ("quarter", _QUARTER),
        ("half", _HALF),
        ("season", _SEASON),
        ("year", _YEAR),
    ):
        if pattern.match(value):
            return name
    return None


def _day(value: str) -> dt.date | None:
    found = _DAY.match(value)
    if not found:
        return None
    try:
        return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def shift_value(value: str, unit: str, n: int) -> str | None:
    """A TIMEX3 date value moved by ``n`` units (day, week, month, quarter, year); None when the value is
    too coarse for the unit ("1998" cannot move by days)."""
    gran = granularity_of(value)
    if gran is None:
        return None
    if unit == "year":
        year = int(value[:4]) + n
        return f"{year:04d}{value[4:]}" if gran != "day" else _shift_day(value, years=n)
    if gran == "day":
        day = _day(value)
        if day is None:
            return None
        if unit == "day":
            return (day + dt.timedelta(days=n)).isoformat()
        if unit == "week":
            return iso_week(day + dt.timedelta(weeks=n))
        if unit == "month":
            moved = add_months(day, n)
            return f"{moved.year:04d}-{moved.month:02d}"
        if unit == "quarter":
            moved = add_months(day, 3 * n)
            return f"{moved.year:04d}-Q{quarter_of(moved)}"
        return None
    if gran == "week" and unit in {"week", "day"}:
        year, week = int(value[:4]), int(value[6:8])
        monday = dt.date.fromisocalendar(year, week, 1)
        return iso_week(monday + (dt.timedelta(weeks=n) if unit == "week" else dt.timedelta(days=n)))
    if gran == "month" and unit in {"month", "quarter"}:
        moved = add_months(dt.date(int(value[:4]), int(value[5:7]), 1), n * (3 if unit == "quarter" else 1))
        return f"{moved.year:04d}-{moved.month:02d}"
    if gran == "quarter" and unit == "quarter":
        total = int(value[:4]) * 4 + int(value[6]) - 1 + n
        return f"{total // 4:04d}-Q{total % 4 + 1}"
    return None


def _shift_day(value: str, years: int) -> str | None:
    day = _day(value)
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:
        return day.replace(year=day.year + years, day=28).isoformat()


def easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def last_weekday(year: int, month: int, weekday: int) -> dt.date:
    last = add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
