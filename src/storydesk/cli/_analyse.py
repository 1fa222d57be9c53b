"""``storydesk analyse``: what the analysis stage finds in each article (sentences, entities, quotes, dates, outlets)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import EXIT_PARTIAL, _handle_errors, _Progress, _report_failures, _settings, quiet_option


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default=None,
    help="Output format (default: text on a terminal, json otherwise).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@quiet_option
@click.pass_context
@_handle_errors
def analyse(
    ctx: click.Context, inputs: tuple[Path, ...], fmt: str | None, output: Path | None, quiet: bool
) -> None:
    """Show what storydesk reads in each article under INPUTS, in input order.

    For every article: its title, outlet (and whether storydesk inferred it from the page), date, the
    text as stored, and character offsets into that text of its sentences, named entities (with the
    actor each belongs to), quotations (speaker, speech verb) and dates (TIMEX3 type, value, and what a
    relative date was resolved against). In JSON, `input` names the file and, for JSONL, the line
    (1-based). Nothing is stored; articles are not grouped.

    \b
    Examples:
      storydesk analyse article.txt
      storydesk analyse --format json news.jsonl > analysis.json
      storydesk analyse --format json page.html | jq '.articles[0].quotes'
    """
    from .. import service
    from ..render import render_analysis

    settings = _settings(ctx)
    fmt = fmt or ("text" if sys.stdout.isatty() and output is None else "json")
    progress = _Progress("Analysing", quiet=quiet)
    try:
        result = service.analyse(list(inputs), settings, progress=progress)
    finally:
        progress.close()
    text = render_analysis(result.articles, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    _report_failures(result.failures, quiet)
    if result.failures:
        sys.exit(EXIT_PARTIAL)
