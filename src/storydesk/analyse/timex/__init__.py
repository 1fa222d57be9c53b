"""Temporal expressions (TimeML TIMEX3) in a text: found by rules, normalised against its creation time.

:func:`tag_timexes` is the cascade, in the manner of HeidelTime:

1. every rule of :data:`rules.TIMEX_PATTERNS` is matched over the text (dates, times, durations, sets,
   quarters, seasons, holidays, "now"-like references);
2. each match is read by its kind's function (:mod:`._normalise`), which may reject it ("May" the verb,
   "2000 people", "current" as in "electric current");
3. of overlapping matches the longest wins (the earlier rule on a tie);
4. the kept expressions are resolved in text order: absolute ones directly; relative ones against the
   creation time (``anchor="published"``) — a weekday or month without year in the direction the tense
   around it points; anaphoric ones ("a year earlier", "the next day") against an explicit date earlier in
   the same sentence (``anchor="sentence:<value>"``) or, failing that, the last date mentioned before
   (``anchor="previous:<value>"``);
5. a weekday next to an explicit date that contradicts it ("Tuesday (03/02)" in 2022) is flagged
   ``weekday_mismatch``.

Values follow TIMEX3: ``1998-02-13``, ``1998-02``, ``1998``, ``1998-W07``, ``1998-Q1``, ``1998-SU``,
``199`` (a decade), ``1998-02-13T14:30``, ``1998-02-13TMO``, ``PRESENT_REF``, ``PAST_REF``, ``P3Y``,
``PXD``, ``PT2H``. Without a creation time, relative expressions keep their span and type, a value with
``X`` where the year is missing or ``None``, and the flag ``no_publication_date``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import rules
from ._calendar import granularity_of
from ._normalise import Context, Reading, read_match

__all__ = ["TimexMention", "tag_timexes", "sentence_spans", "granularity_of"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TimexMention:
    """One temporal expression: its span in the text, TIMEX3 type and value, and what it was resolved
    against (``anchor``: None, ``published``, ``sentence:<value>`` or ``previous:<value>``)."""

    start: int
    end: int
    text: str
    type: str
    value: str | None
    anchor: str | None
    rule: str
    flags: tuple[str, ...] = ()


#: Kinds whose reading depends on the dates mentioned before them: accepted on their match alone.
_ANAPHORIC = frozenset({"anaphora", "year_ago"})
#: Kinds whose values are derived from another date: not themselves anchors for later expressions.
_DERIVED = frozenset({"anaphora", "year_ago", "ago"})
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[\"'‘“`(]*[A-Z0-9])|\n\s*\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentence boundaries (end punctuation before a capital, or a blank line)."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        word = re.search(r"([A-Za-z]+)\.$", text[max(0, m.start() - 12) : m.start()])
        if word and word.group(1).lower() in rules.ABBREVIATIONS:
            continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _parse_dct(published: str | dt.date | None) -> dt.date | None:
    if published is None or isinstance(published, dt.date):
        return published
    try:
        return dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


class _Sentences:
    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def around(self, pos: int) -> tuple[int, int]:
        import bisect

        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0:
            return 0, self.spans[0][0] if self.spans else pos + 1
        return self.spans[i]


def _read(kind: str, m: re.Match[str], ctx: Context) -> Reading | None:
    """The reading of one match; a rule that fails on an odd input skips the match, not the article."""
    try:
        return read_match(kind, m, ctx)
    except (KeyError, ValueError, IndexError, OverflowError) as exc:
        log.debug("timex rule %s failed on %r: %s", kind, m.group(0), exc)
        return None


def _windows(text: str, trigger: re.Pattern[str]) -> list[tuple[int, int]]:
    """Merged windows of ``rules.TRIGGER_WINDOW`` characters around each trigger, cut at spaces."""
    out: list[tuple[int, int]] = []
    for t in trigger.finditer(text):
        lo = max(0, t.start() - rules.TRIGGER_WINDOW)
        space = text.rfind(" ", 0, lo + 1) if lo else -1
        lo = space + 1 if space >= 0 and lo - space < 30 else lo
        if lo and not text[lo - 1].isspace():
            lo = text.rfind("\n", 0, lo) + 1 if "\n" in text[max(0, lo - 30) : lo] else max(0, lo - 30)
        hi = min(len(text), t.end() + rules.TRIGGER_WINDOW)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _matches(text: str, kind: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """The matches of one rule: over the whole text, or only near its trigger words."""
    trigger = rules.TRIGGERS.get(kind)
    if trigger is None:
        return list(pattern.finditer(text))
    found: list[re.Match[str]] = []
    for lo, hi in _windows(text, trigger):
        found.extend(pattern.finditer(text, lo, hi))
    return found


def tag_timexes(
    text: str, published: str | dt.date | None, sentences: Sequence[tuple[int, int]] | None = None
) -> list[TimexMention]:
    """Every temporal expression of ``text``, in order, resolved against ``published`` (the creation time).

    ``sentences`` are ``(start, end)`` offsets of the text's sentences (found roughly when not given);
    tense and same-sentence anchors are read within them.
    """
    dct = _parse_dct(published)
    sents = _Sentences(sentences if sentences else sentence_spans(text))
    candidates: list[tuple[int, int, int, str, re.Match[str]]] = []
    for order, (kind, pattern) in enumerate(rules.TIMEX_PATTERNS):
        seen: set[tuple[int, int]] = set()
        for m in _matches(text, kind, pattern):
            if m.end() > m.start() and m.span() not in seen:
                seen.add(m.span())
                candidates.append((m.start(), m.end(), order, kind, m))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    probe = Context(text, dct)
    taken: list[tuple[int, int, str, re.Match[str], Reading | None]] = []
    for start, end, _, kind, m in candidates:
        if any(start < e and s < end for s, e, *_ in taken):
            continue
        probe.sentence_start, probe.sentence_end = sents.around(start)
        reading = _read(kind, m, probe)
        if reading is None and kind not in _ANAPHORIC:
            continue
        s, e = reading.span if reading is not None and reading.span else (start, end)
        taken.append((s, e, kind, m, reading))
    taken.sort(key=lambda t: t[0])
    ctx = Context(text, dct)
    out: list[TimexMention] = []
    for start, end, kind, m, first in taken:
        ctx.sentence_start, ctx.sentence_end = sents.around(start)
        reading = _read(kind, m, ctx) or first
        if reading is None:
            reading = Reading("DATE", None, None, ("unresolved",))
        s, e = start, end
        while e > s and text[e - 1] in " ,.;:":
            e -= 1
        if reading.value is not None and reading.type in {"DATE", "TIME"} and kind not in _DERIVED:
            ctx.earlier.append((s, reading.value, reading.anchor))
        out.append(
            TimexMention(s, e, text[s:e], reading.type, reading.value, reading.anchor, kind, reading.flags)
        )
    return out
