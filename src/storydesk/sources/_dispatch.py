"""Running fetch jobs politely: one job per host at a time, at most ``limit`` at once, hosts in turn.

Jobs are queued per host; a free worker thread takes the next job of the next host that has none
running, so one host with 400 pages never holds the others up, and no host ever sees two requests of
ours at once. Results come back in the order jobs finish, to the thread that iterates :meth:`results`
(the caller can queue more jobs between results: a feed's pages after the feed). Nothing is started
ahead of the consumer beyond ``limit`` jobs, so finished work never piles up in memory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Generic, TypeVar

__all__ = ["HostDispatcher"]

T = TypeVar("T")


class HostDispatcher(Generic[T]):
    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._queues: dict[str, deque[tuple[Any, Callable[[], T]]]] = {}
        self._ready: deque[str] = deque()
        self._busy: set[str] = set()
        self._running: dict[Future[T], tuple[str, Any]] = {}
        self._executor = ThreadPoolExecutor(max_workers=self.limit, thread_name_prefix="storydesk-fetch")
        self.peak_running = 0

    def submit(self, host: str, tag: Any, job: Callable[[], T]) -> None:
        """Queue ``job`` for ``host``; its result comes back from :meth:`results` with ``tag``."""
        queue = self._queues.setdefault(host, deque())
        queue.append((tag, job))
        if host not in self._busy and host not in self._ready:
            self._ready.append(host)

    def _start(self) -> None:
        while self._ready and len(self._running) < self.limit:
            host = self._ready.popleft()
            tag, job = self._queues[host].popleft()
            self._busy.add(host)
            self._running[self._executor.submit(job)] = (host, tag)
        self.peak_running = max(self.peak_running, len(self._running))

    def _finish(self, host: str) -> None:
        self._busy.discard(host)
        if self._queues.get(host):
            self._ready.append(host)
        else:
            self._queues.pop(host, None)

    def results(self) -> Iterator[tuple[Any, T]]:
        """``(tag, result)`` of every job, queued before or during the iteration, as they finish.

        A job that raises re-raises here (jobs are expected to turn their failures into results).
        """
        self._start()
        while self._running:
            done, _ = wait(list(self._running), return_when=FIRST_COMPLETED)
            for future in done:
                host, tag = self._running.pop(future)
                self._finish(host)
                result = future.result()
                self._start()
                yield tag, result
            self._start()

    def close(self) -> None:
        for future in self._running:
            future.cancel()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> HostDispatcher[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
