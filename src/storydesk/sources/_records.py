"""The records of the sources stage: what is followed, what one poll found, what a fetch returned.

Times are ISO 8601 UTC strings to the second (``2024-03-10T08:00:00+00:00``), as everywhere in storydesk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from ..model import RawDocument
from . import rules

__all__ = [
    "SourceKind",
    "FetchOutcome",
    "EntryStatus",
    "FetchErrorKind",
    "Source",
    "Entry",
    "EntryCounts",
    "Page",
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

SourceKind = Literal["auto", "feed", "sitemap", "page"]
"""``auto`` becomes ``feed`` or ``sitemap`` on the first successful fetch (an HTML answer is an error)."""

FetchOutcome = Literal["ok", "not_modified", "error", "deferred"]
"""What the last poll of a source did: read it, got 304, failed, or waited (the host asked to)."""

EntryStatus = Literal["pending", "ingested", "old", "failed"]
"""``pending``: its page is still to be fetched; ``ingested``: its text went to ingest; ``old``: older
than ``max_entry_age_days`` when first seen, skipped; ``failed``: given up (the reason is kept)."""

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
class Source:
    """A followed feed, sitemap or page, and the state of its polling.

    ``etag`` and ``last_modified`` are the validators of the last answer that parsed; ``final_url`` is
    where the last fetch ended after redirects. ``consecutive_errors`` drives the back-off; the counts are
    totals since the source was added.
    """

    id: str
    url: str
    kind: SourceKind = "auto"
    title: str | None = None
    tags: tuple[str, ...] = ()
    interval_s: int | None = None
    added_at: str | None = None
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetch_at: str | None = None
    last_status: FetchOutcome | None = None
    http_status: int | None = None
    last_error: str | None = None
    consecutive_errors: int = 0
    fetch_count: int = 0
    not_modified_count: int = 0
    error_count: int = 0
    next_poll_at: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a source (a feed entry, a sitemap URL, a version of a followed page).

    The three dates are kept apart: ``feed_published`` is what the feed or sitemap says (clamped to the
    fetch time when it lay in the future, with the flag ``future_date``), ``page_published`` what the
    page itself says (found by extraction), ``fetched_at`` when the text was fetched. The article takes
    the first of them that is known.
    """

    source_id: str
    key: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    feed_published: str | None = None
    page_published: str | None = None
    fetched_at: str | None = None
    first_seen_at: str | None = None
    status: EntryStatus = "pending"
    flags: tuple[str, ...] = ()
    error: str | None = None
    attempts: int = 0
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """The fetch cache of one article page, by canonical URL: fetched once, with its time and error.

    ``final`` pages are never fetched again (fetched, or failed for good); others failed in a way that
    may pass (a timeout, a 503) and are tried again up to ``rules.PAGE_ATTEMPTS`` times.
    """

    url: str
    fetched_at: str
    final_url: str | None = None
    http_status: int | None = None
    error: str | None = None
    final: bool = True
    attempts: int = 1
    article_id: str | None = None
    published: str | None = None
    """The page's own date (what extraction found), kept apart from the feed's."""


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
class EntryCounts:
    """How many entries of one source are in each state (``future_dated`` counts flags, not a state)."""

    total: int = 0
    ingested: int = 0
    pending: int = 0
    failed: int = 0
    old: int = 0
    future_dated: int = 0


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
