"""What a worker thread does for one source or one page: fetch it and read it into records.

:class:`Reader` is shared by the worker threads of a pass: :meth:`Reader.read_source` fetches a source
(conditional GET, robots.txt for a page) and parses it as a feed, a sitemap (with the newest sub-sitemaps
of an index) or a page; :meth:`Reader.read_page` fetches an article page. Neither raises: a problem is
part of the result. :class:`HostHolds` keeps the hosts that asked to be left alone (429 or 503 with
Retry-After): nothing of such a host is fetched until then.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from ..model import Source, SourceKind
from . import rules
from ._feeds import ParsedFeed, SourceProblem, parse_feed, sniff_kind, words
from ._fetch import Fetcher, decode_body
from ._records import FetchRequest, FetchResponse
from ._robots import RobotsCache
from ._schedule import parse_retry_after
from ._sitemaps import ParsedSitemap, parse_sitemap
from ._urls import canonical_url, host_key

__all__ = ["Item", "SourceRead", "PageRead", "HostHolds", "Reader", "page_text"]

log = logging.getLogger(__name__)

#: Fetch errors that may pass by themselves: the page is tried again on a later pass.
TRANSIENT_KINDS = frozenset({"timeout", "network", "refused", "dns"})


@dataclass(frozen=True, slots=True)
class Item:
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
class SourceRead:
    response: FetchResponse | None = None
    kind: SourceKind = "auto"
    title: str | None = None
    items: list[Item] = field(default_factory=list)
    problem: str | None = None
    deferred_until: datetime | None = None
    requests: int = 0


@dataclass(slots=True)
class PageRead:
    response: FetchResponse | None = None
    text: str | None = None
    kind: Literal["html", "text"] = "html"
    problem: str | None = None
    problem_final: bool = True
    deferred_until: datetime | None = None
    requests: int = 0


class HostHolds:
    """Hosts (``host:port``) not to be fetched before a time; thread-safe."""

    def __init__(self, now: Callable[[], datetime], initial: dict[str, datetime] | None = None) -> None:
        self._now = now
        self._until: dict[str, datetime] = dict(initial or {})
        self._fresh: list[tuple[str, datetime]] = []
        self._lock = threading.Lock()

    def held(self, url: str) -> datetime | None:
        """Until when the host of ``url`` is to be left alone (None: it is not)."""
        with self._lock:
            until = self._until.get(host_key(url))
        return until if until is not None and until > self._now() else None

    def hold(self, url: str, response: FetchResponse) -> None:
        """Hold the host of ``url`` if ``response`` is a 429 or 503 with a Retry-After (clamped)."""
        if response.status not in rules.RETRY_AFTER_STATUSES:
            return
        seconds = parse_retry_after(response.retry_after, self._now())
        if seconds is None:
            return
        until = self._now() + timedelta(seconds=seconds)
        with self._lock:
            self._until[host_key(url)] = until
            self._fresh.append((host_key(url), until))

    def take_fresh(self) -> list[tuple[str, datetime]]:
        """The holds added since the last call."""
        with self._lock:
            fresh, self._fresh = self._fresh, []
        return fresh


class Reader:
    def __init__(
        self,
        fetcher: Fetcher,
        robots: RobotsCache,
        holds: HostHolds,
        now: Callable[[], datetime],
        *,
        max_bytes: int,
        max_entry_age_days: int,
    ) -> None:
        self.fetcher = fetcher
        self.robots = robots
        self.holds = holds
        self.now = now
        self.max_bytes = max_bytes
        self.max_entry_age_days = max_entry_age_days

    def read_source(self, source: Source) -> SourceRead:
        try:
            return self._read_source(source)
        except Exception as exc:  # a bug must not stop the pass: it becomes this source's error
            log.exception("unexpected error polling %s", source.url)
            return SourceRead(problem=f"unexpected error: {type(exc).__name__}: {exc}")

    def _read_source(self, source: Source) -> SourceRead:
        held = self.holds.held(source.url)
        if held is not None:
            return SourceRead(deferred_until=held)
        requests = 0
        if source.kind == "page":
            verdict = self.robots.check(source.url, self.fetcher)
            requests += verdict.requests
            if not verdict.allowed:
                return SourceRead(problem=verdict.reason, requests=requests)
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
        self.holds.hold(source.url, resp)
        result = SourceRead(response=resp, kind=source.kind, requests=requests)
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
                self._read_followed_page(resp, result)
        except SourceProblem as exc:
            result.problem = exc.reason
            result.items = []
        return result

    def _read_feed(self, feed: ParsedFeed, result: SourceRead) -> None:
        result.title = feed.title
        for item in feed.items:
            result.items.append(
                Item(
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

    def _read_sitemap(self, source: Source, resp: FetchResponse, result: SourceRead) -> None:
        parsed = parse_sitemap(
            resp.body, base_url=resp.final_url, max_bytes=self.max_bytes, content_type=resp.content_type
        )
        sitemaps = [parsed]
        if parsed.children:
            sitemaps = self._read_children(source, resp.final_url, parsed, result)
        for sitemap in sitemaps:
            for u in sitemap.urls:
                result.items.append(
                    Item(
                        key=u.url,
                        url=u.url,
                        title=u.title,
                        author=None,
                        outlet=u.outlet,
                        published=u.published,
                    )
                )

    def _read_children(
        self, source: Source, index_url: str, index: ParsedSitemap, result: SourceRead
    ) -> list[ParsedSitemap]:
        """The newest sub-sitemaps of an index on the index's own host (the protocol allows no other)."""
        cutoff = self.now() - timedelta(days=self.max_entry_age_days)
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

    def _read_followed_page(self, resp: FetchResponse, result: SourceRead) -> None:
        text, kind = page_text(resp)
        url = canonical_url(resp.final_url)
        digest = hashlib.sha256(resp.body).hexdigest()[:16]
        result.items.append(
            Item(
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

    def read_page(self, url: str) -> PageRead:
        try:
            return self._read_page(url)
        except Exception as exc:
            log.exception("unexpected error fetching %s", url)
            return PageRead(problem=f"unexpected error: {type(exc).__name__}: {exc}", problem_final=False)

    def _read_page(self, url: str) -> PageRead:
        held = self.holds.held(url)
        if held is not None:
            return PageRead(deferred_until=held)
        verdict = self.robots.check(url, self.fetcher)
        if not verdict.allowed:
            unreachable = "unreachable" in (verdict.reason or "")
            return PageRead(problem=verdict.reason, problem_final=not unreachable, requests=verdict.requests)
        resp = self.fetcher.fetch(FetchRequest(url, accept=rules.ACCEPT_PAGE))
        requests = verdict.requests + resp.requests
        self.holds.hold(url, resp)
        if not resp.ok:
            transient = resp.error_kind in TRANSIENT_KINDS or resp.status in rules.TRANSIENT_STATUSES
            return PageRead(response=resp, problem=resp.error, problem_final=not transient, requests=requests)
        try:
            text, kind = page_text(resp)
        except SourceProblem as exc:
            return PageRead(response=resp, problem=exc.reason, requests=requests)
        return PageRead(response=resp, text=text, kind=kind, requests=requests)


def page_text(resp: FetchResponse) -> tuple[str, Literal["html", "text"]]:
    ctype = resp.content_type.split(";", 1)[0].strip().lower()
    sniffed = sniff_kind(resp.body, resp.content_type)
    if ctype and not ctype.startswith(rules.PAGE_TYPES) and sniffed != "html":
        raise SourceProblem(f"not a web page (Content-Type {ctype})")
    text = decode_body(resp.body, resp.content_type)
    if not text.strip():
        raise SourceProblem("the page is empty")
    return text, "text" if ctype == "text/plain" else "html"
