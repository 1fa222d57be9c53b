"""``storydesk stories`` and ``storydesk show``: reading the stored stories and briefings."""

from __future__ import annotations

import json

import click

from ._common import _handle_errors, _settings, db_option, format_option


@click.command()
@db_option
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--since", metavar="YYYY-MM-DD", help="Only stories with articles on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Only stories with articles on or before this date.")
@click.option("--actor", help="Only stories mentioning this actor.")
@click.option(
    "--related", metavar="ID", help="Only the stories of the same subject as story ID (its related stories)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_context
@_handle_errors
def stories(
    ctx: click.Context,
    db: str | None,
    limit: int,
    offset: int,
    since: str | None,
    until: str | None,
    actor: str | None,
    related: str | None,
    as_json: bool,
) -> None:
    """List stored stories, newest first: id, title, articles, outlets, date range.

    \b
    Examples:
      storydesk stories
      storydesk stories --since 2019-04-01 --actor Putin
      storydesk stories --related 3f2a9c0d1e2b4a5c
    """
    import dataclasses

    from .. import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        rows = desk.stories(
            limit=limit, offset=offset, since=since, until=until, actor=actor, related=related
        )
        ungrouped = desk.ungrouped()
    if ungrouped:
        click.echo(
            f"storydesk: {ungrouped} article{'s' if ungrouped != 1 else ''} not yet grouped into stories "
            "(an ingest is running or was interrupted; `storydesk repair` groups them)",
            err=True,
        )
    for r in rows:
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(r), ensure_ascii=False))
        else:
            first, last = (r.first_published or "")[:10], (r.last_published or "")[:10]
            span = f"{first}–{last}" if first != last else first or "undated"
            click.echo(f"{r.id}  {r.article_count:>3} art {r.outlet_count:>3} out  {span:<21}  {r.title}")


@click.command()
@click.argument("story_id")
@db_option
@format_option()
@click.pass_context
@_handle_errors
def show(ctx: click.Context, story_id: str, db: str | None, fmt: str | None) -> None:
    """Print the briefing of one stored story.

    \b
    Examples:
      storydesk show 3f2a9c0d1e2b4a5c
      storydesk show 3f2a9c0d1e2b4a5c --format md
    """
    from .. import service
    from ..render import render

    with service.Desk(_settings(ctx, db=db)) as desk:
        b = desk.briefing(story_id)
    click.echo(render([b], fmt or "text"), nl=False)
