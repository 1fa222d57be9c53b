"""Past one machine: the batch job on Dask (``storydesk scale``).

The same stages as ``ingest``, cut into partitions and shuffles, each step writing Parquet to a work folder
so that a run resumes where it stopped: read + extract per partition → near-duplicates (MinHash, LSH
buckets → edges → connected components, each component decided by ``ingest``'s streaming index in
``ingest``'s order) → stories (the streaming clusterer of ``ingest`` per time window, fed in ``ingest``'s
order and chunks; windows merged across their boundaries by a documented rule) → a briefing per story (``brief_story``), written to the same store. :func:`run_scale` is the entry;
the order of the steps is in ``_job``; design and costs in docs/scale.md.
"""

from __future__ import annotations

from ._job import ScaleError, run_scale
from ._merge import merge_across_windows
from ._records import STAGES, ScaleOptions, ScaleReport, StageReport

__all__ = [
    "run_scale",
    "ScaleOptions",
    "ScaleReport",
    "StageReport",
    "ScaleError",
    "STAGES",
    "merge_across_windows",
]
