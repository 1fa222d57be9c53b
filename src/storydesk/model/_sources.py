"""Live sources (#18): what the sources stage and the store share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# -- live sources (#18): what the sources stage and the store share ------------------------------------

SourceKind = Literal["auto", "feed", "sitemap", "page"]
"""``auto`` becomes ``feed`` or ``sitemap`` on the first successful fetch (an HTML answer is an error)."""

FetchOutcome = Literal["ok", "not_modified", "error", "deferred"]
"""What the last poll of a source did: read it, got 304, failed, or waited (the host asked to)."""

EntryStatus = Literal["pending", "ingested", "old", "failed"]
"""``pending``: its page is still to be fetched; ``ingested``: its text went to ingest; ``old``: older
than ``max_entry_age_days`` when first seen, skipped; ``failed``: given up (the reason is kept)."""


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
    may pass (a timeout, a 503) and are tried again up to ``storydesk.sources.rules.PAGE_ATTEMPTS`` times.
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
class EntryCounts:
    """How many entries of one source are in each state (``future_dated`` counts flags, not a state)."""

    total: int = 0
    ingested: int = 0
    pending: int = 0
    failed: int = 0
    old: int = 0
    future_dated: int = 0
