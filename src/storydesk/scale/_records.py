"""The options a Dask job takes and the report it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Failure
from ..stream import rules as stream_rules
from . import rules

__all__ = ["ScaleOptions", "ScaleReport", "StageReport", "STAGES"]

#: The stages a run can stop after (``stop_after``); a later run with the same work folder resumes.
STAGES = ("read", "dedup", "cluster", "brief")


@dataclass(frozen=True, slots=True)
class ScaleOptions:
    """Where the job runs and how its work is cut (defaults in :mod:`storydesk.scale.rules`)."""

    work_dir: Path
    #: Address of a running Dask scheduler (``tcp://host:8786``); None starts a LocalCluster here.
    scheduler: str | None = None
    #: Worker processes of that LocalCluster (None: one per core).
    workers: int | None = None
    partition_files: int = rules.PARTITION_FILES
    split_bytes: int = rules.SPLIT_BYTES
    min_split_bytes: int = rules.MIN_SPLIT_BYTES
    window_articles: int = rules.WINDOW_ARTICLES
    lead_in_days: int = rules.LEAD_IN_DAYS
    parts_per_worker: int = rules.PARTS_PER_WORKER
    store_batch: int = rules.STORE_BATCH
    retries: int = rules.RETRIES
    #: A window's streaming clusterer revises (flushes) after this many articles, as ``ingest`` after each chunk.
    flush_every: int = stream_rules.PLACE_EVERY
    #: Stop once this stage (one of :data:`STAGES`) is done; None runs them all.
    stop_after: str | None = None


@dataclass(frozen=True, slots=True)
class StageReport:
    """One step of the job: its wall-clock seconds, the seconds its tasks ran (all workers together), its
    tasks, the rows and bytes they wrote, and whether an earlier run had done it (``resumed``)."""

    name: str
    seconds: float
    task_seconds: float
    tasks: int
    rows: int
    bytes: int
    resumed: bool = False
    #: The largest peak resident memory of a worker process that ran one of its tasks (MB).
    peak_mb: float = 0.0
    #: CPU seconds of its tasks (all workers together): what a task costs, however busy the machine.
    cpu_seconds: float = 0.0


@dataclass
class ScaleReport:
    articles: int = 0
    repeats: int = 0
    duplicates: int = 0
    stories: int = 0
    windows: int = 0
    partitions: int = 0
    workers: int = 0
    failures: list[Failure] = field(default_factory=list)
    steps: list[StageReport] = field(default_factory=list)
    #: Bytes each shuffle wrote to the work folder and its reduce tasks read back.
    shuffles: dict[str, int] = field(default_factory=dict)
    stopped_after: str | None = None

    def line(self) -> str:
        done = (
            f"stopped after {self.stopped_after} (run again to resume)"
            if self.stopped_after
            else f"{self.stories} stories"
        )
        return (
            f"scaled {self.articles} articles ({self.repeats} read twice, {self.duplicates} near-duplicates folded, "
            f"{len(self.failures)} failed) in {self.partitions} partitions and {self.windows} windows on "
            f"{self.workers} workers; {done}"
        )
