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
import hashlib
import logging
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

from ..model import Failure, RawDocument
from . import rules
from ._dispatch import HostDispatcher
from ._feeds import ParsedFeed, SourceProblem, parse_feed, sniff_kind, words
from ._fetch import Fetcher, decode_body
from ._records import (
    Entry,
    EntrySeen,
    FetchRequest,
    FetchResponse,
    HostHeld,
    Page,
    PageFetched,
    PollOptions,
    Source,
    SourceDocument,
    SourceKind,
    SourcePolled,
)
from ._robots import RobotsCache
from ._schedule import iso, next_poll, parse_retry_after
from ._sitemaps import ParsedSitemap, parse_sitemap
from ._urls import canonical_url, host_key

__all__ = ["PollMemory", "PollEvent", "poll_sources"]

log = logging.getLogger(__name__)

PollEvent = SourcePolled | SourceDocument | EntrySeen | PageFetched | HostHeld | Failure


#: Fetch errors that may pass by themselves: the page is tried again on a later pass.
_TRANSIENT_KINDS = frozenset({"timeout", "network", "refused", "dns"})


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


@dataclass(frozen=True, slots=True)
class _Item:
    key: str
    url: str | None
    title: str | None
    author: str | None
    outlet: str | None
    published: datetime | None
    content: str = ""
    content_kind: Literal["html", "text"] = "html"
    words: int = 0


@dataclass(slots=True)
class _SourceResult:
    response: FetchResponse | None = None
    kind: SourceKind = "auto"
    title: str | None = None
    items: list[_Item] = field(default_factory=list)
    page: RawDocument | None = None
    problem: str | None = None
    deferred_until: datetime | None = None
    requests: int = 0


@dataclass(slots=True)
class _PageResult:
    response: FetchResponse | None = None
    text: str | None = None
    kind: Literal["html", "text"] = "html"
    problem: str | None = None
    problem_final: bool = True
    deferred_until: datetime | None = None
    requests: int = 0


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
    poll = _Pass(
        fetcher, options, memory, robots or RobotsCache(), now or (lambda: datetime.now(UTC)), max_bytes
    )
    poll._holds.update(holds or {})
    yield from poll.run(sources)


class _Pass:
    def __init__(
        self,
        fetcher: Fetcher,
        options: PollOptions,
        memory: PollMemory,
        robots: RobotsCache,
        now: Callable[[], datetime],
        max_bytes: int,
    ) -> None:
        self.fetcher = fetcher
        self.options = options
        self.memory = memory
        self.robots = robots
        self.now = now
        self.max_bytes = max_bytes
        self._holds: dict[str, datetime] = {}
        self._fresh_holds: list[tuple[str, datetime]] = []
        self._holds_lock = threading.Lock()
        self._scheduled: dict[str, list[Entry]] = {}
        self._sources: dict[str, Source] = {}

    # -- the pass -------------------------------------------------------------------------------------

    def run(self, sources: Iterable[Source]) -> Iterator[PollEvent]:
        with HostDispatcher[object](self.options.concurrency) as dispatcher:
            self._dispatcher = dispatcher
            for source in sources:
                self._sources[source.id] = source
                dispatcher.submit(
                    host_key(source.url), ("source", source.id), self._job(self._fetch_source, source)
                )
            for (what, ident), result in dispatcher.results():
                yield from self._new_holds()
                if what == "source":
                    assert isinstance(result, _SourceResult)
                    yield from self._on_source(self._sources[ident], result)
                else:
                    assert isinstance(result, _PageResult)
                    yield from self._on_page(ident, result)

    @staticmethod
    def _job(fn: Callable[..., object], *args: object) -> Callable[[], object]:
        return lambda: fn(*args)

    # -- holds: a host that answered 429/503 is left alone for the rest of the pass -------------------

    def _new_holds(self) -> Iterator[HostHeld]:
        with self._holds_lock:
            fresh, self._fresh_holds = self._fresh_holds, []
        for host, until in fresh:
            yield HostHeld(host, iso(until))

    def _held(self, url: str) -> datetime | None:
        with self._holds_lock:
            until = self._holds.get(host_key(url))
        return until if until is not None and until > self.now() else None

    def _hold(self, url: str, response: FetchResponse) -> int | None:
        if response.status not in rules.RETRY_AFTER_STATUSES:
            return None
        seconds = parse_retry_after(response.retry_after, self.now())
        if seconds is None:
            return None
        until = self.now() + timedelta(seconds=seconds)
        with self._holds_lock:
            self._holds[host_key(url)] = until
            self._fresh_holds.append((host_key(url), until))
        return seconds

    # -- worker threads ---------------------------------------------------------------------------------

    def _fetch_source(self, source: Source) -> _SourceResult:
        try:
            return self._fetch_source_unsafe(source)
        except Exception as exc:  # a bug must not stop the pass: it becomes this source's error
            log.exception("unexpected error polling %s", source.url)
            return _SourceResult(problem=f"unexpected error: {type(exc).__name__}: {exc}")

    def _fetch_source_unsafe(self, source: Source) -> _SourceResult:
        held = self._held(source.url)
        if held is not None:
            return _SourceResult(deferred_until=held)
        requests = 0
        if source.kind == "page":
            verdict = self.robots.check(source.url, self.fetcher)
            requests += verdict.requests
            if not verdict.allowed:
                return _SourceResult(problem=verdict.reason, requests=requests)
        accept = {"feed": rules.ACCEPT_FEED, "sitemap": rules.ACCEPT_SITEMAP, "page": rules.ACCEPT_PAGE}
        resp = self.fetcher.fetch(
            FetchRequest(
                source.url,
                accept=accept.get(source.kind, rules.ACCEPT_FEED),
                etag=source.etag,
                last_modified=source.last_modified,
            )
        )
        requests += resp.requests
        self._hold(source.url, resp)
        result = _SourceResult(response=resp, kind=source.kind, requests=requests)
        if not resp.ok:
            return result
        base = resp.final_url
        kind = source.kind
        if kind == "auto":
            sniffed = sniff_kind(resp.body, resp.content_type)
            kind = "sitemap" if sniffed == "sitemap" else "feed"
        result.kind = kind
        try:
            if kind == "feed":
                self._read_feed(parse_feed(resp.body, base_url=base, content_type=resp.content_type), result)
            elif kind == "sitemap":
                self._read_sitemap(source, resp, result)
            else:
                self._read_page(resp, result)
        except SourceProblem as exc:
            result.problem = exc.reason
            result.items = []
        return result

    def _read_feed(self, feed: ParsedFeed, result: _SourceResult) -> None:
        result.title = feed.title
        for item in feed.items:
            result.items.append(
                _Item(
                    key=item.key,
                    url=item.url,
                    title=item.title,
                    author=item.author,
                    outlet=feed.title,
                    published=item.published,
                    content=item.content,
                    content_kind=item.content_kind,
                    words=item.words,
                )
            )

    def _read_sitemap(self, source: Source, resp: FetchResponse, result: _SourceResult) -> None:
        parsed = parse_sitemap(
            resp.body, base_url=resp.final_url, max_bytes=self.max_bytes, content_type=resp.content_type
        )
        sitemaps = [parsed]
        if parsed.children:
            sitemaps = self._read_children(source, resp.final_url, parsed, result)
        for sitemap in sitemaps:
            for u in sitemap.urls:
                result.items.append(
                    _Item(
                        key=u.url,
                        url=u.url,
                        title=u.title,
                        author=None,
                        outlet=u.outlet,
                        published=u.published,
                    )
                )

    def _read_children(
        self, source: Source, index_url: str, index: ParsedSitemap, result: _SourceResult
    ) -> list[ParsedSitemap]:
        """The newest sub-sitemaps of an index on the index's own host (the protocol allows no other)."""
        cutoff = self.now() - timedelta(days=self.options.max_entry_age_days)
        host = host_key(index_url)
        children = [
            (url, lastmod)
            for url, lastmod in index.children
            if host_key(url) == host and (lastmod is None or lastmod >= cutoff)
        ]
        floor = datetime.min.replace(tzinfo=UTC)
        children.sort(key=lambda c: c[1] or floor, reverse=True)
        read: list[ParsedSitemap] = []
        problems: list[str] = []
        for url, _ in children[: rules.MAX_SITEMAP_CHILDREN]:
            resp = self.fetcher.fetch(FetchRequest(url, accept=rules.ACCEPT_SITEMAP))
            result.requests += resp.requests
            if not resp.ok:
                problems.append(f"{url}: {resp.error}")
                continue
            try:
                child = parse_sitemap(
                    resp.body,
                    base_url=resp.final_url,
                    max_bytes=self.max_bytes,
                    content_type=resp.content_type,
                )
            except SourceProblem as exc:
                problems.append(f"{url}: {exc.reason}")
                continue
            read.append(ParsedSitemap(child.urls))
        if problems and not read:
            raise SourceProblem(f"no sub-sitemap of the index could be read ({problems[0]})")
        if problems:
            log.warning("%s: %d sub-sitemaps failed, first: %s", source.url, len(problems), problems[0])
        return read

    def _read_page(self, resp: FetchResponse, result: _SourceResult) -> None:
        text, kind = _page_text(resp)
        url = canonical_url(resp.final_url)
        digest = hashlib.sha256(resp.body).hexdigest()[:16]
        result.items.append(
            _Item(
                key=f"page:{digest}",
                url=url,
                title=None,
                author=None,
                outlet=None,
                published=None,
                content=text,
                content_kind=kind,
                words=words(text),
            )
        )

    def _fetch_page(self, url: str) -> _PageResult:
        try:
            return self._fetch_page_unsafe(url)
        except Exception as exc:
            log.exception("unexpected error fetching %s", url)
            return _PageResult(problem=f"unexpected error: {type(exc).__name__}: {exc}", problem_final=False)

    def _fetch_page_unsafe(self, url: str) -> _PageResult:
        held = self._held(url)
        if held is not None:
            return _PageResult(deferred_until=held)
        verdict = self.robots.check(url, self.fetcher)
        if not verdict.allowed:
            unreachable = "unreachable" in (verdict.reason or "")
            return _PageResult(
                problem=verdict.reason, problem_final=not unreachable, requests=verdict.requests
            )
        resp = self.fetcher.fetch(FetchRequest(url, accept=rules.ACCEPT_PAGE))
        requests = verdict.requests + resp.requests
        self._hold(url, resp)
        if not resp.ok:
            transient = resp.error_kind in _TRANSIENT_KINDS or resp.status in rules.TRANSIENT_STATUSES
            return _PageResult(
                response=resp, problem=resp.error, problem_final=not transient, requests=requests
            )
        try:
            text, kind = _page_text(resp)
        except SourceProblem as exc:
            return _PageResult(response=resp, problem=exc.reason, requests=requests)
        return _PageResult(response=resp, text=text, kind=kind, requests=requests)

    # -- the caller's thread ---------------------------------------------------------------------------

    def _on_source(self, source: Source, result: _SourceResult) -> Iterator[PollEvent]:
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
        self, source: Source, items: list[_Item], now: datetime
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

    def _document(self, source: Source, item: _Item, entry: Entry) -> SourceDocument:
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
            self._dispatcher.submit(host_key(url), ("page", url), self._job(self._fetch_page, url))

    def _on_page(self, url: str, result: _PageResult) -> Iterator[PollEvent]:
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


def _page_text(resp: FetchResponse) -> tuple[str, Literal["html", "text"]]:
    ctype = resp.content_type.split(";", 1)[0].strip().lower()
    sniffed = sniff_kind(resp.body, resp.content_type)
    if ctype and not ctype.startswith(rules.PAGE_TYPES) and sniffed != "html":
        raise SourceProblem(f"not a web page (Content-Type {ctype})")
    text = decode_body(resp.body, resp.content_type)
    if not text.strip():
        raise SourceProblem("the page is empty")
    return text, "text" if ctype == "text/plain" else "html"
