"""``storydesk scale``: the ingest pipeline as a Dask job, into an empty store (docs/scale.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import (
    _end_with_report,
    _handle_errors,
    _Progress,
    _settings,
    db_option,
    quiet_option,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on this Dask cluster (tcp://host:8786); needs a Postgres --db.",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    help="Start a local Dask cluster of N processes (default: one per core).",
)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the stages' Parquet files; run again with it to resume (needed with --scheduler: "
    "every worker must see it). Default: a folder named after the store beside it.",
)
@click.option(
    "--stop-after",
    type=click.Choice(["read", "dedup", "cluster"]),
    help="Stop once this stage is done (a later run with the same --work-dir goes on from there).",
)
@quiet_option
@click.pass_context
@_handle_errors
def scale(
    ctx: click.Context,
    paths: tuple[Path, ...],
    db: str | None,
    scheduler: str | None,
    workers: int | None,
    work_dir: Path | None,
    stop_after: str | None,
    quiet: bool,
) -> None:
    """Load the articles under PATHS into an empty store with a Dask cluster: the same stories as `ingest`.

    The stages run as Dask tasks over partitions (read + extract, near-duplicates, stories per time
    window, a briefing per story), each writing Parquet to the work folder: a run that stopped resumes
    where it was. `stories`, `show` and `serve` read the result as they read an ingest's.

    \b
    Examples:
      storydesk scale --db news.db --workers 2 crawl/
      storydesk scale --db postgresql+psycopg://db/news --scheduler tcp://head:8786 --work-dir /shared/run1 /shared/cc-news/
    """
    from .. import service

    if scheduler and workers:
        raise click.UsageError("give --scheduler or --workers, not both")
    if scheduler and work_dir is None:
        raise click.UsageError("--scheduler needs --work-dir (a folder every worker mounts)")
    settings = _settings(ctx, db=db)
    options = service.scale_options(
        settings, work_dir=work_dir, scheduler=scheduler, workers=workers, stop_after=stop_after
    )
    progress = _Progress("Scaling", quiet=quiet)
    try:
        report = service.scale(list(paths), settings, options, progress=progress)
    finally:
        progress.close()
    _end_with_report(report, quiet)
