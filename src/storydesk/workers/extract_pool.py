"""Extraction in worker processes while the ingesting process embeds, stores and clusters.

Extraction (trafilatura on HTML, text normalisation, the boilerplate filter) is pure CPU work on one
document at a time, so in a long run it moves out of the ingesting process: documents go to a
:class:`concurrent.futures.ProcessPoolExecutor` ("spawn", as in :mod:`.brief_pool`) in chunks of
``options.chunk``, at most ``options.ahead`` chunks per worker are in flight, and results come back in
input order, so a run reads the same articles and failures, in the same order, as one that extracts
everything itself.

The first ``options.in_process`` documents are extracted here: a short run (a few files, one upload) never
pays for starting a process. If a worker cannot be started or dies, the rest is extracted here. The
defaults of :class:`ExtractPoolOptions` are in :mod:`.rules`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from ..errors import StorydeskError
from ..model import Article, Failure, RawDocument
from . import rules
from ._lifeline import bind_to_parent, stop_pool

__all__ = ["ExtractPoolOptions", "extract_one", "extract_stream"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExtractPoolOptions:
    """How documents are handed to extraction workers (defaults in :mod:`storydesk.workers.rules`)."""

    #: Documents sent to a worker at a time.
    chunk: int = rules.CHUNK
    #: Chunks in flight per worker.
    ahead: int = rules.AHEAD
    #: Documents extracted in the ingesting process before a worker is started.
    in_process: int = rules.IN_PROCESS


Spent = Callable[[float], None]
"""Called with the seconds (wall clock) a worker spent extracting a chunk."""


def extract_one(raw: RawDocument) -> Article | Failure:
    """The Article of one document, or a Failure naming it and the reason; never raises for bad input."""
    from ..extract import extract_article

    try:
        return extract_article(raw)
    except StorydeskError as exc:
        return Failure(raw.origin, getattr(exc, "reason", str(exc)))
    except Exception as exc:  # one bad article never stops a batch
        log.exception("unexpected error extracting %s", raw.origin)
        return Failure(raw.origin, f"unexpected error: {type(exc).__name__}: {exc}")


def log_like_parent(level: int) -> None:
    """A spawned worker logs to stderr at its parent's level, so its warnings ("'published' is not a
    date") reach the user as the parent's would."""
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _init_worker(parent_pid: int, level: int) -> None:
    bind_to_parent(parent_pid)  # never outlive the ingest (see _lifeline)
    log_like_parent(level)


_embedders: dict[str, Any] = {}  # this worker process's embedder, by name (loaded once)


def _extract_chunk(raws: list[RawDocument], prepared: bool, embedder: str | None) -> tuple[list[Any], float]:
    from ..group.embed import get_embedder
    from ..group.features import prepare

    start = time.perf_counter()
    out: list[Any] = [extract_one(r) for r in raws]
    if prepared:
        if embedder is not None and embedder not in _embedders:
            _embedders[embedder] = get_embedder(embedder)
        model = None if embedder is None else _embedders[embedder]
        made = iter(prepare([x for x in out if not isinstance(x, Failure)], model))
        out = [x if isinstance(x, Failure) else next(made) for x in out]
    return out, time.perf_counter() - start


def _here(items: Iterable[RawDocument | Failure]) -> Iterator[Article | Failure]:
    for item in items:
        yield item if isinstance(item, Failure) else extract_one(item)


def extract_stream(
    items: Iterable[RawDocument | Failure],
    workers: int,
    *,
    options: ExtractPoolOptions | None = None,
    spent: Spent | None = None,
    prepared: bool = False,
    embedder: str | None = None,
) -> Iterator[Any]:
    """``items`` extracted, in order (Failures pass through); by ``workers`` processes after the first
    ``options.in_process`` documents (none: all here). With ``prepared``, the workers' articles come as
    :class:`~storydesk.pipeline.Prepared`, with the features dedup and clustering read, and with the
    document vectors of ``embedder`` if one is named."""
    options = options or ExtractPoolOptions()
    it = iter(items)
    head = []
    for item in it:
        head.append(item)
        if len(head) >= options.in_process:
            break
    yield from _here(head)
    if len(head) < options.in_process or workers < 1:
        yield from _here(it)
        return
    try:
        executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(os.getpid(), logging.getLogger().getEffectiveLevel()),
        )
    except OSError as exc:  # e.g. no /dev/shm
        log.warning("cannot start extraction workers (%s); extracting in this process", exc)
        yield from _here(it)
        return
    finished = False
    try:
        yield from _pipelined(it, executor, options.chunk, workers * options.ahead, spent, prepared, embedder)
        finished = True
    finally:
        if finished:
            executor.shutdown(wait=True, cancel_futures=True)
        else:  # interrupted (Ctrl-C, SIGTERM, an error, or the consumer stopped reading): stop at once
            stop_pool(executor)


def _pipelined(
    it: Iterator[RawDocument | Failure],
    executor: ProcessPoolExecutor,
    size: int,
    ahead: int,
    spent: Spent | None,
    prepared: bool,
    embedder: str | None,
) -> Iterator[Any]:
    inflight: deque[tuple[list[RawDocument | Failure], Future[tuple[list[Any], float]] | None]]
    inflight = deque()
    broken = False

    def submit() -> bool:
        chunk: list[RawDocument | Failure] = []
        for item in it:
            chunk.append(item)
            if len(chunk) >= size:
                break
        if not chunk:
            return False
        raws = [x for x in chunk if not isinstance(x, Failure)]
        future = None
        if raws and not broken:
            try:
                future = executor.submit(_extract_chunk, raws, prepared, embedder)
            except (BrokenProcessPool, RuntimeError):
                future = None
        inflight.append((chunk, future))
        return True

    while len(inflight) < ahead and submit():
        pass
    while inflight:
        chunk, future = inflight.popleft()
        done: list[Any] | None = None
        if future is not None:
            try:
                done, seconds = future.result()
                if spent is not None:
                    spent(seconds)
            except BrokenProcessPool:
                log.warning("an extraction worker died; extracting the rest in this process")
                broken = True
        if done is None:
            yield from _here(chunk)
        else:
            results = iter(done)
            for item in chunk:
                yield item if isinstance(item, Failure) else next(results)
        if not broken:
            submit()
    yield from _here(it)  # what is left once a worker died (nothing otherwise)
