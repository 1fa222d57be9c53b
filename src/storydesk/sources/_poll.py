"""One pass over the due sources: fetch each, find its new entries, fetch the pages teasers point to.

:func:`poll_sources` is a generator run by the caller's thread; the fetching happens on worker threads
behind a :class:`HostDispatcher` (one request per host at a time, ``concurrency`` in all). It yields:

* :class:`SourcePolled` once per source, with its new state (validators only after a successful parse,
  the next poll time, counts and the last error);
* :class:`SourceDocument` for every text to extract: a full-text feed entry, a fetched article page, a new
  version of a followed page;
* :class:`EntrySeen` for entries stored without text (too old, failed, still pending, or pointing to a
  page already fetched), and :class:`PageFetched` for the page cache;
* :class:`~storydesk.model.Failure` for a page given up for good.

The cascade for each new entry of a feed or sitemap:

1. already known to this source (by canonical link, else guid): skipped;
2. dated before ``max_entry_age_days`` ago: stored as ``old`` and counted; dated in the future: clamped
   to the fetch time and flagged ``future_date``;
3. its own content has ``FULL_TEXT_MIN_WORDS`` words: that content is the text (no page fetch);
4. else its page: taken from the page cache when fetched before (by any source), else fetched (robots.txt
   allowing), at most ``max_pages_per_poll`` per source per pass; the rest stay ``pending``.

Nothing here raises for a bad source: every failure is part of what the pass yields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Protocol

from ..model import Entry, Failure, Page, RawDocument, Source
from . import rules
from ._dispatch import HostDispatcher
from ._fetch import Fetcher
from ._read import HostHolds, Item, PageRead, Reader, SourceRead
from ._records import (
    EntrySeen,
    HostHeld,
    PageFetched,
    PollOptions,
    SourceDocument,
    SourcePolled,
)
from ._robots import RobotsCache
from ._schedule import iso, next_poll, parse_retry_after
from ._urls import canonical_url, host_key

__all__ = ["PollMemory", "PollEvent", "poll_sources"]

PollEvent = SourcePolled | SourceDocument | EntrySeen | PageFetched | HostHeld | Failure


class PollMemory(Protocol):
    """What a pass needs to know of earlier passes (the store implements it)."""

    def known_keys(self, source_id: str, keys: Sequence[str]) -> set[str]:
        """Those of ``keys`` already stored for this source."""
        ...

    def pending_entries(self, source_id: str, limit: int) -> list[Entry]:
        """Entries of this source whose page is still to be fetched, oldest first."""
        ...

    def pages(self, urls: Sequence[str]) -> dict[str, Page]:
        """The cached fetches of these canonical page URLs."""
        ...


def poll_sources(
    sources: Iterable[Source],
    *,
    fetcher: Fetcher,
    options: PollOptions,
    memory: PollMemory,
    robots: RobotsCache | None = None,
    now: Callable[[], datetime] | None = None,
    max_bytes: int = 10 * 2**20,
    holds: dict[str, datetime] | None = None,
) -> Iterator[PollEvent]:
    """Poll ``sources`` (the caller picks the due ones) and yield what each poll found; see the module.

    ``holds`` are hosts (``host:port``) that asked earlier not to be fetched before a time; a host that
    asks during the pass (429 or 503 with Retry-After) is added, and yielded as :class:`HostHeld`.
    """
    clock = now or (lambda: datetime.now(UTC))
    reader = Reader(
        fetcher,
        robots or RobotsCache(),
        HostHolds(clock, holds),
        clock,
        max_bytes=max_bytes,
        max_entry_age_days=options.max_entry_age_days,
    )
    yield from _Pass(reader, options, memory, clock).run(sources)


class _Pass:
    """The caller's side of a pass: queue the jobs, turn each result into events, queue the pages."""

    def __init__(
        self, reader: Reader, options: PollOptions, memory: PollMemory, now: Callable[[], datetime]
    ) -> None:
        self.reader = reader
        self.options = options
        self.memory = memory
        self.now = now
        self._scheduled: dict[str, list[Entry]] = {}
        self._sources: dict[str, Source] = {}

    def run(self, sources: Iterable[Source]) -> Iterator[PollEvent]:
        with HostDispatcher[object](self.options.concurrency) as dispatcher:
            self._dispatcher = dispatcher
            for source in sources:
                self._sources[source.id] = source
                dispatcher.submit(
                    host_key(source.url), ("source", source.id), partial(self.reader.read_source, source)
                )
            for (what, ident), result in dispatcher.results():
                for host, until in self.reader.holds.take_fresh():
                    yield HostHeld(host, iso(until))
                if what == "source":
                    assert isinstance(result, SourceRead)
                    yield from self._on_source(self._sources[ident], result)
                else:
                    assert isinstance(result, PageRead)
                    yield from self._on_page(ident, result)

    # -- the caller's thread ---------------------------------------------------------------------------

    def _on_source(self, source: Source, result: SourceRead) -> Iterator[PollEvent]:
        now = self.now()
        interval = source.interval_s if source.interval_s is not None else self.options.interval_s
        if result.deferred_until is not None:
            yield SourcePolled(
                dataclasses.replace(
                    source,
                    last_status="deferred",
                    next_poll_at=iso(result.deferred_until),
                    last_error=f"not polled: the host asked to wait until {iso(result.deferred_until)}",
                )
            )
            return
        resp = result.response
        problem = result.problem or (resp.error if resp is not None else "no answer")
        fetched = dataclasses.replace(
            source,
            last_fetch_at=iso(now),
            fetch_count=source.fetch_count + 1,
            http_status=resp.status if resp is not None else None,
            final_url=resp.final_url if resp is not None else source.final_url,
        )
        if problem:
            errors = source.consecutive_errors + 1
            retry = (
                parse_retry_after(resp.retry_after, now)
                if resp is not None and resp.status in rules.RETRY_AFTER_STATUSES
                else None
            )
            yield SourcePolled(
                dataclasses.replace(
                    fetched,
                    last_status="error",
                    last_error=problem,
                    consecutive_errors=errors,
                    error_count=source.error_count + 1,
                    next_poll_at=iso(
                        next_poll(now, interval_s=interval, consecutive_errors=errors, retry_after_s=retry)
                    ),
                ),
                requests=result.requests,
            )
            return
        assert resp is not None
        good = dataclasses.replace(
            fetched,
            last_error=None,
            consecutive_errors=0,
            next_poll_at=iso(next_poll(now, interval_s=interval, consecutive_errors=0)),
        )
        if resp.not_modified:
            good = dataclasses.replace(
                good, last_status="not_modified", not_modified_count=source.not_modified_count + 1
            )
        else:
            # validators only now: the answer they describe has been read without a problem
            good = dataclasses.replace(
                good,
                last_status="ok",
                kind=result.kind,
                title=source.title or result.title,
                etag=resp.etag,
                last_modified=resp.last_modified,
            )
        new, old, future, teasers = yield from self._on_items(good, result.items, now)
        yield from self._schedule_pages(good, teasers)
        yield SourcePolled(
            good, requests=result.requests, new_entries=new, skipped_old=old, future_dated=future
        )

    def _on_items(
        self, source: Source, items: list[Item], now: datetime
    ) -> Generator[PollEvent, None, tuple[int, int, int, list[Entry]]]:
        """Store the new items: too old, full text, or a page to fetch.

        Returns the counts (new, too old, future-dated) and the teasers whose pages are wanted."""
        unique = list({item.key: item for item in reversed(items)}.values())[::-1]  # first of each key
        if not unique:
            return (0, 0, 0, [])
        known = self.memory.known_keys(source.id, [i.key for i in unique])
        cutoff = now - timedelta(days=self.options.max_entry_age_days)
        new = old = future = 0
        teasers: list[Entry] = []
        for item in unique:
            if item.key in known:
                continue
            flags: tuple[str, ...] = ()
            published = item.published
            if published is not None and published > now + timedelta(seconds=rules.FUTURE_TOLERANCE_S):
                published, flags = now, ("future_date",)
                future += 1
            entry = Entry(
                source_id=source.id,
                key=item.key,
                url=item.url,
                title=item.title,
                author=item.author,
                outlet=item.outlet,
                feed_published=iso(published) if published else None,
                first_seen_at=iso(now),
                flags=flags,
            )
            if published is not None and published < cutoff:
                old += 1
                yield EntrySeen(dataclasses.replace(entry, status="old"))
                continue
            new += 1
            if source.kind == "page" or item.words >= rules.FULL_TEXT_MIN_WORDS:
                yield self._document(
                    source, item, dataclasses.replace(entry, status="ingested", fetched_at=iso(now))
                )
            elif not item.url:
                yield EntrySeen(
                    dataclasses.replace(entry, status="failed", error="a teaser without a link to its page")
                )
            else:
                teasers.append(entry)
        return (new, old, future, teasers)

    def _document(self, source: Source, item: Item, entry: Entry) -> SourceDocument:
        content = item.content
        if item.content_kind == "html" and source.kind != "page":
            content = f"<html><body><article>{content}</article></body></html>"
        raw = RawDocument(
            origin=item.url or f"{source.url}#{item.key}",
            kind=item.content_kind,
            content=content,
            url=item.url,
            title=item.title,
            outlet=item.outlet,
            author=item.author,
        )
        return SourceDocument(raw=raw, entry=entry)

    def _schedule_pages(self, source: Source, teasers: list[Entry]) -> Iterator[PollEvent]:
        """Fetch (or take from the cache) the pages of new teasers and of entries left pending earlier."""
        limit = self.options.max_pages_per_poll
        fresh = {e.key for e in teasers}
        earlier = [e for e in self.memory.pending_entries(source.id, limit) if e.key not in fresh]
        wanted = (earlier + teasers)[:limit]
        for entry in teasers[max(0, limit - len(earlier)) :]:
            yield EntrySeen(entry)  # over this pass's limit: stays pending
        cached = self.memory.pages([e.url for e in wanted if e.url and e.url not in self._scheduled])
        for entry in wanted:
            url = entry.url
            assert url is not None
            if url in self._scheduled:
                self._scheduled[url].append(entry)
                continue
            page = cached.get(url)
            if page is not None and (page.final or page.attempts >= rules.PAGE_ATTEMPTS):
                # fetched before (by this source or another): its article, or its error, is the entry's
                if page.error is None:
                    done = dataclasses.replace(
                        entry,
                        status="ingested",
                        article_id=page.article_id,
                        fetched_at=page.fetched_at,
                        page_published=page.published,
                    )
                else:
                    done = dataclasses.replace(entry, status="failed", error=page.error)
                yield EntrySeen(done, cached=True)
                continue
            attempts = page.attempts if page is not None else 0
            self._scheduled[url] = [dataclasses.replace(entry, attempts=attempts)]
            self._dispatcher.submit(host_key(url), ("page", url), partial(self.reader.read_page, url))

    def _on_page(self, url: str, result: PageRead) -> Iterator[PollEvent]:
        entries = self._scheduled.pop(url, [])
        if not entries:
            return
        now = iso(self.now())
        if result.deferred_until is not None:
            for entry in entries:
                yield EntrySeen(
                    dataclasses.replace(
                        entry, error=f"waiting: the host asked to wait until {iso(result.deferred_until)}"
                    )
                )
            return
        attempts = entries[0].attempts + 1
        resp = result.response
        final_url = canonical_url(resp.final_url) if resp is not None else None
        status = resp.status if resp is not None else None
        if result.text is None:
            reason = result.problem or "no answer"
            final = result.problem_final or attempts >= rules.PAGE_ATTEMPTS
            yield PageFetched(
                Page(
                    url,
                    fetched_at=now,
                    final_url=final_url,
                    http_status=status,
                    error=reason,
                    final=final,
                    attempts=attempts,
                ),
                requests=result.requests,
            )
            for entry in entries:
                yield EntrySeen(
                    dataclasses.replace(
                        entry, status="failed" if final else "pending", error=reason, attempts=attempts
                    )
                )
            if final:
                yield Failure(url, reason)
            return
        yield PageFetched(
            Page(url, fetched_at=now, final_url=final_url, http_status=status, final=True, attempts=attempts),
            requests=result.requests,
        )
        first, *others = entries
        raw = RawDocument(
            origin=url,
            kind=result.kind,
            content=result.text,
            url=final_url,
            title=first.title,
            outlet=first.outlet
            if first.outlet and self._sources[first.source_id].kind == "sitemap"
            else None,
            author=first.author,
        )
        done = dataclasses.replace(first, status="ingested", fetched_at=now, attempts=attempts, error=None)
        yield SourceDocument(raw=raw, entry=done, page_url=url)
        for entry in others:
            yield EntrySeen(
                dataclasses.replace(entry, status="ingested", fetched_at=now, attempts=attempts, error=None)
            )
