"""Bring a database to the latest schema with Alembic, without an alembic.ini."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import Connection

from ..errors import StoreError

__all__ = ["upgrade_schema", "head_revision", "current_revisions"]

log = logging.getLogger(__name__)

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revisions(connection: Connection) -> tuple[str, ...]:
    """The revisions the database is at (empty for a database without storydesk's schema)."""
    return tuple(MigrationContext.configure(connection).get_current_heads())


def upgrade_schema(connection: Connection, where: str) -> None:
    """Apply every migration the database lacks; refuse a schema newer than this code.

    ``connection`` must be inside a transaction; the caller commits it.
    """
    script = ScriptDirectory.from_config(_config())
    current = MigrationContext.configure(connection).get_current_heads()
    head = script.get_current_head()
    for rev in current:
        try:
            known = script.get_revision(rev)
        except (CommandError, RevisionError):
            known = None
        if known is None:
            raise StoreError(
                f"{where}: the database schema (revision {rev}) is newer than this version of storydesk "
                f"knows (latest {head}); upgrade storydesk or use another database"
            )
    if tuple(current) == (head,):
        return
    from alembic import command

    log.info("migrating %s from %s to %s", where, ",".join(current) or "empty", head)
    command.upgrade(_config(connection), "head")
