"""RSS and Atom feeds via feedparser.

An entry becomes an article only when it carries the full text (``content:encoded`` in RSS, ``content``
in Atom, or a description that is itself long): at least ``MIN_FEED_CONTENT_WORDS`` words. Entries with
a teaser only yield a ``Failure`` that says so. The entry's ``link`` is the url, its date the published
time (UTC, ISO), the feed's title the outlet.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from ..model import Failure, RawDocument
from ._common import InputProblem, ReadLimits, display_name, read_bytes
from .rules import MIN_FEED_CONTENT_WORDS

__all__ = ["read_feed"]

_TAG = re.compile(r"<[^>]+>")


def _words(markup: str) -> int:
    return len(_TAG.sub(" ", markup).split())


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def _best_content(entry: Any) -> tuple[str, str]:
    """The longest body an entry offers and its MIME type."""
    candidates: list[tuple[str, str]] = []
    for item in entry.get("content") or []:
        candidates.append((item.get("value") or "", item.get("type") or "text/html"))
    detail = entry.get("summary_detail") or {}
    if entry.get("summary"):
        candidates.append((entry.get("summary") or "", detail.get("type") or "text/html"))
    if not candidates:
        return "", "text/html"
    return max(candidates, key=lambda c: _words(c[0]))


def read_feed(path: Path, *, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    origin = display_name(path)
    try:
        data = read_bytes(path, limits.file_bytes)
    except InputProblem as exc:
        yield Failure(origin, exc.reason)
        return
    yield from parse_feed(data, origin=origin, path=origin, max_entries=limits.records)


def parse_feed(
    data: bytes, *, origin: str, path: str | None, max_entries: int | None = None
) -> Iterator[RawDocument | Failure]:
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    version = parsed.get("version") or ""
    if not entries:
        if not version:
            reason = parsed.get("bozo_exception") or "no RSS or Atom elements"
            yield Failure(origin, f"not a readable RSS/Atom feed: {reason}")
        else:
            yield Failure(origin, "feed has no entries")
        return
    outlet = (parsed.get("feed") or {}).get("title") or None
    for i, entry in enumerate(entries, start=1):
        where = f"{origin}#entry-{i}"
        if max_entries is not None and i > max_entries:
            yield Failure(
                origin, f"more than {max_entries:,} entries: the rest were not read (setting max_records)"
            )
            return
        body, ctype = _best_content(entry)
        words = _words(body)
        if words < MIN_FEED_CONTENT_WORDS:
            yield Failure(
                where,
                f"feed entry has no full text ({words} words, fewer than {MIN_FEED_CONTENT_WORDS}); "
                "ingest the linked page instead",
            )
            continue
        kind: Literal["html", "text"] = "text" if ctype.startswith("text/plain") else "html"
        if kind == "html":
            body = f"<html><body><article>{body}</article></body></html>"
        yield RawDocument(
            origin=where,
            kind=kind,
            content=body,
            path=path,
            url=entry.get("link") or None,
            title=(entry.get("title") or "").strip() or None,
            published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            outlet=outlet,
            author=entry.get("author") or None,
        )
