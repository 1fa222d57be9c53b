"""What every Dask task shares: the per-process components, its numbers (:class:`Stats`), skip-if-done and timing."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..components import Components
from ..config import Settings

_components: dict[tuple[Settings, bool], Components] = {}  # this worker process's, built once


def components_for(settings: Settings, *, one_thread: bool = True) -> Components:
    """This process's Components for ``settings`` (models load once per worker process). In a worker
    (``one_thread``) MiniLM runs on one thread: the cluster runs one task per core."""
    key = (settings, one_thread)
    if key not in _components:
        embedder = None
        if one_thread:
            from ..group.embed import EmbedderOptions, get_embedder

            embedder = get_embedder(settings.embedder, EmbedderOptions(threads=1))
        _components[key] = Components(settings, embedder=embedder)
    return _components[key]


@dataclass(frozen=True, slots=True)
class Stats:
    """What a task reports: rows out, bytes written, its seconds, a few counts by name, and the peak
    resident memory of its worker process so far (MB)."""

    rows: int = 0
    bytes: int = 0
    seconds: float = 0.0
    counts: tuple[tuple[str, int], ...] = ()
    peak_mb: float = 0.0
    cpu_seconds: float = 0.0  # the CPU time of its process meanwhile (not inflated by a busy machine)


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _done(path: Path) -> Stats | None:
    return Stats(bytes=path.stat().st_size) if path.exists() else None


def _timed(fn: Callable[..., Stats]) -> Callable[..., Stats]:
    """The task with its seconds counted (it keeps the task's name, so Dask sends it by reference)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Stats:
        start, cpu = time.perf_counter(), time.process_time()
        stats = fn(*args, **kwargs)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        return Stats(stats.rows, stats.bytes, seconds, stats.counts, _peak_mb(), cpu)

    return run
