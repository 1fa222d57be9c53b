"""Date expressions in an article, resolved against its publication date.

The cascade, per sentence:

1. find expressions with the project's own patterns (:data:`rules.DATE_PATTERNS`, most specific first,
   never overlapping) rather than ``dateparser.search_dates``, which hits words such as "now";
2. resolve absolute ones ("24 April 2019", "March 2018", "in 2011") directly;
3. resolve relative ones ("on Wednesday", "last week", "yesterday", "April 24", "in March") against the
   publication date: weekdays, "ago" and "last/next week|month|year" through dateparser with
   ``RELATIVE_BASE`` = publication date and ``PREFER_DATES_FROM="past"``; month/day pairs without a year
   take the publication year (the year before when that lands well after publication);
4. check a weekday against an explicit date next to it ("Tuesday (04/22)"): a contradiction is flagged
   (``weekday_mismatch: Tuesday vs 2019-04-22 (Monday)``), never silently resolved.

An article without a publication date resolves no relative expression (its mentions keep ``date=None``
with the flag ``no_publication_date``); absolute ones still resolve.

Resolved dates are ISO strings at their granularity: ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month), ``YYYY``
(year).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..model import Article, DateMention, Granularity, Sentence
from .rules import (
    DATE_PATTERNS,
    DATEPARSER_LANGUAGES,
    DATEPARSER_SETTINGS,
    FUTURE_MODAL_RE,
    FUTURE_MODAL_WINDOW_WORDS,
    FUTURE_TOLERANCE_DAYS,
    MIN_REPORTED_CONTEXT_WORDS,
    MONTHS,
    RELATIVE_KINDS,
    SPEECH_VERBS,
    WEEKDAY_NAMES,
    WEEKDAYS,
)

__all__ = ["find_dates", "resolve_date_expression", "parse_published", "format_date", "DateMatch"]

Resolution = tuple[str | None, Granularity | None, tuple[str, ...]]

_NUMBER_WORD_VALUES = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


class DateMatch:
    """One date expression found in a text: its kind, span and the pattern's groups."""

    __slots__ = ("kind", "start", "end", "text", "groups")

    def __init__(self, kind: str, m: re.Match[str]) -> None:
        self.kind = kind
        self.start, self.end = m.span()
        self.text = m.group(0)
        self.groups: dict[str, str | None] = m.groupdict()


def parse_published(published: str | None) -> dt.date | None:
    """The publication date of an ISO date or timestamp string, or ``None``."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def format_date(day: dt.date, granularity: Granularity) -> str:
    """``day`` as an ISO string cut to ``granularity``."""
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def find_date_expressions(text: str) -> list[DateMatch]:
    """Every date expression in ``text``, in order; earlier patterns win overlapping spans."""
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            found.append(DateMatch(kind, m))
    found.sort(key=lambda d: d.start)
    return found


@lru_cache(maxsize=256)
def _dateparser(base: dt.date) -> Any:
    from dateparser.date import DateDataParser

    settings = dict(DATEPARSER_SETTINGS)
    settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day, 12, 0)
    return DateDataParser(languages=DATEPARSER_LANGUAGES, settings=settings)


def _dateparse(expression: str, base: dt.date) -> tuple[dt.date | None, str | None]:
    data = _dateparser(base).get_date_data(expression)
    if data is None or data.date_obj is None:
        return None, None
    return data.date_obj.date(), data.period


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _weekday_flags(weekday: str | None, day: dt.date | None) -> tuple[str, ...]:
    if not weekday or day is None:
        return ()
    named = WEEKDAYS[weekday.lower()]
    if named == day.weekday():
        return ()
    return (
        f"weekday_mismatch: {WEEKDAY_NAMES[named]} vs {day.isoformat()} ({WEEKDAY_NAMES[day.weekday()]})",
    )


def _year_for(month: int, day: int, published: dt.date, future: bool = False) -> dt.date | None:
    """A month/day without year: the publication year, or the one before when that is well in the future.

    With ``future`` (a future modal before it), the next such date on or after publication.
    """
    candidate = _safe_date(published.year, month, day)
    if future:
        if candidate is not None and candidate < published:
            candidate = _safe_date(published.year + 1, month, day)
        return candidate
    if candidate is not None and (candidate - published).days > FUTURE_TOLERANCE_DAYS:
        candidate = _safe_date(published.year - 1, month, day)
    return candidate


def _resolve_match(match: DateMatch, published: dt.date | None, future: bool = False) -> Resolution:
    g = match.groups
    kind = match.kind
    if kind in RELATIVE_KINDS and published is None and not (kind == "weekday_numeric" and g.get("y")):
        return None, None, ("no_publication_date",)
    if kind == "weekday_numeric":
        month, day = int(g["m"] or 0), int(g["d"] or 0)
        if g.get("y"):
            year = int(g["y"] or 0)
            year = year + 2000 if year < 100 else year
            resolved = _safe_date(year, month, day)
        else:
            assert published is not None
            resolved = _year_for(month, day, published)
        if resolved is None:
            return None, None, ("invalid_date",)
        return resolved.isoformat(), "day", _weekday_flags(g["weekday"], resolved)
    if kind == "iso":
        resolved = _safe_date(int(g["year"] or 0), int(g["m"] or 0), int(g["d"] or 0))
        return (resolved.isoformat(), "day", ()) if resolved else (None, None, ("invalid_date",))
    if kind in {"month_day_year", "day_month_year", "month_day", "day_month"}:
        month = MONTHS[(g["month"] or "").lower()]
        day = int(g["day"] or 0)
        if g.get("year"):
            resolved = _safe_date(int(g["year"] or 0), month, day)
        else:
            assert published is not None
            resolved = _year_for(month, day, published, future)
        if resolved is None:
            return None, None, ("invalid_date",)
        return resolved.isoformat(), "day", _weekday_flags(g.get("weekday"), resolved)
    if kind == "month_year":
        month = MONTHS[(g["month"] or "").lower()]
        return f"{int(g['year'] or 0):04d}-{month:02d}", "month", ()
    if kind == "month":
        assert published is not None
        month = MONTHS[(g["month"] or "").lower()]
        rel = (g.get("rel") or "").lower()
        year = published.year
        if rel == "next" or (future and not rel):
            year += 1 if month < published.month or (rel == "next" and month == published.month) else 0
        elif rel != "this" and month > published.month:
            year -= 1
        return f"{year:04d}-{month:02d}", "month", ()
    if kind == "year":
        return g["year"], "year", ()
    assert published is not None
    if kind == "weekday":
        rel = (g.get("rel") or "").lower()
        named = WEEKDAYS[(g["weekday"] or "").lower()]
        if rel == "next" or (future and rel in {"", "on"} and named != published.weekday()):
            resolved = published + dt.timedelta(days=(named - published.weekday()) % 7 or 7)
        elif rel in {"", "on", "this", "late", "early"} and named == published.weekday():
            resolved = published
        else:
            resolved, _ = _dateparse(
                f"last {g['weekday']}" if rel == "last" else str(g["weekday"]), published
            )
        return (resolved.isoformat(), "day", ()) if resolved else (None, None, ("unresolved",))
    expression = re.sub(r"\s+", " ", match.text.lower())
    return _resolve_relative_phrase(expression, published, g)


def _resolve_relative_phrase(expression: str, published: dt.date, g: dict[str, str | None]) -> Resolution:
    one_day = dt.timedelta(days=1)
    fixed = {"today": published, "tonight": published, "yesterday": published - one_day,
             "last night": published - one_day, "tomorrow": published + one_day}  # fmt: skip
    if expression in fixed:
        return fixed[expression].isoformat(), "day", ()
    unit = expression.rsplit(" ", 1)[-1]
    if expression.startswith(("earlier this", "later this", "this")):
        if unit in {"week", "weekend"}:
            return published.isoformat(), "day", ("approximate: week",)
        granularity: Granularity = "month" if unit == "month" else "year"
        return format_date(published, granularity), granularity, ()
    if g.get("unit"):  # "two days ago"
        n = _NUMBER_WORD_VALUES.get((g.get("n") or "").lower()) or int(g.get("n") or 0)
        unit = (g.get("unit") or "").rstrip("s")
        expression = f"{n} {unit}s ago" if n != 1 else f"1 {unit} ago"
    elif expression.startswith("past "):
        expression = "last " + unit
    resolved, period = _dateparse(expression, published)
    if resolved is None:
        return None, None, ("unresolved",)
    if unit.startswith("week"):
        return resolved.isoformat(), "day", ("approximate: week",)
    if unit.startswith("month") or period == "month":
        return format_date(resolved, "month"), "month", ()
    if unit.startswith("year") or period == "year":
        return format_date(resolved, "year"), "year", ()
    return resolved.isoformat(), "day", ()


def resolve_date_expression(
    text: str, published: str | dt.date | None
) -> list[tuple[str, str | None, str | None, tuple[str, ...]]]:
    """Every date expression in ``text`` as ``(expression, date, granularity, flags)``.

    ``published`` is the publication date (ISO string or date) or ``None``.
    """
    base = published if isinstance(published, dt.date) else parse_published(published)
    out = []
    for match in find_date_expressions(text):
        date, granularity, flags = _resolve_match(match, base)
        out.append((match.text, date, granularity, flags))
    return out


def _is_future(sentence_text: str, start: int) -> bool:
    """A future modal among the few words before position ``start`` of the sentence."""
    before = " ".join(sentence_text[:start].split()[-FUTURE_MODAL_WINDOW_WORDS:])
    return bool(FUTURE_MODAL_RE.search(before))


def _reported(sentence: Sentence, quoted: Sequence[tuple[int, int]]) -> bool:
    """Whether the sentence reports its quotation: a speech verb and some words outside the marks."""
    outside = []
    pos = sentence.start
    for s, e in quoted:
        if e <= sentence.start or s >= sentence.end:
            continue
        outside.append(sentence.text[pos - sentence.start : max(pos, s) - sentence.start])
        pos = max(pos, e)
    outside.append(sentence.text[pos - sentence.start :])
    words = [w.casefold() for w in re.findall(r"[A-Za-z]+", " ".join(outside))]
    return len(words) >= MIN_REPORTED_CONTEXT_WORDS and any(w in SPEECH_VERBS for w in words)


def find_dates(article: Article, sentences: Sequence[Sentence]) -> list[DateMention]:
    """The date expressions of ``article``, one :class:`DateMention` each, sentence by sentence.

    A relative expression inside quoted speech ("Where there were houses yesterday, …") is not resolved
    against the publication date unless the sentence reports the speech (``… ," she said on Tuesday``):
    it keeps ``date=None`` with the flag ``quoted_speech``. A future modal shortly before an expression
    ("would be inspected by the end of May") resolves it forward.
    """
    from .quotes import quoted_spans

    base = parse_published(article.published)
    quoted = quoted_spans(article.text)
    mentions: list[DateMention] = []
    for sentence in sentences:
        matches = find_date_expressions(sentence.text)
        if not matches:
            continue
        in_sentence = [(s, e) for s, e in quoted if s < sentence.end and e > sentence.start]
        reported = _reported(sentence, in_sentence) if in_sentence else True
        for match in matches:
            pos = sentence.start + match.start
            inside = any(s <= pos < e for s, e in in_sentence)
            if inside and not reported and match.kind in RELATIVE_KINDS:
                date, granularity, flags = None, None, ("quoted_speech",)
            else:
                future = _is_future(sentence.text, match.start)
                date, granularity, flags = _resolve_match(match, base, future)
            mentions.append(
                DateMention(
                    article_id=article.id,
                    sentence_index=sentence.index,
                    text=match.text,
                    date=date,
                    granularity=granularity,
                    flags=flags,
                )
            )
    return mentions
