"""``storydesk sources add|import|list|remove``: the live sources a store follows."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ._common import EXIT_PARTIAL, _handle_errors, _settings, db_option, quiet_option


@click.group()
def sources() -> None:
    """Follow live sources: RSS, Atom and JSON feeds, news sitemaps, single pages (see `watch`).

    \b
    Examples:
      storydesk sources add https://example.org/feed.xml https://example.org/news-sitemap.xml
      storydesk sources import subscriptions.opml
      storydesk sources list
    """


def _echo_added(report: Any, quiet: bool) -> None:
    for s in report.added:
        click.echo(f"{s.id}  {s.url}" + (f"  [{', '.join(s.tags)}]" if s.tags else ""))
    for f in report.problems:
        click.echo(f"storydesk: refused {f.origin}: {f.reason}", err=True)
    if not quiet:
        click.echo(report.line(), err=True)
    if report.problems:
        sys.exit(EXIT_PARTIAL)


@sources.command("add")
@click.argument("urls", nargs=-1, required=True)
@click.option(
    "--kind",
    type=click.Choice(["auto", "feed", "sitemap", "page"]),
    default="auto",
    show_default=True,
    help="auto: a feed or a sitemap, told by its first answer; page: the URL itself is an article.",
)
@click.option("--tag", "tags", multiple=True, help="A tag for these sources (repeatable).")
@click.option("--interval", metavar="DURATION", help="Poll these sources this often (90s, 15m, 1h, 1d).")
@db_option
@quiet_option
@click.pass_context
@_handle_errors
def sources_add(
    ctx: click.Context,
    urls: tuple[str, ...],
    kind: str,
    tags: tuple[str, ...],
    interval: str | None,
    db: str | None,
    quiet: bool,
) -> None:
    """Follow the feeds, sitemaps or pages at URLS; nothing is fetched until `watch`.

    \b
    Examples:
      storydesk sources add https://example.org/rss.xml
      storydesk sources add --tag world --interval 15m https://example.org/news-sitemap.xml
      storydesk sources add --kind page https://example.org/live-blog
    """
    from .. import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        report = service.add_sources(desk, list(urls), kind=kind, tags=tags, interval=interval)  # type: ignore[arg-type]
    _echo_added(report, quiet)


@sources.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@quiet_option
@click.pass_context
@_handle_errors
def sources_import(ctx: click.Context, file: Path, db: str | None, quiet: bool) -> None:
    """Follow every feed of an OPML file; its folders become tags ("News/World").

    \b
    Example:
      storydesk sources import subscriptions.opml
    """
    from .. import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        report = service.import_opml(desk, file)
    _echo_added(report, quiet)


def _when(value: str | None) -> str:
    return value.replace("T", " ")[:16] + " UTC" if value else "never"


@sources.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines (every field).")
@click.pass_context
@_handle_errors
def sources_list(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Show each followed source: last fetch, status, 304 hits, entries, errors, next poll.

    \b
    Examples:
      storydesk sources list
      storydesk sources list --json | jq .last_error
    """
    import dataclasses

    from .. import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        listings = service.list_sources(desk)
    for item in listings:
        s, c = item.source, item.counts
        if as_json:
            row = {**dataclasses.asdict(s), "entries": dataclasses.asdict(c)}
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        status = (s.last_status or "new").replace("_", " ") + (f" {s.http_status}" if s.http_status else "")
        click.echo(
            f"{s.id}  {s.kind:<7} {status:<16} last {_when(s.last_fetch_at)}  304s {s.not_modified_count}/"
            f"{s.fetch_count}  entries {c.total} ({c.ingested} in, {c.pending} pending, {c.failed} failed, "
            f"{c.old} old)  errors {s.error_count}  next {_when(s.next_poll_at)}  {s.url}"
        )
        if s.last_error:
            click.echo(f"    last error: {s.last_error}")


@sources.command("remove")
@click.argument("ident", metavar="ID")
@db_option
@click.pass_context
@_handle_errors
def sources_remove(ctx: click.Context, ident: str, db: str | None) -> None:
    """Stop following a source (ID, a unique id prefix, or its URL); its articles and stories stay.

    \b
    Example:
      storydesk sources remove 3f2a9c0d1e2b
    """
    from .. import service

    with service.Desk(_settings(ctx, db=db)) as desk:
        removed = service.remove_source(desk, ident)
    click.echo(f"removed {removed.id}  {removed.url}")
