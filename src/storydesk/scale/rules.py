"""Sizes of the Dask job's partitions, shuffles and time windows (defaults of :class:`ScaleOptions`)."""

from __future__ import annotations

#: Small files (HTML, text, feeds, small JSONL or WARC files) read by one task, in listing order.
PARTITION_FILES = 64

#: A JSONL or WARC file larger than this is cut into line or record ranges of about this many bytes, each
#: read by its own task (a gzipped JSONL file, or a WARC gzipped as one stream, cannot be cut: one task).
SPLIT_BYTES = 32 * 2**20

#: An input smaller than SPLIT_BYTES × the shuffle parts is cut finer, so that every worker has work from the
#: start: into about as many partitions as the shuffles have parts, with files cut from this size up and
#: small files grouped by fewer.
MIN_SPLIT_BYTES = 2**20

#: A time window gathers consecutive publication days until it holds about this many articles (a day is
#: never cut; a day with more is a window alone). Windows are clustered in parallel; the streaming
#: clusterer's time per article does not grow with the window, but its memory does (bounded by its open
#: window and the stories it holds), and fewer, larger windows mean fewer boundaries to merge across.
WINDOW_ARTICLES = 2000

#: Each window but the first first replays the articles of this many days before it (its lead-in, which
#: the earlier window owns) so that stories running across the boundary are continued, then merged by
#: the rule in :mod:`storydesk.scale._merge`.
LEAD_IN_DAYS = 3

#: Parts each shuffle is cut into, per worker (at least this many times the workers, so that a slow part
#: does not hold the stage up).
PARTS_PER_WORKER = 4

#: Stories briefed by one task are written to the store this many at a time (one transaction for their
#: articles, then one per story).
STORE_BATCH = 64

#: How often Dask runs a task again after its worker died or it raised.
RETRIES = 3
