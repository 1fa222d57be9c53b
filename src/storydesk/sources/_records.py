"""The records of the sources stage: what one poll found, what a fetch returned.

What the store keeps too (:class:`~storydesk.model.Source`, ``Entry``, ``Page``, ``EntryCounts``) lives in
:mod:`storydesk.model`, since the store imports no stage. Times are ISO 8601 UTC strings to the second
(``2024-03-10T08:00:00+00:00``), as everywhere in storydesk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from ..model import Entry, Page, RawDocument, Source
from . import rules

__all__ = [
    "FetchErrorKind",
    "SourceDocument",
    "SourcePolled",
    "EntrySeen",
    "PageFetched",
    "HostHeld",
    "PollOptions",
    "FetchOptions",
    "FetchRequest",
    "FetchResponse",
    "source_id",
]

FetchErrorKind = Literal[
    "dns",
    "refused",
    "timeout",
    "tls",
    "network",
    "http",
    "too_large",
    "redirect_loop",
    "too_many_redirects",
    "invalid_url",
    "robots",
]


def source_id(canonical_url: str) -> str:
    """A source's id: a hash of its canonical URL (case of the path kept, unlike article ids)."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """Text to extract: a page or a feed entry's full content, with the entry it came from.

    ``raw.published`` is None on purpose, so that extraction finds the page's own date; the entry's
    dates decide the article's (see :func:`storydesk.sources.settle_dates`).
    """

    raw: RawDocument
    entry: Entry
    page_url: str | None = None


@dataclass(frozen=True, slots=True)
class SourcePolled:
    """A source after one poll: its new state and what the poll found."""

    source: Source
    requests: int = 0
    new_entries: int = 0
    skipped_old: int = 0
    future_dated: int = 0


@dataclass(frozen=True, slots=True)
class EntrySeen:
    """An entry to store as it is now (new, or with a new status); ``cached`` when its page was taken
    from the page cache instead of being fetched."""

    entry: Entry
    cached: bool = False


@dataclass(frozen=True, slots=True)
class PageFetched:
    """A page fetch to store in the cache (with its error when it failed)."""

    page: Page
    requests: int = 1


@dataclass(frozen=True, slots=True)
class HostHeld:
    """A host (``host:port``) asked, with Retry-After, not to be fetched before ``until``."""

    host: str
    until: str


@dataclass(frozen=True, slots=True)
class PollOptions:
    """How a pass polls: default interval, age limit for new entries, limits per pass."""

    interval_s: int = 3600
    max_entry_age_days: int = 30
    max_pages_per_poll: int = rules.MAX_PAGES_PER_POLL
    concurrency: int = 8


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How the HTTP fetcher behaves; built once from settings at the edge."""

    user_agent: str
    timeout_s: float = 20.0
    max_bytes: int = 10 * 2**20
    max_redirects: int = rules.MAX_REDIRECTS
    concurrency: int = 8


@dataclass(frozen=True, slots=True)
class FetchRequest:
    url: str
    accept: str = "*/*"
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """What one fetch returned; a fetcher never raises for a network or HTTP problem.

    ``error`` is a reason a user can act on (None when a 2xx or 304 answer came), ``error_kind`` its
    class; ``requests`` counts the HTTP requests made (each redirect is one).
    """

    url: str
    final_url: str
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None
    error: str | None = None
    error_kind: FetchErrorKind | None = None
    requests: int = 1

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304
