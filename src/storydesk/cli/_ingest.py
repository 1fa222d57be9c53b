"""``storydesk ingest``: read, analyse, group and brief files into the store."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import (
    _end_with_report,
    _handle_errors,
    _notice,
    _Progress,
    _settings,
    _stoppable,
    db_option,
    quiet_option,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@quiet_option
@click.pass_context
@_handle_errors
@_stoppable
def ingest(ctx: click.Context, paths: tuple[Path, ...], db: str | None, quiet: bool) -> None:
    """Add the articles under PATHS to the store and update their stories.

    Each article is stored in its own transaction: an interrupted ingest loses at most the article in
    flight, and running it again picks up where it stopped. Ingesting the same article twice changes nothing.

    \b
    Examples:
      storydesk ingest examples/
      storydesk ingest --db team.db feeds/*.xml crawl.warc.gz
    """
    from .. import service

    settings = _settings(ctx, db=db)
    progress = _Progress("Ingesting", quiet=quiet)
    try:
        with service.Desk(settings, notice=_notice) as desk:
            report = desk.ingest(list(paths), progress=progress)
    finally:
        progress.close()
    _end_with_report(report, quiet)
