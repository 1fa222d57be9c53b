"""Briefing stories in worker processes while the ingesting process goes on reading, storing and clustering.

A briefing (summary, citations and, if enabled, the facts layer) is pure CPU work on a story's articles,
independent of every other story, so it runs in a :class:`concurrent.futures.ProcessPoolExecutor`
("spawn" start method: the parent may hold onnxruntime threads and database connections, which a fork
would copy). Workers never touch the store: the parent sends the story, its articles and their stored analyses (#17)
and writes the briefing it gets back with the analyses the worker made, so the store keeps one writer.

Each worker builds its own :class:`~storydesk.components.Components` once (models load lazily, once per
worker) in the pool's initializer; that per-process object is the only module-level state.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..analyse import StoredAnalysis
from ..brief import StoreWhat
from ..config import Settings
from ..model import Article, Briefing, Story
from ._lifeline import bind_to_parent, stop_pool
from ._memory import MallocOptions, release_free_memory, tune_malloc
from .rules import (
    BRIEF_WORKER_CACHE_TEXTS,
    BRIEF_WORKER_FACTS_ARTICLES,
    BRIEF_WORKER_MALLOC_ARENAS,
    BRIEF_WORKER_MMAP_THRESHOLD,
    BRIEF_WORKER_TRIM_THRESHOLD,
    MAX_AUTO_WORKERS,
    RELEASE_MEMORY_AFTER_BRIEFING,
)

if TYPE_CHECKING:
    from ..components import Components

__all__ = [
    "BriefPool",
    "BriefResult",
    "WorkerCaches",
    "default_brief_workers",
    "default_workers",
    "worker_components",
]

log = logging.getLogger(__name__)

_components = None  # this worker process's Components, built by _init_worker
_release_memory = False  # whether this worker trims its heap after each briefing (set by _init_worker)


def default_workers(setting: int) -> int:
    """Worker processes for a ``workers`` setting: -1 means one per core beyond the first (at most
    ``MAX_AUTO_WORKERS``); 0 means none (brief in the ingesting process)."""
    if setting >= 0:
        return setting
    return max(0, min(MAX_AUTO_WORKERS, _cores() - 1))


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def default_brief_workers(setting: int, *, facts: bool) -> int:
    """Briefing worker processes for a ``workers`` setting. With the facts layer on, -1 means one per core
    on a machine of two or more (at most ``MAX_AUTO_WORKERS``): a briefing then costs several times what the ingesting process spends
    on an article, which waited for its one worker most of the run (5,000 articles, default settings: 2,097
    of 3,111 s; ``python bench/throughput.py --sizes 2134 --embedder minilm --facts --workers 1`` and
    ``--workers 2``, docs/pipeline.md). Without it, as :func:`default_workers`."""
    if setting >= 0 or not facts:
        return default_workers(setting)
    cores = _cores()
    return min(MAX_AUTO_WORKERS, cores) if cores > 1 else 0  # one core: brief in the ingesting process


@dataclass(frozen=True, slots=True)
class WorkerCaches:
    """How much a briefing worker keeps of what the store already holds (#17): the vectors of recent texts
    (``EmbedderOptions.cache_texts``) and the facts of recent articles (``AnalysisOptions.cache_articles``)."""

    texts: int = BRIEF_WORKER_CACHE_TEXTS
    articles: int = BRIEF_WORKER_FACTS_ARTICLES


def worker_components(settings: Settings, caches: WorkerCaches) -> Components:
    """The :class:`~storydesk.components.Components` of a briefing worker: ``settings``, with ``caches``."""
    from ..analyse import AnalysisOptions
    from ..components import Components
    from ..group.embed import EmbedderOptions

    return Components(
        settings,
        embedder_options=EmbedderOptions(cache_texts=caches.texts),
        analysis_options=AnalysisOptions(cache_articles=caches.articles),
    )


#: How a briefing worker's malloc keeps memory (:func:`~storydesk.workers._memory.tune_malloc`).
WORKER_MALLOC = MallocOptions(
    arena_max=BRIEF_WORKER_MALLOC_ARENAS,
    mmap_threshold=BRIEF_WORKER_MMAP_THRESHOLD,
    trim_threshold=BRIEF_WORKER_TRIM_THRESHOLD,
)


def _init_worker(
    parent_pid: int,
    settings: Settings,
    release_memory: bool = False,
    caches: WorkerCaches = WorkerCaches(),
    malloc: MallocOptions | None = None,
) -> None:
    global _components, _release_memory

    if malloc is not None:
        tune_malloc(malloc)  # first: before any model starts its threads
    bind_to_parent(parent_pid)  # never outlive the ingest (see _lifeline)
    _components = worker_components(settings, caches)
    _release_memory = release_memory


def _brief(
    story: Story,
    articles: Mapping[str, Article],
    stored: Mapping[str, StoredAnalysis],
    keep: StoreWhat | None,
) -> BriefResult:
    from ..brief import brief_story_analyses

    assert _components is not None, "worker not initialised"
    before = dict(_components.timer.seconds)
    llm_before = dict(_components.llm_usage)
    briefing, fresh = brief_story_analyses(story, articles, _components, stored=stored, keep=keep)
    spent = {k: v - before.get(k, 0.0) for k, v in _components.timer.seconds.items()}
    # LLM calls and tokens travel back with the seconds, under "llm:" keys (the parent counts them)
    spent.update({f"llm:{k}": float(v - llm_before.get(k, 0)) for k, v in _components.llm_usage.items()})
    if _release_memory:  # what the briefing freed goes back to the system, not kept by malloc (#17)
        release_free_memory()
    return briefing, spent, fresh


#: What a worker hands back: the briefing, seconds per stage, and the analyses it made worth storing.
BriefResult = tuple[Briefing, dict[str, float], list["StoredAnalysis"]]


class BriefPool:
    """``workers`` processes that turn (story, articles, stored analyses) into (briefing, seconds per
    stage, analyses to store)."""

    def __init__(
        self,
        settings: Settings,
        workers: int,
        *,
        release_memory: bool = RELEASE_MEMORY_AFTER_BRIEFING,
        caches: WorkerCaches = WorkerCaches(),
        malloc: MallocOptions = WORKER_MALLOC,
    ) -> None:
        """``release_memory``: each worker returns the heap memory it freed to the system after each
        briefing (:func:`~storydesk.workers._memory.release_free_memory`); ``caches``: what each keeps of
        what the store holds; ``malloc``: how each one's malloc keeps memory."""
        if workers < 1:
            raise ValueError(f"a BriefPool needs at least one worker, got {workers}")
        self.workers = workers
        self.release_memory = release_memory
        self.caches = caches
        self.malloc = malloc
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(os.getpid(), settings, release_memory, caches, malloc),
        )
        log.info("briefing in %d worker process(es)", workers)

    def submit(
        self,
        story: Story,
        articles: Mapping[str, Article],
        stored: Mapping[str, StoredAnalysis] | None = None,
        keep: StoreWhat | None = None,
    ) -> Future[BriefResult]:
        """Brief ``story`` in a worker from its ``articles`` and their ``stored`` analyses (#17); the
        result carries the analyses worth storing (``keep``: what they hold; ``None``: none)."""
        return self._executor.submit(_brief, story, dict(articles), dict(stored or {}), keep)

    def close(self, *, cancel: bool = False) -> None:
        self._executor.shutdown(wait=True, cancel_futures=cancel)

    def stop(self) -> None:
        """End the workers now, dropping the briefings in flight (an interrupted run)."""
        stop_pool(self._executor)
