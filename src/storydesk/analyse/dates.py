"""Date expressions of an article, and which of them a timeline may trust.

The cascade, per article:

1. :func:`storydesk.analyse.timex.tag_timexes` finds every TimeML expression (DATE, TIME, DURATION, SET)
   in the text, sentence by sentence, and normalises it against the publication date (rules in the
   manner of HeidelTime; see that module);
2. each expression becomes a :class:`~storydesk.model.DateMention` with its span, type, value and
   ``anchor`` (``published:<date>``, ``sentence:<date>``, ``previous:<date>`` or None when absolute);
3. :func:`timeline_date` decides whether it pins a day, month or year that a timeline may trust
   (``date``/``granularity``), precision first — a date resolved against the wrong day is worse than
   none:

   * durations, sets, ``PRESENT_REF``-like references, quarters, seasons and decades never do;
   * a week ("last week") gives the publication date moved by whole weeks, flagged ``approximate: week``;
   * an expression resolved against a date mentioned in an earlier sentence ("a year earlier") does not
     (``anchored_to_previous_mention``);
   * a month or day without year in a sentence that states an explicit day far from the publication
     date, or a weekday after such a day ("left on March 3, 2015 and sank on Friday"), could be read
     against either: it is left out (``ambiguous_anchor``) — unless it is the other end of a range with
     that date ("between July 11 and Nov. 1, 1995"), which the tagger resolves against it;
   * a relative expression inside quoted speech that the sentence does not report ("Where there were
     houses yesterday, …") is left out (``quoted_speech``);
   * without a publication date no relative expression is (``no_publication_date``); absolute ones are;
   * a bare weekday after a plan told in the past ("was expected to arrive in Ankara on Monday") may be
     the Monday after the report or before it: left out (``future_in_past``);
   * a bare month that is one end of a range of months ("the lean season between January and May") is
     a period, not the event's day: left out (``month_range``);
   * a weekday next to an explicit date that contradicts it ("Tuesday (03/02)" in 2022, when 2 March was
     a Wednesday) keeps its date but carries ``weekday_mismatch: …``, which the timeline shows.

Resolved dates are ISO strings at their granularity: ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month), ``YYYY``
(year).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..model import Article, DateMention, Granularity, Sentence
from .rules import (
    AMBIGUOUS_ANCHOR_DAYS,
    AMBIGUOUS_ANCHOR_RULES,
    DATE_CLAUSE_HEAD_POS,
    DATE_NOUN_CLAUSE_DEPS,
    FUTURE_IN_PAST_RE,
    INTRODUCING_PREPOSITION_RE,
    MIN_REPORTED_CONTEXT_WORDS,
    MONTH_RANGE_RE,
    SPEECH_VERBS,
    TIME_CLAUSE_MARKS,
    WEEKDAY_EXPRESSION_RE,
    YEAR_MODIFIER_AFTER_RE,
    YEAR_MODIFIER_BEFORE_RE,
)
from .timex import TimexMention, sentence_spans, tag_timexes

__all__ = [
    "find_dates",
    "on_the_event",
    "resolve_date_expression",
    "parse_published",
    "format_date",
    "timeline_date",
]

Resolution = tuple[str | None, Granularity | None, tuple[str, ...]]

_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:T|$)")
_MONTH = re.compile(r"^\d{4}-\d\d$")
_YEAR = re.compile(r"^\d{4}$")
_WEEK = re.compile(r"^(\d{4})-W(\d\d)(-WE)?$")


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


def _is_relative(t: TimexMention) -> bool:
    return t.anchor is not None or "no_publication_date" in t.flags


def _explicit_day(t: TimexMention) -> dt.date | None:
    if t.anchor is not None or t.value is None:
        return None
    found = _DAY.match(t.value)
    if not found:
        return None
    try:
        return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def timeline_date(
    t: TimexMention,
    published: dt.date | None,
    sentence_mates: Sequence[TimexMention] = (),
    text: str | None = None,
) -> Resolution:
    """``(date, granularity, flags)`` a timeline may trust for expression ``t``; date None when none.

    ``sentence_mates`` are the other expressions of its sentence (read for an ambiguous anchor);
    ``text``, the text ``t`` indexes, is read for a year that modifies a noun ("the 1991 accords").
    """
    flags = tuple(t.flags)
    if t.type not in {"DATE", "TIME"} or t.value is None:
        return None, None, flags
    if t.anchor is not None and t.anchor.startswith("previous"):
        return None, None, (*flags, "anchored_to_previous_mention")
    if t.anchor == "published" and t.rule in AMBIGUOUS_ANCHOR_RULES and published is not None:
        for other in sentence_mates:
            day = _explicit_day(other)
            if other is t or day is None or abs((day - published).days) <= AMBIGUOUS_ANCHOR_DAYS:
                continue
            if t.rule == "weekday" and other.start > t.start:
                continue  # "announced Saturday … the 1973 coup": a weekday before the date is the news
            return None, None, (*flags, f"ambiguous_anchor: {other.text}")
    if (
        text is not None
        and t.rule == "weekday"
        and t.anchor == "published"
        and FUTURE_IN_PAST_RE.search(text[max(0, t.start - 80) : t.start])
    ):
        return None, None, (*flags, "future_in_past")
    if text is not None and text[t.end : t.end + 2] in {"'s", "’s"}:
        # "following Friday's suicide bombing", "last year's budget": the date names which thing; the
        # sentence's own event (the Cabinet's delay, said days later) may be on another day
        return None, None, (*flags, "date_modifies_noun")
    value = t.value
    found = _DAY.match(value)
    if found:
        return f"{found.group(1)}-{found.group(2)}-{found.group(3)}", "day", flags
    if _MONTH.match(value):
        if text is not None and _in_month_range(text, t):
            return None, None, (*flags, "month_range")
        return value, "month", flags
    if _YEAR.match(value):
        if text is not None and _year_modifies_noun(text, t):
            return None, None, (*flags, "year_modifies_noun")
        return value, "year", flags
    week = _WEEK.match(value)
    if week and published is not None and t.anchor == "published":
        monday = dt.date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        this_monday = published - dt.timedelta(days=published.weekday())
        day = published + (monday - this_monday)
        return day.isoformat(), "day", (*flags, "approximate: week")
    return None, None, flags


def _year_modifies_noun(text: str, t: TimexMention) -> bool:
    """Whether ``t`` is a bare year between a determiner or possessive and a word: "the 1991 Paris Peace
    Accords" names which accords, it does not date the sentence (YEAR_MODIFIER_* in rules)."""
    span = text[t.start : t.end]
    if not re.fullmatch(r"(?:\w+\s+)?\d{4}", span):  # "1991", or "the 1991" as the tagger reads it
        return False
    year_start = t.end - 4
    before = text[max(0, year_start - 12) : year_start]
    after = text[t.end : t.end + 3]
    return bool(YEAR_MODIFIER_BEFORE_RE.search(before) and YEAR_MODIFIER_AFTER_RE.match(after))


def _in_month_range(text: str, t: TimexMention) -> bool:
    """Whether ``t`` is one end of a range of two bare months ("between January and May"): a period, often
    recurring ("the lean season"), not the day of the sentence's event (MONTH_RANGE_RE in rules)."""
    begin = max(0, t.start - 40)
    for found in MONTH_RANGE_RE.finditer(text, begin, min(len(text), t.end + 40)):
        if any(found.start(g) <= t.start and t.end <= found.end(g) + 1 for g in (1, 2)):
            return True
    return False


def _with_preposition(text: str, t: TimexMention) -> str:
    """The expression as written with the preposition that introduces it ("on Wednesday", "in 2011")."""
    found = INTRODUCING_PREPOSITION_RE.search(text[max(0, t.start - 12) : t.start])
    return (found.group(0) if found else "") + t.text


def resolve_date_expression(
    text: str, published: str | dt.date | None
) -> list[tuple[str, str | None, str | None, tuple[str, ...]]]:
    """Every date expression in ``text`` as ``(expression, date, granularity, flags)``.

    ``published`` is the publication date (ISO string or date) or ``None``. Only expressions of a point
    or period in time are listed (TIMEX3 DATE and TIME, references such as "now" aside); ``expression``
    keeps the preposition that introduces it.
    """
    base = published if isinstance(published, dt.date) else parse_published(published)
    spans = sentence_spans(text)
    tagged = tag_timexes(text, base, spans)
    out: list[tuple[str, str | None, str | None, tuple[str, ...]]] = []
    for t in tagged:
        if t.type not in {"DATE", "TIME"} or (t.value or "").endswith("_REF"):
            continue
        mates = [o for o in tagged if _same_sentence(spans, o.start, t.start)]
        date, granularity, flags = timeline_date(t, base, mates, text)
        if date is None and _is_relative(t) and base is None and "no_publication_date" not in flags:
            flags = (*flags, "no_publication_date")
        out.append((_with_preposition(text, t), date, granularity, flags))
    return out


def _same_sentence(spans: Sequence[tuple[int, int]], a: int, b: int) -> bool:
    starts = [s for s, _ in spans]
    return bisect.bisect_right(starts, a) == bisect.bisect_right(starts, b)


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


def _anchor_label(t: TimexMention, published: dt.date | None, text: str) -> str | None:
    if t.anchor is None:
        return None
    if t.anchor == "published":
        return f"published:{published.isoformat()}" if published else "published"
    return t.anchor


def find_dates(article: Article, sentences: Sequence[Sentence]) -> list[DateMention]:
    """The temporal expressions of ``article``, one :class:`DateMention` each, in text order."""
    from .quotes import quoted_spans

    base = parse_published(article.published)
    ordered = sorted(sentences, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    tagged = tag_timexes(article.text, base, [(s.start, s.end) for s in ordered] or None)
    quoted = quoted_spans(article.text)
    by_sentence: dict[int, list[TimexMention]] = {}
    owner: list[Sentence | None] = []
    for t in tagged:
        i = bisect.bisect_right(starts, t.start) - 1
        sentence = ordered[i] if i >= 0 and t.start < ordered[i].end else None
        owner.append(sentence)
        if sentence is not None:
            by_sentence.setdefault(sentence.index, []).append(t)
    mentions: list[DateMention] = []
    for t, sentence in zip(tagged, owner, strict=True):
        if sentence is None:
            continue
        in_sentence = [(s, e) for s, e in quoted if s < sentence.end and e > sentence.start]
        inside = any(s <= t.start < e for s, e in in_sentence)
        if inside and _is_relative(t) and not _reported(sentence, in_sentence):
            date, granularity, flags = None, None, (*t.flags, "quoted_speech")
        else:
            date, granularity, flags = timeline_date(t, base, by_sentence[sentence.index], article.text)
        mentions.append(
            DateMention(
                article_id=article.id,
                sentence_index=sentence.index,
                text=t.text,
                date=date,
                granularity=granularity,
                flags=flags,
                start=t.start,
                end=t.end,
                type=t.type,
                value=t.value,
                anchor=_anchor_label(t, base, article.text),
            )
        )
    return mentions


def on_the_event(dates: Sequence[DateMention], doc: Any) -> list[DateMention]:
    """``dates`` (of the article ``doc`` parses) with the date taken off those that do not date their
    sentence's event, read on the dependency parse, precision first:

    * a date that hangs from a noun other than the clause's subject ("the signing of the accord two weeks
      ago") dates that thing, and the sentence ("Hamas claimed responsibility for the attack, the second
      since the signing of the accord two weeks ago") may tell of another day (``date_in_noun_phrase``);
      the subject names the sentence's event ("The summit on Wednesday ended without a deal"), and a bare
      weekday is kept: news writes it after the verb's object ("won South Korea's support Saturday"),
      where the small parser hangs it from the object;
    * a date inside a clause that describes a noun ("the accord that was reached last month", "SAARC, set
      up in 1985") likewise (``date_in_noun_clause``);
    * a date inside a "since", "before" or "until" clause dates an earlier or later event than the
      sentence's ("the most substantive talks since the owners imposed a lockout July 1",
      ``date_in_time_clause``).

    A date the parse does not cover (past the parsed length) is kept as it is."""
    out = []
    for d in dates:
        flag = _off_the_event(d, doc) if d.date is not None else None
        out.append(
            d if flag is None else dataclasses.replace(d, date=None, granularity=None, flags=(*d.flags, flag))
        )
    return out


def _off_the_event(d: DateMention, doc: Any) -> str | None:
    span = doc.char_span(d.start, d.end, alignment_mode="expand") if 0 <= d.start < d.end else None
    if span is None or len(span) == 0:
        return None
    node = span.root
    inside = {t.i for t in span}
    while node.i in inside or node.pos_ == "ADP" or node.dep_ in {"pobj", "prep"}:
        if node.head.i == node.i:
            return None  # the date heads its sentence ("Monday, March 3.")
        node = node.head
    if node.pos_ not in DATE_CLAUSE_HEAD_POS:
        if node.dep_ not in {"nsubj", "nsubjpass"} and not WEEKDAY_EXPRESSION_RE.match(d.text):
            return "date_in_noun_phrase"
        node = node.head  # "The summit on Wednesday ended …": the subject names the sentence's event
    while node.head.i != node.i:
        if node.dep_ in DATE_NOUN_CLAUSE_DEPS:
            return "date_in_noun_clause"
        if node.dep_ == "advcl" and any(
            ch.dep_ == "mark" and ch.lower_ in TIME_CLAUSE_MARKS for ch in node.children
        ):
            return "date_in_time_clause"
        node = node.head
    return None
