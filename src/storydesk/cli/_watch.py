"""``storydesk watch``: poll the followed sources and ingest what is new (once, or until stopped)."""

from __future__ import annotations

import sys
from typing import Any

import click

from ._common import (
    EXIT_PARTIAL,
    _handle_errors,
    _notice,
    _Progress,
    _settings,
    _stoppable,
    db_option,
    quiet_option,
)


@click.command()
@click.option("--once", is_flag=True, help="One pass over the due sources, then exit (for cron).")
@click.option(
    "--interval", metavar="DURATION", help="Poll sources this often (90s, 15m, 1h; setting poll_interval)."
)
@db_option
@quiet_option
@click.pass_context
@_handle_errors
@_stoppable
def watch(ctx: click.Context, once: bool, interval: str | None, db: str | None, quiet: bool) -> None:
    """Poll the followed sources when due and ingest what is new, like `ingest` (Ctrl-C stops).

    Exit status with --once: 0 when every source and page worked, 1 when some failed.

    \b
    Examples:
      storydesk watch
      storydesk watch --once --interval 15m      # from cron, every 15 minutes
    """
    from .. import service

    def show(report: Any) -> None:
        for f in report.failures:
            click.echo(f"storydesk: failed {f.origin}: {f.reason}", err=True)
        if not quiet:
            click.echo(report.line(), err=True)

    desk = service.Desk(_settings(ctx, db=db), notice=_notice)
    with desk, service.Watcher(desk, interval=interval) as watcher:
        progress = _Progress("Watching", quiet=quiet or not once)
        try:
            report = watcher.run(once=once, on_pass=show, progress=progress)
        except KeyboardInterrupt:
            report = None
        finally:
            progress.close()
    if once and report is not None and report.failures:
        sys.exit(EXIT_PARTIAL)
