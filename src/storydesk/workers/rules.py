"""Sizes of the worker pools: how work is handed to worker processes, and how many start."""

from __future__ import annotations

#: Documents sent to an extraction worker at a time.
CHUNK = 64

#: Chunks in flight per extraction worker: enough that the ingesting process never waits while a worker
#: is busy.
AHEAD = 4

#: Documents extracted in the ingesting process before an extraction worker is started: a short run (a few
#: files, one upload) never pays for starting a process.
IN_PROCESS = 256

#: Most worker processes ``workers = -1`` (automatic) starts, of each pool.
MAX_AUTO_WORKERS = 4

#: How often a worker checks that the process that started it is still alive (seconds); on Linux the
#: kernel also ends it at once (PR_SET_PDEATHSIG), this is the fallback.
LIFELINE_POLL_S = 0.5

#: How long stopping a pool waits for its workers to end after SIGTERM before it kills them (seconds).
STOP_GRACE_S = 2.0
