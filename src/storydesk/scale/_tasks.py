"""What one Dask task does: each stage's map and reduce work, over files in the work folder.

Every task reads its inputs from the work folder, writes its output there atomically (a file appears
whole or not at all) and returns a few numbers. A task whose output exists already returns at once, so a
stage run again after a failure redoes only what is missing; a task run twice (Dask retries it when its
worker dies) writes the same bytes. Tasks hold no state but the per-process :class:`Components`.
"""

from __future__ import annotations

from ._task_brief import (
    brief_part,
    route_stories,
)
from ._task_common import Stats
from ._task_dedup import (
    bucket_edges,
    connected_components,
    fold_candidates,
    minhash_partition,
    route_candidates,
)
from ._task_read import (
    read_partition,
)
from ._task_stories import (
    cluster_window,
    merge_windows,
    route_windows,
)

__all__ = [
    "Stats",
    "read_partition",
    "minhash_partition",
    "bucket_edges",
    "connected_components",
    "route_candidates",
    "fold_candidates",
    "route_windows",
    "cluster_window",
    "merge_windows",
    "route_stories",
    "brief_part",
]
