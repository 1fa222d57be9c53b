"""``storydesk brief``: files in, briefings out, nothing stored."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import (
    EXIT_PARTIAL,
    _handle_errors,
    _notice,
    _Progress,
    _report_failures,
    _settings,
    _stoppable,
    db_option,
    format_option,
    quiet_option,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option()
@db_option
@click.option("--sentences", type=int, help="Most sentences per summary (setting summary_sentences).")
@click.option(
    "--summarizer",
    type=click.Choice(["extractive", "llm"]),
    help="'llm': written by the model at llm_url, every sentence verified (setting summarizer).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@quiet_option
@click.pass_context
@_handle_errors
@_stoppable
def brief(
    ctx: click.Context,
    paths: tuple[Path, ...],
    fmt: str | None,
    db: str | None,
    sentences: int | None,
    summarizer: str | None,
    output: Path | None,
    quiet: bool,
) -> None:
    """Read articles under PATHS and print one briefing per story, largest story first.

    Files and folders are read recursively: HTML (also .gz), text, JSONL, RSS/Atom, WARC.
    With --db the articles are also stored, and the briefings cover their stories in the store.

    \b
    Examples:
      storydesk brief examples/
      storydesk brief --format json news/ > briefing.json
      storydesk brief --format html -o briefing.html news/
    """
    from .. import service
    from ..render import render

    settings = _settings(ctx, db=db, summary_sentences=sentences, summarizer=summarizer)
    fmt = fmt or ("text" if sys.stdout.isatty() or output is None else "json")
    progress = _Progress("Briefing", quiet=quiet)
    try:
        if db:
            with service.Desk(settings, notice=_notice) as desk:
                report = desk.ingest(list(paths), progress=progress)
                briefings = desk.briefings_for(report.article_ids)
                failures = report.failures
        else:
            result = service.brief(list(paths), settings, progress=progress)
            briefings, failures = result.briefings, result.failures
    finally:
        progress.close()
    text = render(briefings, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    _report_failures(failures, quiet)
    if failures:
        sys.exit(EXIT_PARTIAL)
