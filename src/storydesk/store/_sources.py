"""The live sources' tables: followed sources, the entries each listed, the fetched-page cache.

:class:`SourceRepository` works on the store's engine (``Store.sources``); it implements the
``PollMemory`` a pass of the sources stage reads, and :meth:`SourceRepository.record_pass` writes what
a pass found in one transaction, after its articles are stored: an interrupted pass leaves the sources
as they were, and the next pass does the work again (ingesting an article twice changes nothing).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import SQLAlchemyError

from ..errors import NotFoundError, StoreError
from ..model import Entry, EntryCounts, Page, Source
from . import _schema as t
from ._engine import WRITE_OPTION
from .rules import IN_CHUNK

__all__ = ["SourceRepository"]

#: Columns of ``sources`` a poll changes (the others are the user's: url, kind until resolved, tags…).
_STATE = (
    "kind",
    "title",
    "final_url",
    "etag",
    "last_modified",
    "last_fetch_at",
    "last_status",
    "http_status",
    "last_error",
    "consecutive_errors",
    "fetch_count",
    "not_modified_count",
    "error_count",
    "next_poll_at",
)

_ENTRY_FIELDS = (
    "source_id",
    "key",
    "url",
    "title",
    "author",
    "outlet",
    "feed_published",
    "page_published",
    "fetched_at",
    "first_seen_at",
    "status",
    "flags",
    "error",
    "attempts",
    "article_id",
)


def _chunks(items: Sequence[str], size: int = IN_CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _source_row(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "url": source.url,
        "kind": source.kind,
        "title": source.title,
        "tags": json.dumps(list(source.tags), ensure_ascii=False),
        "interval_s": source.interval_s,
        "added_at": source.added_at,
        **{name: getattr(source, name) for name in _STATE if name not in {"kind", "title"}},
    }


def _source_from_row(row: Any) -> Source:
    return Source(
        id=row.id,
        url=row.url,
        kind=row.kind,
        title=row.title,
        tags=tuple(json.loads(row.tags)),
        interval_s=row.interval_s,
        added_at=row.added_at,
        final_url=row.final_url,
        etag=row.etag,
        last_modified=row.last_modified,
        last_fetch_at=row.last_fetch_at,
        last_status=row.last_status,
        http_status=row.http_status,
        last_error=row.last_error,
        consecutive_errors=row.consecutive_errors,
        fetch_count=row.fetch_count,
        not_modified_count=row.not_modified_count,
        error_count=row.error_count,
        next_poll_at=row.next_poll_at,
    )


def _entry_row(entry: Entry) -> dict[str, Any]:
    row = {name: getattr(entry, name) for name in _ENTRY_FIELDS}
    row["flags"] = json.dumps(list(entry.flags))
    row["first_seen_at"] = entry.first_seen_at or entry.fetched_at or ""
    return row


def _entry_from_row(row: Any) -> Entry:
    values = {name: getattr(row, name) for name in _ENTRY_FIELDS}
    values["flags"] = tuple(json.loads(row.flags))
    return Entry(**values)


def _page_row(page: Page) -> dict[str, Any]:
    return {
        "url": page.url,
        "final_url": page.final_url,
        "fetched_at": page.fetched_at,
        "http_status": page.http_status,
        "error": page.error,
        "final": int(page.final),
        "attempts": page.attempts,
        "article_id": page.article_id,
        "published": page.published,
    }


def _page_from_row(row: Any) -> Page:
    return Page(
        url=row.url,
        final_url=row.final_url,
        fetched_at=row.fetched_at,
        http_status=row.http_status,
        error=row.error,
        final=bool(row.final),
        attempts=row.attempts,
        article_id=row.article_id,
        published=row.published,
    )


class SourceRepository:
    """Queries over ``sources``, ``source_entries`` and ``pages``; SQLite and Postgres alike."""

    def __init__(self, engine: Engine, where: str) -> None:
        self._engine = engine
        self._where = where
        self._backend = engine.dialect.name

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"{self._where}: {_first_line(exc)}") from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"{self._where}: {_first_line(exc)}") from exc

    def _insert(self, table: Any) -> Any:
        return (pg_dialect if self._backend == "postgresql" else sqlite_dialect).insert(table)

    # -- sources ----------------------------------------------------------------------------------------

    def add(self, sources: Iterable[Source], *, now: str) -> tuple[list[Source], list[Source]]:
        """Store new sources (one transaction); a source already followed gets the new tags merged in.

        Returns (added, already followed, as now stored).
        """
        wanted = {s.id: s for s in sources}
        added: list[Source] = []
        existing: list[Source] = []
        with self._write() as conn:
            known: dict[str, Source] = {}
            ids = list(wanted)
            for chunk in _chunks(ids):
                for row in conn.execute(select(t.sources).where(t.sources.c.id.in_(chunk))):
                    known[row.id] = _source_from_row(row)
            for sid, source in wanted.items():
                old = known.get(sid)
                if old is None:
                    fresh = Source(
                        id=sid,
                        url=source.url,
                        kind=source.kind,
                        title=source.title,
                        tags=source.tags,
                        interval_s=source.interval_s,
                        added_at=now,
                    )
                    conn.execute(t.sources.insert(), _source_row(fresh))
                    added.append(fresh)
                    continue
                tags = tuple(dict.fromkeys([*old.tags, *source.tags]))
                changes: dict[str, Any] = {}
                if tags != old.tags:
                    changes["tags"] = json.dumps(list(tags), ensure_ascii=False)
                if source.interval_s is not None and source.interval_s != old.interval_s:
                    changes["interval_s"] = source.interval_s
                if source.title and not old.title:
                    changes["title"] = source.title
                if changes:
                    conn.execute(update(t.sources).where(t.sources.c.id == sid).values(**changes))
                existing.append(
                    dataclasses.replace(
                        old,
                        tags=tags,
                        interval_s=changes.get("interval_s", old.interval_s),
                        title=changes.get("title", old.title),
                    )
                )
        return added, existing

    def get(self, ident: str) -> Source:
        """A source by id, unique id prefix (4 characters at least) or URL."""
        ident = ident.strip()
        with self._read() as conn:
            row = conn.execute(
                select(t.sources).where(or_(t.sources.c.id == ident, t.sources.c.url == ident))
            ).first()
            if row is None and len(ident) >= 4 and all(c in "0123456789abcdef" for c in ident.lower()):
                rows = conn.execute(
                    select(t.sources)
                    .where(t.sources.c.id.startswith(ident.lower(), autoescape=True))
                    .limit(2)
                ).all()
                row = rows[0] if len(rows) == 1 else None
        if row is None:
            raise NotFoundError("source", ident)
        return _source_from_row(row)

    def all(self) -> list[Source]:
        with self._read() as conn:
            rows = conn.execute(select(t.sources).order_by(t.sources.c.added_at, t.sources.c.url))
            return [_source_from_row(row) for row in rows]

    def count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(t.sources)).scalar_one())

    def remove(self, ident: str) -> Source:
        """Stop following a source; its entries go with it (its articles and stories stay)."""
        source = self.get(ident)
        with self._write() as conn:
            conn.execute(delete(t.source_entries).where(t.source_entries.c.source_id == source.id))
            conn.execute(delete(t.sources).where(t.sources.c.id == source.id))
        return source

    def due(self, now: str) -> list[Source]:
        """Sources never polled or whose next poll time has come, the longest waiting first."""
        with self._read() as conn:
            rows = conn.execute(
                select(t.sources)
                .where(or_(t.sources.c.next_poll_at.is_(None), t.sources.c.next_poll_at <= now))
                .order_by(t.sources.c.next_poll_at.is_not(None), t.sources.c.next_poll_at, t.sources.c.id)
            )
            return [_source_from_row(row) for row in rows]

    def next_poll_at(self) -> str | None:
        """The earliest next poll time of any source (None when there is none, or one never polled)."""
        with self._read() as conn:
            never = conn.execute(
                select(t.sources.c.id).where(t.sources.c.next_poll_at.is_(None)).limit(1)
            ).first()
            if never is not None:
                return None
            return conn.execute(select(func.min(t.sources.c.next_poll_at))).scalar_one()

    def counts(self) -> dict[str, EntryCounts]:
        """Entries per source and state."""
        e = t.source_entries
        out: dict[str, dict[str, int]] = {}
        with self._read() as conn:
            rows = conn.execute(
                select(e.c.source_id, e.c.status, func.count()).group_by(e.c.source_id, e.c.status)
            )
            for source_id, status, n in rows:
                out.setdefault(source_id, {})[status] = int(n)
            future = conn.execute(
                select(e.c.source_id, func.count()).where(e.c.flags.like('%"future%')).group_by(e.c.source_id)
            )
            futures = {sid: int(n) for sid, n in future}
        result = {}
        for sid in set(out) | set(futures):
            by = out.get(sid, {})
            result[sid] = EntryCounts(
                total=sum(by.values()),
                ingested=by.get("ingested", 0),
                pending=by.get("pending", 0),
                failed=by.get("failed", 0),
                old=by.get("old", 0),
                future_dated=futures.get(sid, 0),
            )
        return result

    # -- entries and pages (the PollMemory a pass reads) ------------------------------------------------

    def known_keys(self, source_id: str, keys: Sequence[str]) -> set[str]:
        e = t.source_entries
        found: set[str] = set()
        with self._read() as conn:
            for chunk in _chunks(list(dict.fromkeys(keys))):
                found.update(
                    conn.execute(
                        select(e.c.key).where(e.c.source_id == source_id, e.c.key.in_(chunk))
                    ).scalars()
                )
        return found

    def pending_entries(self, source_id: str, limit: int) -> list[Entry]:
        e = t.source_entries
        with self._read() as conn:
            rows = conn.execute(
                select(e)
                .where(e.c.source_id == source_id, e.c.status == "pending")
                .order_by(e.c.first_seen_at, e.c.key)
                .limit(limit)
            )
            return [_entry_from_row(row) for row in rows]

    def entries(self, source_id: str, *, limit: int = 100) -> list[Entry]:
        """A source's entries, most recently seen first."""
        e = t.source_entries
        with self._read() as conn:
            rows = conn.execute(
                select(e)
                .where(e.c.source_id == source_id)
                .order_by(e.c.first_seen_at.desc(), e.c.key)
                .limit(limit)
            )
            return [_entry_from_row(row) for row in rows]

    def pages(self, urls: Sequence[str]) -> dict[str, Page]:
        found: dict[str, Page] = {}
        with self._read() as conn:
            for chunk in _chunks(list(dict.fromkeys(urls))):
                for row in conn.execute(select(t.pages).where(t.pages.c.url.in_(chunk))):
                    found[row.url] = _page_from_row(row)
        return found

    def page_count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(t.pages)).scalar_one())

    def holds(self, now: str) -> dict[str, str]:
        """Hosts that asked not to be fetched before a time still to come: ``{host:port: until}``."""
        with self._read() as conn:
            rows = conn.execute(select(t.host_holds).where(t.host_holds.c.until > now))
            return {row.host: row.until for row in rows}

    # -- writing what a pass found --------------------------------------------------------------------

    def record_pass(
        self,
        sources: Sequence[Source],
        entries: Sequence[Entry],
        pages: Sequence[Page],
        holds: dict[str, str] | None = None,
        *,
        now: str | None = None,
    ) -> None:
        """Store the new state of polled sources, their entries, the pages fetched and the hosts' holds,
        in one transaction (holds over by ``now`` are dropped).

        Sources removed while the pass ran are skipped (their entries too).
        """
        with self._write() as conn:
            if now is not None:
                conn.execute(delete(t.host_holds).where(t.host_holds.c.until <= now))
            if holds:
                stmt = self._insert(t.host_holds)
                conn.execute(
                    stmt.on_conflict_do_update(index_elements=["host"], set_={"until": stmt.excluded.until}),
                    [{"host": h, "until": u} for h, u in holds.items()],
                )
            alive: set[str] = set()
            ids = [s.id for s in sources] + [e.source_id for e in entries]
            for chunk in _chunks(list(dict.fromkeys(ids))):
                alive.update(conn.execute(select(t.sources.c.id).where(t.sources.c.id.in_(chunk))).scalars())
            for source in sources:
                if source.id in alive:
                    conn.execute(
                        update(t.sources)
                        .where(t.sources.c.id == source.id)
                        .values({name: getattr(source, name) for name in _STATE})
                    )
            rows = [_entry_row(e) for e in entries if e.source_id in alive]
            if rows:
                stmt = self._insert(t.source_entries)
                keep = {"source_id", "key", "first_seen_at"}
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["source_id", "key"],
                        set_={c: stmt.excluded[c] for c in _ENTRY_FIELDS if c not in keep},
                    ),
                    rows,
                )
            if pages:
                stmt = self._insert(t.pages)
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["url"],
                        set_={c: stmt.excluded[c] for c in _page_row(pages[0]) if c != "url"},
                    ),
                    [_page_row(p) for p in pages],
                )


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    return text.splitlines()[0] if text else type(orig).__name__
