"""``storydesk doctor`` and ``storydesk repair``: check a store and the run's parts, and repair a store."""

from __future__ import annotations

import sys
from typing import Any

import click

from ._common import (
    EXIT_PARTIAL,
    EXIT_STORE,
    _fail,
    _handle_errors,
    _notice,
    _Progress,
    _settings,
    _stoppable,
    db_option,
    quiet_option,
)


def _checkup_lines(c: Any) -> list[tuple[str, bool, str]]:
    """(check, ok, what it found) for each line of ``doctor``."""
    m = c.membership
    found = f"{len(c.integrity)} problem(s), first: {c.integrity[0]}" if c.integrity else "ok"
    rows = [("integrity", not c.integrity, found)]
    if c.integrity and not c.revisions:
        return rows  # too damaged to check further
    if c.schema_current:
        rows.append(("schema", True, f"ok (revision {c.latest})"))
    else:
        at = ",".join(c.revisions) or "no storydesk tables"
        rows.append(("schema", False, f"at {at}, latest {c.latest}"))
        return rows
    rows.append(("full-text index", c.fulltext is None, c.fulltext or "ok"))
    problems = [
        f"{len(m.in_several)} articles in several stories" if m.in_several else "",
        f"{len(m.empty_stories)} stories without articles" if m.empty_stories else "",
        f"{len(m.stray_copies)} near-duplicates away from their original's story" if m.stray_copies else "",
        f"{len(m.copy_chains)} near-duplicates folded into a near-duplicate" if m.copy_chains else "",
    ]
    rows.append(("story membership", not m.damaged, "; ".join(p for p in problems if p) or "ok"))
    if not m.ungrouped:
        rows.append(("grouping", True, "ok (every article is in a story)"))
    elif c.busy:
        rows.append(("grouping", True, f"{m.ungrouped} articles not grouped yet: {c.busy} is ingesting"))
    else:
        rows.append(("grouping", False, f"{m.ungrouped} articles in no story (an interrupted ingest)"))
    return rows


@click.command()
@db_option
@click.pass_context
@_handle_errors
def doctor(ctx: click.Context, db: str | None) -> None:
    """Check the store: integrity, schema, full-text index, every article in exactly one story.

    Changes nothing (not even the schema). Exit status 0 when healthy, 1 when `storydesk repair` has
    something to do.

    \b
    Example:
      storydesk doctor --db team.db
    """
    from .. import service

    with service.Desk(_settings(ctx, db=db), migrate=False) as desk:
        checkup = desk.checkup()
    for name, ok, found in _checkup_lines(checkup):
        click.echo(f"{'ok  ' if ok else 'FAIL'}  {name:<17} {found}")
    if not checkup.ok:
        click.echo("storydesk: problems found; `storydesk repair` repairs what it can", err=True)
        sys.exit(EXIT_PARTIAL)


@click.command()
@db_option
@quiet_option
@click.pass_context
@_handle_errors
@_stoppable
def repair(ctx: click.Context, db: str | None, quiet: bool) -> None:
    """Repair the store: apply missing migrations, rebuild the full-text index, group again the articles
    of stories with inconsistent membership, and group every article left in no story.

    Waits for a running ingest (setting lock_timeout). Prints what it did, then the checks of `doctor`.
    Damaged indexes are rebuilt; a damaged table is not: restore a backup (exit status 3).

    \b
    Example:
      storydesk repair --db team.db
    """
    from .. import service

    progress = _Progress("Repairing", quiet=quiet)
    try:
        with service.Desk(_settings(ctx, db=db), notice=_notice, migrate=False) as desk:
            report = desk.repair(progress=progress)
    finally:
        progress.close()
    for action in report.actions or ["nothing to repair"]:
        click.echo(f"repaired: {action}")
    assert report.after is not None
    for name, ok, found in _checkup_lines(report.after):
        click.echo(f"{'ok  ' if ok else 'FAIL'}  {name:<17} {found}")
    if report.after.integrity:
        _fail(
            "a table of the database file is damaged, which repair cannot mend: restore a backup", EXIT_STORE
        )
    if not report.after.ok:
        sys.exit(EXIT_PARTIAL)
