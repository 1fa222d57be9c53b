"""Planning: the inputs cut into read partitions, and publication days grouped into time windows."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..ingest import InputFile, Part, display_name, index_jsonl, index_warc, kind_of, list_inputs
from ..model import Failure

__all__ = ["ReadPart", "plan_reads", "Window", "WindowPlan", "plan_windows", "newest_by_chunk"]


@dataclass(frozen=True, slots=True)
class ReadPart:
    """What one read task reads: whole files, or one line/record range of a large JSONL or WARC file
    (``part`` as :func:`storydesk.ingest.read_file` takes it)."""

    files: tuple[str, ...]
    part: Part | None = None


def plan_reads(
    paths: Iterable[str | Path],
    *,
    partition_files: int,
    split_bytes: int,
    target_parts: int = 1,
    min_split_bytes: int = 2**20,
) -> list[ReadPart | Failure]:
    """The read partitions, in the order ``ingest`` reads the inputs (so failures are reported in the same
    order): small files grouped ``partition_files`` at a time; a JSONL or WARC file over ``split_bytes``
    cut into ranges; a path that cannot be listed as a Failure in its place.

    A small input is cut finer, so that there are about ``target_parts`` partitions (one per task the
    cluster runs at once, times a few): files are grouped by fewer, and files are cut from
    ``min_split_bytes`` up."""
    listed = [_refuse_pipe(item) for item in list_inputs(paths)]
    files = [p for p in listed if isinstance(p, Path)]
    total = sum(_size(p) for p in files)
    split_bytes = max(min_split_bytes, min(split_bytes, total // max(1, target_parts)))
    partition_files = max(1, min(partition_files, -(-len(files) // max(1, target_parts))))
    plan: list[ReadPart | Failure] = []
    group: list[str] = []

    def close_group() -> None:
        if group:
            plan.append(ReadPart(tuple(group)))
            group.clear()

    for item in listed:
        if isinstance(item, Failure):
            close_group()
            plan.append(item)
            continue
        ranges = _ranges(item, split_bytes)
        if ranges is None:
            group.append(str(item))
            if len(group) >= partition_files:
                close_group()
            continue
        close_group()
        plan.extend(ReadPart((str(item),), r) for r in ranges)
    close_group()
    return plan


def _refuse_pipe(item: InputFile | Failure) -> Path | Failure:
    """A listed file by its path; a pipe, which ``ingest`` reads, as a Failure: workers read files by
    name, and a pipe can be read once, by one process."""
    if isinstance(item, Failure):
        return item
    if item.pipe:
        return Failure(
            display_name(item.path),
            "a pipe cannot be read by `storydesk scale` (its workers open inputs by name): "
            "save it to a file, or use `storydesk ingest`",
        )
    return item.path


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _ranges(path: Path, split_bytes: int) -> list[Part] | None:
    """The ranges a large JSONL or WARC file is read in, or None to read it whole."""
    kind = kind_of(path)
    if kind not in ("jsonl", "warc"):
        return None
    try:
        size = path.stat().st_size
    except OSError:
        return None  # read_file reports it
    if size <= split_bytes:
        return None
    if kind == "jsonl":
        cuts = index_jsonl(path, split_bytes)
        if len(cuts) < 2:
            return None
    else:
        cuts = index_warc(path, split_bytes)
        if len(cuts) < 2:
            return None
    stops: list[int | None] = [c[0] for c in cuts[1:]]
    stops.append(None)
    return [Part(off, before, stop) for (off, before), stop in zip(cuts, stops, strict=True)]


@dataclass(frozen=True, slots=True)
class Window:
    """A time window: its own publication days [first_day, last_day] (day ordinals), the days of its
    lead-in before them, and whether it also holds the undated articles (the last window does)."""

    index: int
    first_day: float
    last_day: float
    lead_from: float
    undated: bool = False


@dataclass(frozen=True, slots=True)
class WindowPlan:
    windows: tuple[Window, ...]

    def home(self, day: float) -> int:
        """The window that owns an article of this day (NaN: undated, the last window)."""
        if math.isnan(day):
            return len(self.windows) - 1
        firsts = [w.first_day for w in self.windows]
        return max(0, bisect.bisect_right(firsts, day) - 1)

    def leads(self, day: float) -> list[int]:
        """The later windows whose lead-in holds an article of this day."""
        if math.isnan(day):
            return []
        home = self.home(day)
        return [w.index for w in self.windows[home + 1 :] if w.lead_from <= day < w.first_day]


def plan_windows(
    days: Mapping[float, int], undated: int, *, window_articles: int, lead_in_days: int
) -> WindowPlan:
    """Consecutive publication days packed into windows of about ``window_articles`` articles (a day is
    never cut); each window after the first has a lead-in of the ``lead_in_days`` days before it."""
    windows: list[Window] = []
    ordered: Sequence[float] = sorted(days)
    start: float | None = None
    count = 0
    for k, day in enumerate(ordered):
        if start is None:
            start, count = day, 0
        count += days[day]
        nxt = ordered[k + 1] if k + 1 < len(ordered) else None
        if nxt is None or count + days[nxt] > window_articles and count > 0:
            windows.append(Window(len(windows), start, day, start - lead_in_days if windows else start))
            start = None
    if not windows:
        windows.append(Window(0, math.inf, math.inf, math.inf, undated=True))
    else:
        last = windows[-1]
        windows[-1] = Window(last.index, last.first_day, last.last_day, last.lead_from, undated=undated > 0)
    return WindowPlan(tuple(windows))


def newest_by_chunk(days: Sequence[Sequence[float]], offsets: Sequence[int], chunk: int) -> list[float]:
    """For each chunk of ``chunk`` arrivals (``ingest``'s placements), the newest publication day (ordinal)
    among all articles of the input up to the end of that chunk (-inf before any dated one): what a
    streaming index fed the whole input has seen (``days``: each read partition's days, NaN undated;
    ``offsets``: the arrivals before each partition)."""
    import numpy as np

    total = max((o + len(d) for o, d in zip(offsets, days, strict=True)), default=0)
    newest = np.full(-(-total // chunk), -np.inf)
    for offset, part in zip(offsets, days, strict=True):
        day = np.asarray(part, dtype=np.float64)
        dated = ~np.isnan(day)
        np.maximum.at(newest, (offset + np.flatnonzero(dated)) // chunk, day[dated])
    return [float(x) for x in np.maximum.accumulate(newest)] if len(newest) else []
