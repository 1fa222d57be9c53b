"""The live-sources part of the service: follow sources, poll them, and ingest what is new.

Exposed through :mod:`storydesk.service`; the CLI (and ``serve --watch``) call these, nothing else.
:func:`add_sources`, :func:`import_opml`, :func:`list_sources` and :func:`remove_source` manage what is
followed; :class:`Watcher` runs passes: the due sources are polled (:func:`storydesk.sources.poll_sources`),
their documents extracted (:func:`storydesk.pipeline.extract_sources`), dated
(:func:`storydesk.sources.settle_dates`) and ingested through :meth:`Desk.ingest_items`, the same path as
``storydesk ingest`` (so near-duplicates, stories and briefings are the same); then the pass's bookkeeping
(sources' state, entries, page cache) is written in one transaction.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .config import Settings
from .errors import ConfigError, IngestError, StorydeskError
from .model import Article, Failure
from .sources import (
    Entry,
    EntryCounts,
    EntrySeen,
    Fetcher,
    FetchOptions,
    HostHeld,
    HttpFetcher,
    Page,
    PageFetched,
    PollOptions,
    RobotsCache,
    Source,
    SourceDocument,
    SourceKind,
    SourcePolled,
    SourceProblem,
    canonical_url,
    check_url,
    from_iso,
    iso,
    parse_duration,
    poll_sources,
    read_opml,
    settle_dates,
    source_id,
    user_agent,
)

__all__ = [
    "AddReport",
    "SourceListing",
    "WatchReport",
    "Watcher",
    "add_sources",
    "import_opml",
    "list_sources",
    "remove_source",
    "poll_options",
    "fetch_options",
]

log = logging.getLogger(__name__)

#: The watch loop checks for due sources (and sources added meanwhile) at least this often (seconds).
WATCH_MAX_SLEEP_S = 60.0
#: ... and never more often than this.
WATCH_MIN_SLEEP_S = 1.0

Progress = Callable[[str, int], None]


def _noop(_: str, __: int) -> None:
    return None


def _now() -> datetime:
    return datetime.now(UTC)


# -- options, built once from settings ----------------------------------------------------------------


def _interval(text: str, what: str) -> int:
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise ConfigError(f"{what}: {exc}") from exc
    return seconds


def poll_options(settings: Settings, interval: str | None = None) -> PollOptions:
    """The pass options of ``settings`` (``interval`` overrides ``poll_interval``)."""
    if settings.max_entry_age_days < 1:
        raise ConfigError("setting 'max_entry_age_days' must be at least 1")
    if settings.fetch_concurrency < 1:
        raise ConfigError("setting 'fetch_concurrency' must be at least 1")
    seconds = (
        _interval(interval, "--interval")
        if interval
        else _interval(settings.poll_interval, "setting 'poll_interval'")
    )
    return PollOptions(
        interval_s=seconds,
        max_entry_age_days=settings.max_entry_age_days,
        concurrency=settings.fetch_concurrency,
    )


def fetch_options(settings: Settings) -> FetchOptions:
    if settings.fetch_timeout <= 0:
        raise ConfigError("setting 'fetch_timeout' must be a positive number of seconds")
    if settings.fetch_max_mb < 1:
        raise ConfigError("setting 'fetch_max_mb' must be at least 1")
    return FetchOptions(
        user_agent=user_agent(__version__, settings.contact_url),
        timeout_s=settings.fetch_timeout,
        max_bytes=settings.fetch_max_mb * 2**20,
        concurrency=settings.fetch_concurrency,
    )


# -- following sources ----------------------------------------------------------------------------------


@dataclass
class AddReport:
    added: list[Source] = field(default_factory=list)
    existing: list[Source] = field(default_factory=list)
    problems: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{len(self.added)} sources added, {len(self.existing)} already followed, "
            f"{len(self.problems)} refused"
        )


@dataclass(frozen=True)
class SourceListing:
    """One followed source as ``sources list`` and the web page show it."""

    source: Source
    counts: EntryCounts


def add_sources(
    desk: Any,
    urls: Sequence[str],
    *,
    kind: SourceKind = "auto",
    tags: Sequence[str] = (),
    interval: str | None = None,
) -> AddReport:
    """Follow ``urls`` (feeds, sitemaps, or pages with ``kind="page"``); nothing is fetched yet."""
    interval_s = _interval(interval, "--interval") if interval else None
    report = AddReport()
    wanted: list[Source] = []
    for url in urls:
        problem = check_url(url)
        if problem:
            report.problems.append(Failure(url, problem))
            continue
        canon = canonical_url(url)
        wanted.append(
            Source(id=source_id(canon), url=canon, kind=kind, tags=tuple(tags), interval_s=interval_s)
        )
    report.added, report.existing = desk.store.sources.add(wanted, now=iso(_now()))
    return report


def import_opml(desk: Any, path: str | Path, *, max_bytes: int | None = None) -> AddReport:
    """Follow every feed of an OPML file, its folders as tags; :class:`IngestError` if it is no OPML."""
    path = Path(path)
    limit = max_bytes or desk.settings.max_file_mb * 2**20
    try:
        if path.stat().st_size > limit:
            raise IngestError(
                str(path), f"file is over the limit of {limit / 2**20:.1f} MB (setting max_file_mb)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    try:
        listed = read_opml(data)
    except SourceProblem as exc:
        raise IngestError(str(path), exc.reason) from exc
    report = AddReport(problems=[Failure(f"{path}: {p.split(':', 1)[0]}", p) for p in listed.problems])
    report.added, report.existing = desk.store.sources.add(listed.sources, now=iso(_now()))
    return report


def list_sources(desk: Any) -> list[SourceListing]:
    repo = desk.store.sources
    counts = repo.counts()
    return [SourceListing(s, counts.get(s.id, EntryCounts())) for s in repo.all()]


def remove_source(desk: Any, ident: str) -> Source:
    """Stop following a source (by id, id prefix or URL); its stored articles and stories stay."""
    removed: Source = desk.store.sources.remove(ident)
    return removed


# -- watching ---------------------------------------------------------------------------------------------


@dataclass
class WatchReport:
    """What one pass did."""

    sources: int = 0
    fetched: int = 0
    not_modified: int = 0
    errors: int = 0
    deferred: int = 0
    new_entries: int = 0
    skipped_old: int = 0
    future_dated: int = 0
    pages_fetched: int = 0
    page_errors: int = 0
    pages_cached: int = 0
    requests: int = 0
    seconds: float = 0.0
    source_errors: list[Failure] = field(default_factory=list)
    ingest: Any = None  # the service's IngestReport

    @property
    def failures(self) -> list[Failure]:
        return self.source_errors + list(getattr(self.ingest, "failures", []))

    def line(self) -> str:
        text = (
            f"polled {self.sources} sources: {self.fetched} read, {self.not_modified} not modified, "
            f"{self.errors} failed, {self.deferred} waiting; {self.new_entries} new entries "
            f"({self.skipped_old} too old, {self.future_dated} future-dated); {self.pages_fetched} pages fetched, "
            f"{self.pages_cached} from the cache, {self.page_errors} failed; {self.requests} requests"
        )
        if self.ingest is not None:
            text += f"\n{self.ingest.line()}"
        return text


class _Ledger:
    """What a pass found, held until its articles are stored, then written in one transaction; it also
    answers the pass's questions about pages fetched earlier in the same pass."""

    def __init__(
        self, repo: Any, report: WatchReport, max_age_days: int, now: Callable[[], datetime]
    ) -> None:
        self.repo = repo
        self.report = report
        self.max_age_days = max_age_days
        self.now = now
        self.sources: dict[str, Source] = {}
        self.entries: dict[tuple[str, str], Entry] = {}
        self.pages: dict[str, Page] = {}
        self.holds: dict[str, str] = {}

    # PollMemory: what is stored, overlaid with what this pass found
    def known_keys(self, source_id: str, keys: Sequence[str]) -> set[str]:
        known: set[str] = self.repo.known_keys(source_id, keys)
        return known | {k for k in keys if (source_id, k) in self.entries}

    def pending_entries(self, source_id: str, limit: int) -> list[Entry]:
        return [
            e for e in self.repo.pending_entries(source_id, limit) if (source_id, e.key) not in self.entries
        ]

    def pages_of(self, urls: Sequence[str]) -> dict[str, Page]:
        found: dict[str, Page] = self.repo.pages([u for u in urls if u not in self.pages])
        found.update({u: self.pages[u] for u in urls if u in self.pages})
        return found

    def note(self, event: object) -> None:
        report = self.report
        if isinstance(event, SourcePolled):
            source = event.source
            self.sources[source.id] = source
            report.sources += 1
            report.requests += event.requests
            report.new_entries += event.new_entries
            report.skipped_old += event.skipped_old
            report.future_dated += event.future_dated
            status = source.last_status
            if status == "ok":
                report.fetched += 1
            elif status == "not_modified":
                report.not_modified += 1
            elif status == "deferred":
                report.deferred += 1
            else:
                report.errors += 1
                report.source_errors.append(Failure(source.url, source.last_error or "failed"))
        elif isinstance(event, EntrySeen):
            self.entries[(event.entry.source_id, event.entry.key)] = event.entry
            report.pages_cached += int(event.cached)
        elif isinstance(event, HostHeld):
            self.holds[event.host] = max(event.until, self.holds.get(event.host, ""))
        elif isinstance(event, PageFetched):
            self.pages[event.page.url] = event.page
            report.requests += event.requests
            if event.page.error is None:
                report.pages_fetched += 1
            else:
                report.page_errors += 1

    def extracted(self, document: SourceDocument, result: Any) -> Any:
        """The article to ingest (dated), or None when it is too old; the entry and page bookkept."""
        entry = document.entry
        key = (entry.source_id, entry.key)
        if isinstance(result, Failure):
            self.entries[key] = dataclasses.replace(entry, status="failed", error=result.reason)
            self._page_error(document.page_url, result.reason)
            return result
        article: Article = getattr(result, "article", result)
        dated, entry = settle_dates(article, document, max_entry_age_days=self.max_age_days, now=self.now())
        self.entries[key] = entry
        if dated is None:
            self.report.skipped_old += 1
            self.report.new_entries -= 1
            self._page_error(
                document.page_url,
                f"the page is dated {article.published}, older than {self.max_age_days} days",
            )
            return None
        if document.page_url and document.page_url in self.pages:
            self.pages[document.page_url] = dataclasses.replace(
                self.pages[document.page_url], article_id=dated.id, published=entry.page_published
            )
        if article is result:
            return dated
        return dataclasses.replace(result, article=dated)

    def _page_error(self, url: str | None, reason: str) -> None:
        if url and url in self.pages:
            self.pages[url] = dataclasses.replace(self.pages[url], error=reason)

    def commit(self) -> None:
        """Entries that share a page fetched in this pass take its article (or its error); then one write."""
        entries = []
        for entry in self.entries.values():
            page = self.pages.get(entry.url) if entry.url else None
            if page is not None and entry.status == "ingested" and entry.article_id is None:
                if page.error is not None:
                    entry = dataclasses.replace(entry, status="failed", error=page.error)
                else:
                    entry = dataclasses.replace(
                        entry, article_id=page.article_id, page_published=page.published
                    )
            entries.append(entry)
        self.repo.record_pass(
            list(self.sources.values()), entries, list(self.pages.values()), self.holds, now=iso(self.now())
        )


class _Memory:
    """The :class:`~storydesk.sources.PollMemory` of a pass (the ledger over the store)."""

    def __init__(self, ledger: _Ledger) -> None:
        self._ledger = ledger

    def known_keys(self, source_id: str, keys: Sequence[str]) -> set[str]:
        return self._ledger.known_keys(source_id, keys)

    def pending_entries(self, source_id: str, limit: int) -> list[Entry]:
        return self._ledger.pending_entries(source_id, limit)

    def pages(self, urls: Sequence[str]) -> dict[str, Page]:
        return self._ledger.pages_of(urls)


class Watcher:
    """Polls the due sources of a desk's store and ingests what is new; one per watching process.

    ``fetcher`` defaults to an :class:`~storydesk.sources.HttpFetcher` with the settings' options;
    ``clock`` gives the current time (tests move it). The robots.txt cache lives as long as the watcher.
    """

    def __init__(
        self,
        desk: Any,
        *,
        fetcher: Fetcher | None = None,
        interval: str | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.desk = desk
        self.options = poll_options(desk.settings, interval)
        self._fetch_options = fetch_options(desk.settings)
        self._own_fetcher = fetcher is None
        self.fetcher: Fetcher = fetcher or HttpFetcher(self._fetch_options)
        self.robots = RobotsCache()
        self.clock = clock

    def close(self) -> None:
        if self._own_fetcher and isinstance(self.fetcher, HttpFetcher):
            self.fetcher.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def due(self) -> list[Source]:
        due: list[Source] = self.desk.store.sources.due(iso(self.clock()))
        return due

    def poll_once(self, *, progress: Progress = _noop) -> WatchReport:
        """One pass over the due sources: poll, extract, ingest, then record the pass."""
        from .pipeline import extract_sources

        started = time.monotonic()
        report = WatchReport()
        repo = self.desk.store.sources
        ledger = _Ledger(repo, report, self.options.max_entry_age_days, self.clock)
        due = self.due()
        holds = {
            host: when for host, until in repo.holds(iso(self.clock())).items() if (when := from_iso(until))
        }
        events = poll_sources(
            due,
            fetcher=self.fetcher,
            options=self.options,
            memory=_Memory(ledger),
            robots=self.robots,
            now=self.clock,
            max_bytes=self._fetch_options.max_bytes,
            holds=holds,
        )

        def documents() -> Iterator[SourceDocument | Failure]:
            for event in self.desk.components.timer.iterate("poll (waiting for fetches)", events):
                if isinstance(event, SourceDocument | Failure):
                    yield event
                else:
                    ledger.note(event)
                    if isinstance(event, SourcePolled):
                        progress("source", 1)

        def articles() -> Iterator[Any]:
            for document, result in extract_sources(
                documents(), self.desk.settings, timer=self.desk.components.timer
            ):
                if isinstance(document, Failure):
                    yield document
                    continue
                out = ledger.extracted(document, result)
                if out is not None:
                    yield out

        report.ingest = self.desk.ingest_items(articles(), progress=progress)
        ledger.commit()
        report.seconds = time.monotonic() - started
        return report

    def seconds_to_next(self) -> float:
        """Seconds until the next source is due, within [WATCH_MIN_SLEEP_S, WATCH_MAX_SLEEP_S]."""
        upcoming = from_iso(self.desk.store.sources.next_poll_at())
        if upcoming is None:
            wait = WATCH_MIN_SLEEP_S if self.desk.store.sources.count() else WATCH_MAX_SLEEP_S
        else:
            wait = (upcoming - self.clock()).total_seconds()
        return max(WATCH_MIN_SLEEP_S, min(WATCH_MAX_SLEEP_S, wait))

    def run(
        self,
        *,
        once: bool = False,
        stop: threading.Event | None = None,
        on_pass: Callable[[WatchReport], None] | None = None,
        progress: Progress = _noop,
    ) -> WatchReport | None:
        """Pass after pass until ``stop`` is set (or one pass with ``once``; its report is returned).

        A failing pass never ends the loop: it is logged, and the next pass comes as usual.
        """
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                report = self.poll_once(progress=progress)
            except StorydeskError as exc:
                if once:
                    raise
                log.error("watch pass failed: %s", exc)
                report = None
            except Exception:
                if once:
                    raise
                log.exception("watch pass failed unexpectedly")
                report = None
            if report is not None and on_pass is not None:
                on_pass(report)
            if once:
                return report
            stop.wait(self.seconds_to_next())
        return None
