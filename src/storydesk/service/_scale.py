"""The batch job on Dask (#19): :func:`scale` over :func:`storydesk.scale.run_scale`, and its options.

:mod:`storydesk.scale` (Dask, pyarrow: the ``scale`` extra) loads when a job starts, not when the service
is imported, so the rest of storydesk runs without that extra.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..stream import Progress, no_progress

if TYPE_CHECKING:
    from ..scale import ScaleOptions, ScaleReport

__all__ = ["scale", "scale_options", "default_work_dir"]


def scale(
    paths: Sequence[str | Path],
    settings: Settings,
    options: ScaleOptions,
    *,
    progress: Progress = no_progress,
) -> ScaleReport:
    """Load the articles under ``paths`` into the store of ``settings`` with the Dask job
    (:func:`storydesk.scale.run_scale`): the same stories and briefings as ``ingest``, on many processes
    or machines; resumable from ``options.work_dir``."""
    from ..scale import run_scale

    return run_scale(paths, settings, options, progress=progress)


def scale_options(
    settings: Settings,
    *,
    work_dir: Path | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    stop_after: str | None = None,
) -> ScaleOptions:
    """The job's options: where it runs (a scheduler's address, or a LocalCluster of ``workers``
    processes), its work folder (:func:`default_work_dir` when None) and the stage to stop after."""
    from ..scale import ScaleOptions

    return ScaleOptions(
        work_dir=work_dir or default_work_dir(settings),
        scheduler=scheduler,
        workers=workers,
        stop_after=stop_after,
    )


def default_work_dir(settings: Settings) -> Path:
    """``NAME.scale/`` beside a SQLite store; for a server store, a folder in the user cache folder."""
    url = settings.db_url
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///") + ".scale")
    import platformdirs

    return (
        Path(platformdirs.user_cache_dir("storydesk"))
        / "scale"
        / hashlib.sha256(url.encode()).hexdigest()[:16]
    )
