"""The connection every repository shares: opening (and migrating) a database, one transaction per write,
SQLAlchemy errors turned into :class:`~storydesk.errors.StoreError` naming the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ._engine import WRITE_OPTION, build_engine, normalise_url, sqlite_path
from ._migrate import upgrade_schema
from .rules import IN_CHUNK, MAX_ROWS

__all__ = ["Database", "open_database", "now", "chunks", "unique", "clamp_rows"]

_SQLITE_MAGIC = b"SQLite format 3\x00"


class Database:
    """An engine and the name of the database it reaches (for messages); one per :class:`Store`.

    ``path`` is the SQLite database file (None for Postgres and an in-memory database)."""

    def __init__(self, engine: Engine, where: str, path: Path | None = None) -> None:
        self.engine = engine
        self.where = where
        self.path = path
        self.backend = engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(describe(exc, self.where)) from exc

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction (on SQLite it takes the write lock up front)."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:
            raise StoreError(describe(exc, self.where)) from exc

    def insert(self, table: Any) -> Any:
        """An INSERT for this backend (both dialects offer ``on_conflict_do_*``)."""
        if self.backend == "postgresql":
            return pg_dialect.insert(table)
        return sqlite_dialect.insert(table)


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open (creating and migrating as needed) the database at a SQLAlchemy URL.

    Raises :class:`StoreError` for a file that is not a SQLite database, a schema newer than this code,
    or a database that cannot be reached. With ``migrate=False`` the schema is left as it is (``doctor``
    reports it).
    """
    parsed = normalise_url(url)
    path = sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None
    where = str(path) if path is not None else parsed.render_as_string(hide_password=True)
    if path is not None:
        _check_sqlite_file(path)
    engine = build_engine(parsed)
    try:
        with engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if migrate:
                    if engine.dialect.name == "postgresql":  # two first opens at once: one migrates
                        conn.execute(
                            text(
                                "SELECT pg_advisory_xact_lock(hashtext('storydesk migrate:' || current_schema()))"
                            )
                        )
                    upgrade_schema(conn, where)
    except StoreError:
        engine.dispose()
        raise
    except (SQLAlchemyError, sqlite3.Error) as exc:
        engine.dispose()
        raise StoreError(describe(exc, where, opening=True)) from exc
    return Database(engine, where, path)


def now() -> str:
    """The current time as the store writes it: ISO 8601 UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def chunks(items: Sequence[str], size: int = IN_CHUNK) -> Iterator[Sequence[str]]:
    """``items`` in slices short enough for one ``IN (...)`` list."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def clamp_rows(n: int) -> int:
    """A LIMIT or OFFSET the database can hold: negative as 0, past :data:`~.rules.MAX_ROWS` as that."""
    return min(max(0, n), MAX_ROWS)


def unique(items: Iterable[str]) -> list[str]:
    """``items`` without repeats, in first-seen order."""
    return list(dict.fromkeys(items))


def _check_sqlite_file(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a SQLite database file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database file: {exc}") from exc
    if head and head != _SQLITE_MAGIC:
        raise StoreError(
            f"{path}: not a SQLite database (the file exists but holds something else); "
            "choose another --db path or move this file away"
        )


def describe(exc: BaseException, where: str, *, opening: bool = False) -> str:
    """One line naming the database and what went wrong."""
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if "file is not a database" in message:
        return f"{where}: not a SQLite database ({message}); choose another --db path or move this file away"
    if opening:
        return f"{where}: cannot open the store: {message}"
    return f"{where}: {message}"
