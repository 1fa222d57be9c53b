"""Worker processes never outlive the process that started them.

In each worker, :func:`bind_to_parent` (run by the pool's initializer) ignores SIGINT (a Ctrl-C reaches
the whole process group; the parent handles it and stops its workers) and arranges for the worker to end
when its parent does, however the parent died (``kill -9`` included): on Linux the kernel sends it SIGKILL
(``prctl(PR_SET_PDEATHSIG)``), and everywhere a thread checks every :data:`~.rules.LIFELINE_POLL_S`
seconds that the parent is still its parent. Once every worker is gone, multiprocessing's resource
tracker reads the end of its pipe and exits too.

In the parent, :func:`stop_pool` ends a pool at once (an interrupted run does not wait for the work in
flight): pending work is cancelled, the workers get SIGTERM, then SIGKILL after
:data:`~.rules.STOP_GRACE_S` seconds, and are reaped.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from .rules import LIFELINE_POLL_S, STOP_GRACE_S

__all__ = ["bind_to_parent", "stop_pool"]

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def bind_to_parent(parent_pid: int) -> None:
    """In a worker process: ignore SIGINT and end when the process ``parent_pid`` ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="storydesk-lifeline", daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(LIFELINE_POLL_S)
        if os.getppid() != parent_pid:
            os._exit(1)


def stop_pool(executor: ProcessPoolExecutor) -> None:
    """End a pool now: cancel its pending work and end its workers (SIGTERM, then SIGKILL), reaped."""
    # CPython's ProcessPoolExecutor keeps its workers in ``_processes`` (pid -> Process); there is no
    # public way to stop work in flight.
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)
