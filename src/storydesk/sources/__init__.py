"""Live sources: follow feeds, sitemaps and pages politely, and hand what is new to ingest.

The stage before ``ingest`` in the flow. ``poll_sources(sources, fetcher=…, options=…, memory=…)`` runs
one pass over the sources the caller found due and yields, per source, its new state
(:class:`SourcePolled`) and the texts to extract (:class:`SourceDocument`: a full-text feed entry, an
article page fetched for a teaser, a new version of a followed page), plus the bookkeeping of entries and
the page cache. It never raises for a bad source or page: every failure is part of what it yields.

* Kinds: RSS, Atom and JSON Feed (``_feeds``), sitemaps and sitemap indexes with Google News dates
  (``_sitemaps``), a single page; OPML subscription lists with folders as tags (``_opml``).
* Fetching goes through the one-method :class:`Fetcher` protocol; :class:`HttpFetcher` (httpx) is the
  default: conditional GET, redirects with a limit, size limit, timeouts, gzip/brotli, a User-Agent
  naming storydesk. :class:`HostDispatcher` keeps one request per host and a global limit;
  robots.txt is honoured for pages (:class:`RobotsCache`); back-off and ``Retry-After`` decide the next
  poll (``_schedule``).
* Dates: :func:`settle_dates` dates an extracted article from the feed's date, the page's own date and
  the fetch time, kept apart on its :class:`Entry`.

Nothing here touches SQL or extraction: the store keeps sources, entries and pages (``PollMemory`` is
what a pass reads of them), and the pipeline extracts the documents with ``extract.extract_article``.
The records the store keeps too (``Source``, ``Entry``, ``Page``, ``EntryCounts``) are defined in
:mod:`storydesk.model` and re-exported here.
"""

from __future__ import annotations

from ..model import Entry, EntryCounts, EntryStatus, FetchOutcome, Page, Source, SourceKind
from ._dates import settle_dates
from ._dispatch import HostDispatcher
from ._feeds import SourceProblem
from ._fetch import Fetcher, HttpFetcher, user_agent
from ._opml import OpmlList, read_opml
from ._poll import PollEvent, PollMemory, poll_sources
from ._records import (
    EntrySeen,
    FetchOptions,
    FetchRequest,
    FetchResponse,
    HostHeld,
    PageFetched,
    PollOptions,
    SourceDocument,
    SourcePolled,
    source_id,
)
from ._robots import RobotsCache
from ._schedule import from_iso, is_due, iso, parse_duration
from ._urls import canonical_url, check_url

__all__ = [
    "poll_sources",
    "settle_dates",
    "read_opml",
    "OpmlList",
    "PollMemory",
    "PollEvent",
    "PollOptions",
    "FetchOptions",
    "Fetcher",
    "HttpFetcher",
    "FetchRequest",
    "FetchResponse",
    "HostDispatcher",
    "RobotsCache",
    "Source",
    "SourceKind",
    "FetchOutcome",
    "Entry",
    "EntryCounts",
    "EntryStatus",
    "Page",
    "SourceDocument",
    "SourcePolled",
    "EntrySeen",
    "PageFetched",
    "HostHeld",
    "SourceProblem",
    "source_id",
    "canonical_url",
    "check_url",
    "user_agent",
    "parse_duration",
    "is_due",
    "iso",
    "from_iso",
]
