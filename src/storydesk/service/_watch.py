"""Watching live sources: :class:`Watcher` polls the due sources of a store and ingests what is new.

A pass: the due sources are polled (:func:`storydesk.sources.poll_sources`), their documents extracted
(:func:`storydesk.pipeline.extract_sources`), dated (:func:`storydesk.sources.settle_dates`) and ingested
through :meth:`Desk.ingest_items`, the same path as ``storydesk ingest`` (so near-duplicates, stories and
briefings are the same); then the pass's bookkeeping (sources' state, entries, page cache) is written in
one transaction. A pass stopped half-way (``stop`` set) records nothing: the next pass does it again.
:meth:`Watcher.run` repeats passes until stopped (``storydesk watch``; ``serve --watch`` runs it on a
thread, see :mod:`._background`).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import StorydeskError
from ..model import Article, Entry, Failure, Page, Source
from ..sources import (
    EntrySeen,
    Fetcher,
    HostHeld,
    HttpFetcher,
    PageFetched,
    RobotsCache,
    SourceDocument,
    SourcePolled,
    from_iso,
    iso,
    poll_sources,
    settle_dates,
)
from . import rules
from ._sources import fetch_options, poll_options

if TYPE_CHECKING:
    from ..stream import IngestReport
    from ._desk import Desk

__all__ = ["WatchReport", "Watcher"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


def _noop(_: str, __: int) -> None:
    return None


def _now() -> datetime:
    return datetime.now(UTC)


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
    ingest: IngestReport | None = None
    interrupted: bool = False
    """The pass was stopped before its end (``stop`` set): nothing of it was recorded."""

    @property
    def failures(self) -> list[Failure]:
        return self.source_errors + (list(self.ingest.failures) if self.ingest is not None else [])

    def line(self) -> str:
        text = (
            f"polled {self.sources} sources: {self.fetched} read, {self.not_modified} not modified, "
            f"{self.errors} failed, {self.deferred} waiting; {self.new_entries} new entries "
            f"({self.skipped_old} too old, {self.future_dated} future-dated); {self.pages_fetched} pages fetched, "
            f"{self.pages_cached} from the cache, {self.page_errors} failed; {self.requests} requests"
        )
        if self.interrupted:
            text += " (stopped before the end: nothing of it recorded, the next pass does it again)"
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
        desk: Desk,
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

    def poll_once(self, *, progress: Progress = _noop, stop: threading.Event | None = None) -> WatchReport:
        """One pass over the due sources: poll, extract, ingest, then record the pass.

        When ``stop`` is set during the pass, no more fetches are started, the fetches in flight are
        waited for (each is bounded by the fetch timeout), no more articles are handed to the ingest (those
        handed on are stored and their stories updated), and nothing of the pass is recorded
        (``report.interrupted``): the next pass does it again (ingesting an article twice changes nothing).
        """
        from ..pipeline import extract_sources

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
            try:
                for event in self.desk.components.timer.iterate("poll (waiting for fetches)", events):
                    if stop is not None and stop.is_set():
                        report.interrupted = True
                        return
                    if isinstance(event, SourceDocument | Failure):
                        yield event
                    else:
                        ledger.note(event)
                        if isinstance(event, SourcePolled):
                            progress("source", 1)
            finally:
                close = getattr(events, "close", None)
                if close is not None:
                    close()  # queued fetches are dropped, those in flight waited for

        def articles() -> Iterator[Any]:
            for document, result in extract_sources(
                documents(), self.desk.settings, timer=self.desk.components.timer
            ):
                if stop is not None and stop.is_set():
                    report.interrupted = True  # what was handed on is stored; its stories placed next time
                    return
                if isinstance(document, Failure):
                    yield document
                    continue
                out = ledger.extracted(document, result)
                if out is not None:
                    yield out

        report.ingest = self.desk.ingest_items(articles(), progress=progress)
        if not report.interrupted:
            ledger.commit()
        report.seconds = time.monotonic() - started
        return report

    def seconds_to_next(self) -> float:
        """Seconds until the next source is due, within [WATCH_MIN_SLEEP_S, WATCH_MAX_SLEEP_S]."""
        upcoming = from_iso(self.desk.store.sources.next_poll_at())
        if upcoming is None:
            wait = rules.WATCH_MIN_SLEEP_S if self.desk.store.sources.count() else rules.WATCH_MAX_SLEEP_S
        else:
            wait = (upcoming - self.clock()).total_seconds()
        return max(rules.WATCH_MIN_SLEEP_S, min(rules.WATCH_MAX_SLEEP_S, wait))

    def _wait_after(self, failed_in_a_row: int) -> float:
        """The sleep before the next pass; after failed passes at least 1, 2, 4 … s (at most the maximum)."""
        try:
            wait = self.seconds_to_next()
        except Exception as exc:  # the store is unreachable: try again later, never end the loop
            log.error("watch: cannot read the next poll time: %s", exc)
            return rules.WATCH_MAX_SLEEP_S
        if failed_in_a_row:
            backoff = rules.WATCH_RETRY_S * 2 ** min(failed_in_a_row - 1, 16)
            wait = max(wait, min(rules.WATCH_MAX_SLEEP_S, backoff))
        return wait

    def run(
        self,
        *,
        once: bool = False,
        stop: threading.Event | None = None,
        on_pass: Callable[[WatchReport], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        progress: Progress = _noop,
    ) -> WatchReport | None:
        """Pass after pass until ``stop`` is set (or one pass with ``once``; its report is returned).

        A failing pass never ends the loop: it is logged (and handed to ``on_error``), and the next pass
        comes after a back-off; with ``once`` it raises. ``stop`` also cuts a pass short (see
        :meth:`poll_once`).
        """
        stop = stop or threading.Event()
        failed = 0
        while not stop.is_set():
            report = None
            try:
                report = self.poll_once(progress=progress, stop=stop)
            except Exception as exc:
                if once:
                    raise
                failed += 1
                if isinstance(exc, StorydeskError):
                    log.error("watch pass failed: %s", exc)
                else:
                    log.exception("watch pass failed unexpectedly")
                if on_error is not None:
                    on_error(exc)
            else:
                failed = 0
                if on_pass is not None:
                    on_pass(report)
            if once:
                return report
            stop.wait(self._wait_after(failed))
        return None
