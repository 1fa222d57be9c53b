"""When an article happened, as clustering reads it, and the time penalty between two groups of articles.

An article's *time* is an interval of day numbers (proleptic ordinals):

* its publication day, ``[d, d]``;
* without one, the latest year its text names (a date the analyse stage's TIMEX tagger finds, resolved
  without a creation time: "May 03 , 2013", "in 2009", "September 2013"), as the whole year ``[1 Jan,
  31 Dec]``: an undated article is not older than the latest year it names, and a look-alike happening
  of another year names another one;
* without either, unknown (NaN): it costs nothing and weighs nothing.

Two articles' *gap* is the number of days between their intervals (0 when they overlap); the pair loses
``time_penalty × clip((gap − time_grace_days) / time_scale_days, 0, 1)`` of its similarity. Between two
groups the penalty is the **mean over the pairs of members whose times are both known** (average linkage
in time, like the similarity): a story that runs for months is far, on average, from next week's event of
the same subject even though its coverage never paused; undated members neither add to nor dilute it.

A group's known times are kept as a :class:`TimeProfile` (distinct intervals and how many members have
each), so that the penalty sums of a streamed story's frozen members need no per-article rows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ...model import Article, publication_day
from .options import ClusterOptions

__all__ = [
    "ArticleTime",
    "article_time",
    "article_times",
    "named_year",
    "pair_penalties",
    "penalty_matrix",
    "group_penalty",
    "TimeProfile",
    "ProfileStack",
]

#: An article's time: (first day, last day) as day numbers; (NaN, NaN) when unknown.
ArticleTime = tuple[float, float]

_YEAR = re.compile(r"^(\d{4})")
#: A four-digit number that may be a year: the TIMEX tagger reads only the text around these.
_YEAR_TOKEN = re.compile(r"(?<![\d.,])(?:1[5-9]|20)\d\d(?![\d.,]\d)")
#: Characters read on each side of a possible year (a date around it, or the noun that makes it no year).
_YEAR_CONTEXT = 60


def named_year(text: str) -> int | None:
    """The latest year among the dates the TIMEX tagger finds in ``text`` (read without a creation time,
    so only dates that carry their year count: "May 03 , 2013", "in 2009", not "2000 people"), or
    ``None``. Only the stretches around four-digit numbers are tagged: a text without one names no year,
    and tagging a whole article for its years took most of the time of clustering undated articles."""
    from ...analyse.timex import tag_timexes

    spans: list[list[int]] = []
    tokens = set()
    for m in _YEAR_TOKEN.finditer(text):
        tokens.add(int(m.group(0)))
        start, end = max(0, m.start() - _YEAR_CONTEXT), min(len(text), m.end() + _YEAR_CONTEXT)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    years = [
        int(y.group(1))
        for start, end in spans
        for t in tag_timexes(text[start:end], None)
        if t.type == "DATE" and t.value and (y := _YEAR.match(t.value)) and int(y.group(1)) in tokens
    ]
    return max(years) if years else None


def article_time(article: Article, options: ClusterOptions) -> ArticleTime:
    """The article's time interval: its publication day, else (with ``time_from_text``) the year its text
    names last, else NaN."""
    day = publication_day(article.published)
    if not math.isnan(day):
        return day, day
    if not options.time_from_text:
        return math.nan, math.nan
    text = f"{article.title}\n{article.text}" if article.title else article.text
    year = named_year(text)
    if year is None or not dt.MINYEAR <= year <= dt.MAXYEAR:
        return math.nan, math.nan
    return float(dt.date(year, 1, 1).toordinal()), float(dt.date(year, 12, 31).toordinal())


def article_times(articles: Sequence[Article], options: ClusterOptions) -> tuple[np.ndarray, np.ndarray]:
    """First and last days of the articles' times (NaN where unknown)."""
    times = [article_time(a, options) for a in articles]
    return np.array([t[0] for t in times], dtype=np.float64), np.array(
        [t[1] for t in times], dtype=np.float64
    )


def pair_penalties(
    s1: np.ndarray | float,
    e1: np.ndarray | float,
    s2: np.ndarray | float,
    e2: np.ndarray | float,
    options: ClusterOptions,
) -> np.ndarray:
    """The similarity a pair of times loses (broadcast over the arguments); 0 where a time is unknown."""
    gap = np.maximum(0.0, np.maximum(s1, s2) - np.minimum(e1, e2))
    over = (np.asarray(gap, dtype=np.float64) - options.time_grace_days) / options.time_scale_days
    out = options.time_penalty * np.clip(over, 0.0, 1.0)
    return np.where(np.isnan(out), 0.0, out)


def penalty_matrix(starts: np.ndarray, ends: np.ndarray, options: ClusterOptions) -> np.ndarray:
    """The pair penalties of every pair of times (0 on the diagonal and where a time is unknown)."""
    out = pair_penalties(starts[:, None], ends[:, None], starts[None, :], ends[None, :], options)
    np.fill_diagonal(out, 0.0)
    return out


class TimeProfile:
    """The known times of a group of articles: distinct intervals and how many members have each."""

    __slots__ = ("starts", "ends", "counts")

    def __init__(
        self,
        starts: np.ndarray | None = None,
        ends: np.ndarray | None = None,
        counts: np.ndarray | None = None,
    ) -> None:
        self.starts = np.zeros(0) if starts is None else starts
        self.ends = np.zeros(0) if ends is None else ends
        self.counts = np.zeros(0) if counts is None else counts

    @classmethod
    def of(cls, starts: Sequence[float], ends: Sequence[float]) -> TimeProfile:
        """The profile of some articles' times (unknown ones left out)."""
        s, e = np.asarray(starts, dtype=np.float64), np.asarray(ends, dtype=np.float64)
        keep = ~np.isnan(s)
        if not keep.any():
            return cls()
        pairs, counts = np.unique(np.stack([s[keep], e[keep]], axis=1), axis=0, return_counts=True)
        return cls(pairs[:, 0].copy(), pairs[:, 1].copy(), counts.astype(np.float64))

    @property
    def known(self) -> float:
        """How many members have a known time."""
        return float(self.counts.sum())

    def __add__(self, other: TimeProfile) -> TimeProfile:
        if not len(other.counts):
            return self
        if not len(self.counts):
            return other
        starts = np.concatenate([self.starts, other.starts])
        ends = np.concatenate([self.ends, other.ends])
        pairs, inverse = np.unique(np.stack([starts, ends], axis=1), axis=0, return_inverse=True)
        counts = np.bincount(
            inverse.ravel(), weights=np.concatenate([self.counts, other.counts]), minlength=len(pairs)
        )
        return TimeProfile(pairs[:, 0].copy(), pairs[:, 1].copy(), counts)

    def against(self, starts: np.ndarray, ends: np.ndarray, options: ClusterOptions) -> np.ndarray:
        """For each given time, the sum of its pair penalties with this group's members."""
        if not len(self.counts):
            return np.zeros(len(starts))
        pen = pair_penalties(
            starts[:, None], ends[:, None], self.starts[None, :], self.ends[None, :], options
        )
        return pen @ self.counts

    def cross(self, other: TimeProfile, options: ClusterOptions) -> float:
        """The sum of the pair penalties between this group's members and the other's."""
        if not len(self.counts) or not len(other.counts):
            return 0.0
        return float(self.counts @ other.against(self.starts, self.ends, options))


def group_penalty(penalty_sum: np.ndarray, known_a: np.ndarray, known_b: np.ndarray) -> np.ndarray:
    """The time penalty of group pairs: the sum of their pair penalties over their known pairs (0 when
    either group has no known time)."""
    pairs = known_a * known_b
    return np.where(pairs > 0, penalty_sum / np.maximum(pairs, 1.0), 0.0)


class ProfileStack:
    """The time profiles of several groups side by side, for their penalty sums in a few array operations."""

    #: Rows of times worked out at once against the stacked entries (bounds the memory of one product).
    CHUNK = 512

    def __init__(self, profiles: Sequence[TimeProfile]) -> None:
        self.count = len(profiles)
        sizes = [len(p.counts) for p in profiles]
        self.starts = np.concatenate([p.starts for p in profiles]) if profiles else np.zeros(0)
        self.ends = np.concatenate([p.ends for p in profiles]) if profiles else np.zeros(0)
        counts = np.concatenate([p.counts for p in profiles]) if profiles else np.zeros(0)
        owner = np.repeat(np.arange(len(profiles)), sizes)
        self.known = np.array([p.known for p in profiles], dtype=np.float64)
        # entries × groups, each entry's count in its group's column
        self._weights = sp.csr_matrix(
            (counts, (np.arange(len(counts)), owner)), shape=(len(counts), len(profiles))
        )

    def against(self, starts: np.ndarray, ends: np.ndarray, options: ClusterOptions) -> np.ndarray:
        """``len(starts)`` × groups: each time's sum of pair penalties with each group's members."""
        out = np.zeros((len(starts), self.count))
        if not len(self.starts) or not len(starts):
            return out
        for a in range(0, len(starts), self.CHUNK):
            b = a + self.CHUNK
            pen = pair_penalties(
                starts[a:b, None], ends[a:b, None], self.starts[None, :], self.ends[None, :], options
            )
            out[a:b] = np.asarray(self._weights.T @ pen.T).T
        return out

    def cross(self, options: ClusterOptions) -> np.ndarray:
        """groups × groups: the sums of the pair penalties between the groups' members."""
        by_entry = self.against(self.starts, self.ends, options)  # entries × groups
        return np.asarray(self._weights.T @ by_entry)
