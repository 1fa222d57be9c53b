"""One function per kind of expression: a regex match becomes a TIMEX3 type, value and anchor.

Each ``_kind`` function gets the match and a :class:`Context` and returns a :class:`Reading` or None
(the match is not a temporal expression, e.g. "May" the verb or "2000 people"). The anchor says what a
relative value was resolved against: ``None`` for an absolute expression ("24 April 2019"),
``"published"`` for the document's creation time, ``"sentence"`` for an explicit date earlier in the
same sentence, ``"previous"`` for the last date the document mentioned before it.
"""

from __future__ import annotations

import re

from ._absolute import (
    _century,
    _clock,
    _clock24,
    _clock_pod,
    _decade,
    _decade_short,
    _fiscal,
    _half,
    _iso,
    _month,
    _month_day,
    _month_rel_year,
    _month_year,
    _noon,
    _numeric,
    _oclock,
    _pod_weekday,
    _quarter,
    _quarter_ref,
    _weekday,
    _year,
)
from ._context import Context, Reader, Reading
from ._relative import (
    _ago,
    _anaphora,
    _day_rel,
    _duration_half,
    _duration_reading,
    _holiday,
    _pod_rel,
    _ref,
    _season,
    _set_a,
    _set_adverb,
    _set_every,
    _set_weekdays,
    _unit_rel,
    _vague_duration,
    _year_ago,
    _year_words,
    _years_bare,
)

__all__ = ["Context", "Reading", "read_match"]


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
