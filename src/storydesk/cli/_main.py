"""The root group ``storydesk`` (``--config``, ``--set``, ``-v``); its commands are registered in
:mod:`storydesk.cli`."""

from __future__ import annotations

import logging

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storydesk")
@click.option("--config", type=click.Path(dir_okay=False), help="A TOML settings file.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override a setting (repeatable).")
@click.option("-v", "--verbose", count=True, help="Log what each stage does (-vv for debug).")
@click.pass_context
def main(ctx: click.Context, config: str | None, sets: tuple[str, ...], verbose: int) -> None:
    """storydesk: news articles in, one cited briefing per real-world story out.

    \b
    Examples:
      storydesk brief examples/
      storydesk brief --format md ~/news/*.html
      storydesk analyse --format json article.txt
      storydesk ingest ~/news && storydesk stories
      storydesk show STORY_ID --format html > story.html
      storydesk serve --port 8000
    """
    pairs = {}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--set")
        pairs[key.strip()] = value
    ctx.obj = {"config": config, "sets": pairs}
    logging.basicConfig(
        level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
        format="%(levelname)s %(name)s: %(message)s",
    )
