"""The writer lock: one ingest at a time per store, released by the operating system or the database server
when its holder dies. Readers never take it.

* SQLite file: an exclusive ``flock`` on ``<db>-writer.lock`` beside the database. The kernel drops it
  when the holding process exits in any way (``kill -9`` included), so no stale lock can outlive a
  crash; the file keeps the holder's pid for the "waiting for" message.
* SQLite in memory: only this process can reach it; a lock of this process.
* Postgres: a session-level ``pg_advisory_lock`` on a key derived from the schema, held by a connection
  of its own whose ``application_name`` names the holder. The server drops it when that session ends (the
  client's death closes the socket).

A waiter polls every :data:`~.rules.LOCK_POLL_S` seconds, says once whom it waits for, and gives up with
:class:`~storydesk.errors.StoreBusyError` after ``timeout`` seconds. See docs/concurrency.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreBusyError, StoreError
from ._database import Database, describe
from .rules import LOCK_POLL_S

__all__ = ["writer_lock", "lock_file"]

Notice = Callable[[str], None]

# In-memory SQLite databases: one lock per engine (nothing outside this process can see the database).
_memory_locks: dict[int, threading.Lock] = {}
_memory_guard = threading.Lock()


def lock_file(database: Path) -> Path:
    """The file whose ``flock`` is the writer lock of the SQLite database at ``database``."""
    return database.with_name(database.name + "-writer.lock")


@contextlib.contextmanager
def writer_lock(
    db: Database, database_file: Path | None, *, timeout: float, notice: Notice
) -> Iterator[None]:
    """Hold the store's writer lock for the ``with`` block; wait up to ``timeout`` seconds for it."""
    if db.backend == "postgresql":
        with _advisory_lock(db, timeout=timeout, notice=notice):
            yield
    elif database_file is not None:
        with _file_lock(db, lock_file(database_file.resolve()), timeout=timeout, notice=notice):
            yield
    else:
        with _memory_guard:
            lock = _memory_locks.setdefault(id(db.engine), threading.Lock())
        if not lock.acquire(timeout=max(0.0, timeout)):
            raise _busy(db.where, "another writer in this process", timeout)
        try:
            yield
        finally:
            lock.release()


def _busy(where: str, holder: str, timeout: float) -> StoreBusyError:
    return StoreBusyError(
        f"{where}: {holder} is still writing after {timeout:g} s of waiting; run again when it has "
        "finished, or wait longer with --set lock_timeout=SECONDS",
        holder=holder,
    )


def _waiting(where: str, holder: str, timeout: float) -> str:
    return f"waiting for {holder} to finish with {where} (up to {timeout:g} s, setting lock_timeout)"


# -- SQLite: flock on a file beside the database -----------------------------------------------------------


@contextlib.contextmanager
def _file_lock(db: Database, path: Path, *, timeout: float, notice: Notice) -> Iterator[None]:
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the writer lock beside the database: {exc.strerror}") from exc
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pass
            holder = _file_holder(fd)
            if time.monotonic() >= deadline:
                raise _busy(db.where, holder, timeout)
            if not told:
                notice(_waiting(db.where, holder, timeout))
                told = True
            time.sleep(LOCK_POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {socket.gethostname()}\n".encode(), 0)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _file_holder(fd: int) -> str:
    """ "another ingest (pid N)" as the lock file tells it (the holder writes its pid once it holds it)."""
    try:
        pid, _, host = os.pread(fd, 200, 0).decode("ascii", "replace").strip().partition(" ")
    except OSError:
        pid, host = "", ""
    if not pid.isdigit():
        return "another ingest"
    where = f" on {host}" if host and host != socket.gethostname() else ""
    return f"another ingest (pid {pid}{where})"


# -- Postgres: a session-level advisory lock -----------------------------------------------------------------


def _lock_key(schema: str) -> int:
    """A signed 64-bit advisory-lock key for storydesk's writer lock in ``schema`` (each schema a store)."""
    digest = hashlib.sha256(f"storydesk writer lock:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def _advisory_lock(db: Database, *, timeout: float, notice: Notice) -> Iterator[None]:
    try:
        conn = db.engine.connect()
    except SQLAlchemyError as exc:
        raise StoreError(describe(exc, db.where)) from exc
    held = False
    try:
        try:
            schema = str(conn.execute(text("SELECT current_schema()")).scalar() or "public")
            key = _lock_key(schema)
            name = f"storydesk ingest pid {os.getpid()} on {socket.gethostname()}"[:63]
            conn.execute(text("SELECT set_config('application_name', :name, false)"), {"name": name})
            conn.commit()
            deadline = time.monotonic() + timeout
            told = False
            while True:
                held = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
                conn.commit()  # no transaction stays open while waiting or holding
                if held:
                    break
                holder = _advisory_holder(conn, key)
                conn.commit()
                if time.monotonic() >= deadline:
                    raise _busy(db.where, holder, timeout)
                if not told:
                    notice(_waiting(db.where, holder, timeout))
                    told = True
                time.sleep(LOCK_POLL_S)
        except SQLAlchemyError as exc:
            raise StoreError(describe(exc, db.where)) from exc
        yield
    finally:
        if held:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
            except SQLAlchemyError:
                conn.invalidate()  # closing the session releases the lock
        conn.close()


def _advisory_holder(conn: Connection, key: int) -> str:
    """ "another ingest (pid N on HOST)" from the holding session's application_name."""
    unsigned = key & 0xFFFFFFFFFFFFFFFF
    row = conn.execute(
        text(
            "SELECT a.application_name, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1"
        ),
        {"hi": unsigned >> 32, "lo": unsigned & 0xFFFFFFFF},
    ).first()
    if row is None:
        return "another ingest"
    app = str(row.application_name or "")
    if app.startswith("storydesk ingest "):
        return f"another ingest ({app.removeprefix('storydesk ingest ')})"
    return f"another ingest (server pid {row.pid})"
