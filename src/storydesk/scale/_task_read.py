"""Step 1 as Dask tasks: read and extract one partition of the inputs."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from ..config import Settings
from ..model import Article, Failure, publication_day
from ._exchange import (
    articles_table,
    failures_table,
    write_table,
)
from ._plan import ReadPart
from ._task_common import (
    Stats,
    _done,
    _timed,
)

# -- 1. read + extract ---------------------------------------------------------------------------------


@_timed
def read_partition(part: ReadPart, settings: Settings, out: Path, failures_out: Path) -> Stats:
    """Read and extract one partition (the same readers and extractor as ``ingest``): its articles, with
    their publication day, and its failures, in reading order."""
    if (done := _done(out)) is not None and failures_out.exists():
        return done
    from ..ingest import read_file
    from ..pipeline import extract_document, read_limits

    articles: list[Article] = []
    failures: list[Failure] = []
    limits = read_limits(settings)
    for name in part.files:
        for raw in read_file(Path(name), limits=limits, part=part.part):
            if isinstance(raw, Failure):
                failures.append(raw)
                continue
            item = extract_document(raw)
            (failures if isinstance(item, Failure) else articles).append(item)  # type: ignore[arg-type]
    days = pa.array([publication_day(a.published) for a in articles], pa.float64())
    size = write_table(failures_table(failures), failures_out)
    size += write_table(articles_table(articles, day=days), out)
    return Stats(len(articles), size, counts=(("failures", len(failures)),))
