"""The watch loop inside a serving process (``storydesk serve --watch``): one background thread.

:class:`WatchThread` runs :meth:`Watcher.run` on a daemon thread for as long as the web server runs and
stops it with the server: :meth:`WatchThread.stop` sets the loop's stop event (a pass in flight stops
fetching and records nothing) and waits for the thread. Nothing the loop meets reaches the server: a
failing pass is logged and kept in :meth:`WatchThread.state` (which the Sources page shows), and the
next pass comes after a back-off.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from . import rules
from ._watch import Watcher, WatchReport

__all__ = ["WatchState", "WatchThread"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WatchState:
    """What the watch loop of this process has done: shown on the Sources page and in ``/api/sources``.

    ``last_pass`` is the summary line of the last pass that ran to its end, at ``last_pass_at``;
    ``last_error`` the reason the last failed pass failed (cleared by the next pass that works).
    """

    running: bool
    passes: int = 0
    failed_passes: int = 0
    last_pass_at: str | None = None
    last_pass: str | None = None
    last_error: str | None = None


class WatchThread:
    """A :class:`Watcher`'s loop on a background thread; :meth:`start` once, :meth:`stop` once."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._state = WatchState(running=False)
        self._thread = threading.Thread(target=self._main, name="storydesk-watch", daemon=True)

    def start(self) -> None:
        # open the store here, so that the loop and the first requests do not race to open it
        self.watcher.desk.store  # noqa: B018
        self._set(running=True)
        self._thread.start()

    def stop(self, timeout: float = rules.WATCH_STOP_WAIT_S) -> bool:
        """Stop the loop and wait up to ``timeout`` seconds for it; True when the thread has ended."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("watch: the pass in flight did not stop within %g s; leaving it behind", timeout)
            return False
        return True

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def state(self) -> WatchState:
        with self._lock:
            return self._state

    # -- the thread --------------------------------------------------------------------------------

    def _main(self) -> None:
        try:
            self.watcher.run(stop=self._stop, on_pass=self._passed, on_error=self._failed)
        except BaseException as exc:  # nothing may escape into the serving process
            log.exception("watch: the loop ended unexpectedly")
            self._set(last_error=f"the watch loop ended: {exc or type(exc).__name__}")
        finally:
            self._set(running=False)

    def _passed(self, report: WatchReport) -> None:
        line = report.line().replace("\n", "; ")
        log.info("watch: %s", line)
        if not report.interrupted:
            with self._lock:
                s = self._state
                self._state = replace(
                    s, passes=s.passes + 1, last_pass_at=_stamp(), last_pass=line, last_error=None
                )

    def _failed(self, exc: BaseException) -> None:
        with self._lock:
            s = self._state
            self._state = replace(
                s, failed_passes=s.failed_passes + 1, last_error=str(exc) or type(exc).__name__
            )

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._state = replace(self._state, **changes)  # type: ignore[arg-type]


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
