"""Timings of the watch loop (``storydesk watch`` and ``serve --watch``)."""

from __future__ import annotations

#: The watch loop looks for due sources (and sources added meanwhile) at least this often, in seconds.
WATCH_MAX_SLEEP_S = 60.0

#: ... and never more often than this.
WATCH_MIN_SLEEP_S = 1.0

#: After a pass that failed as a whole (the store unreachable, a bug), the next waits at least this long,
#: doubled for each further failure in a row (at most ``WATCH_MAX_SLEEP_S``), so a broken loop never spins.
WATCH_RETRY_S = 1.0

#: How long a serving process waits, when it stops, for the watch pass in flight to end (its fetches in
#: flight finish or time out; what was extracted is ingested). After that the thread is left behind
#: (it is a daemon thread; nothing of its pass is recorded, the next start does it again).
WATCH_STOP_WAIT_S = 30.0
