"""``storydesk serve``: the web page and HTTP API over a store (and, with ``--watch``, the live sources)."""

from __future__ import annotations

import sys

import click

from ._common import EXIT_NOT_FOUND, _handle_errors, _settings, db_option


@click.command()
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; any other than loopback prints what it exposes (writes need api_token).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--get", "get_path", metavar="PATH", help="Answer one request in-process and print it; no server."
)
@click.option(
    "--watch", "watch", is_flag=True, help="Also poll the followed sources, as `storydesk watch` does."
)
@click.option(
    "--interval",
    metavar="DURATION",
    help="With --watch: poll sources this often (90s, 15m, 1h; setting poll_interval).",
)
@click.pass_context
@_handle_errors
def serve(
    ctx: click.Context,
    db: str | None,
    host: str,
    port: int,
    get_path: str | None,
    watch: bool,
    interval: str | None,
) -> None:
    """Serve the web page and the JSON API over the store.

    With --watch the same process polls the followed sources when due and ingests what is new, on a
    background thread that starts and stops with the server (for a small installation; a failing pass is
    logged and shown on the Sources page, never fatal).

    Only this machine can connect unless --host names another interface; then a warning says what is
    exposed, and write endpoints stay off without an api_token (of 16 characters or more).

    \b
    Examples:
      storydesk serve
      storydesk serve --db team.db --host 0.0.0.0 --port 8080
      storydesk serve --watch --interval 15m
      storydesk serve --get /api/stories
    """
    from contextlib import ExitStack

    from .. import service
    from ..web import create_app, exposure_notice, request_lock_timeout

    if interval and not watch:
        raise click.UsageError("--interval applies to --watch")
    if watch and get_path:
        raise click.UsageError("--watch runs with the server; leave out --get")
    settings = _settings(ctx, db=db)
    notice = None if get_path else exposure_notice(host, port, settings)
    with ExitStack() as stack:
        # a write request (or a watch pass) waits for another ingest at most request_lock_timeout, then
        # answers 503 (the pass fails and the next comes after the back-off)
        desk = stack.enter_context(service.Desk(settings, lock_timeout=request_lock_timeout(settings)))
        watcher = stack.enter_context(service.Watcher(desk, interval=interval)) if watch else None
        app = create_app(settings, desk=desk, watcher=watcher)
        if get_path:
            from fastapi.testclient import TestClient

            with TestClient(app) as client:
                resp = client.get(get_path)
            click.echo(resp.text)
            sys.exit(0 if resp.status_code < 400 else EXIT_NOT_FOUND)
        import uvicorn

        if notice:
            click.echo(f"storydesk: warning: {notice}", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")
