"""Reading a fetched feed: RSS and Atom through feedparser, JSON Feed (1.0 and 1.1) through ``json``.

feedparser 6.0 (the release pinned) does not read JSON Feed; its format is a small JSON object, read
here field by field. Each entry becomes a :class:`FeedItem` with its canonical link, its dates as the feed
states them, and the longest body it offers (``content:encoded`` / Atom ``content`` / ``content_html``
over a ``description`` / ``summary``), so the caller can tell a full text from a teaser.

A body that is an HTML page, malformed XML (beyond the benign problems in
``rules.BENIGN_FEED_PROBLEMS``), JSON that is no JSON Feed, or anything else raises :class:`SourceProblem`
with a reason a user can act on.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from . import rules
from ._urls import canonical_url, resolve

__all__ = [
    "FeedItem",
    "ParsedFeed",
    "SourceProblem",
    "parse_feed",
    "sniff_kind",
    "advertised_feed",
    "parse_date",
]

_TAG = re.compile(r"<[^>]+>")


class SourceProblem(Exception):
    """Why a fetched body cannot be read as the kind of source it should be."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FeedItem:
    key: str
    url: str | None
    title: str | None
    author: str | None
    published: datetime | None
    content: str
    content_kind: Literal["html", "text"]
    words: int


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    items: tuple[FeedItem, ...]


def words(markup: str) -> int:
    return len(_TAG.sub(" ", markup).split())


def parse_date(value: str | None) -> datetime | None:
    """An aware UTC datetime from an ISO 8601 / W3C date or an RFC 822 date; None when unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _from_struct(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def sniff_kind(body: bytes, content_type: str = "") -> Literal["feed", "sitemap", "html"] | None:
    """What a body looks like: a feed (RSS, Atom, RDF, JSON Feed), a sitemap, an HTML page, or unknown."""
    head = body[: rules.SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{") or "json" in content_type.lower():
        return "feed"
    low = head.lower()
    if b"<urlset" in low or b"<sitemapindex" in low:
        return "sitemap"
    if b"<rss" in low or b"<feed" in low or b"<rdf:rdf" in low:
        return "feed"
    if body[:2] == b"\x1f\x8b":
        return "sitemap"  # a gzipped file served as such: only sitemaps are published that way
    if rules.HTML_SNIFF.search(head):
        return "html"
    return None


def advertised_feed(body: bytes, base_url: str) -> str | None:
    """The first feed an HTML page links to (``<link rel=alternate type=application/rss+xml>``)."""
    tag = rules.FEED_LINK.search(body[: 64 * 1024])
    if not tag:
        return None
    href = rules.HREF.search(tag.group(0))
    return resolve(base_url, href.group(1).decode("utf-8", "replace")) if href else None


def html_instead(body: bytes, base_url: str, expected: str) -> SourceProblem:
    hint = advertised_feed(body, base_url)
    more = f"; the page links to the feed {hint}: add that URL instead" if hint else ""
    return SourceProblem(f"the URL returned an HTML page, not {expected}{more}")


def _item_key(url: str | None, guid: str | None, title: str | None, content: str) -> str:
    if url:
        return url
    if guid:
        return f"guid:{guid.strip()}"
    return "hash:" + hashlib.sha256(f"{title or ''}\x1f{content}".encode()).hexdigest()[:16]


def parse_feed(body: bytes, *, base_url: str, content_type: str = "") -> ParsedFeed:
    """The entries of an RSS, Atom or JSON feed; :class:`SourceProblem` when ``body`` is none of them."""
    head = body[: rules.SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return _parse_json_feed(body, base_url)
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    version = parsed.get("version") or ""
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not version:
        if sniff_kind(body, content_type) == "html":
            raise html_instead(body, base_url, "a feed")
        if not head.startswith(b"<"):
            raise SourceProblem("not an RSS, Atom or JSON feed (the answer is neither XML nor JSON)")
        if problem is not None and type(problem).__name__ not in rules.BENIGN_FEED_PROBLEMS:
            raise SourceProblem(f"malformed XML: {_describe_xml_problem(problem)}")
        raise SourceProblem("not an RSS, Atom or JSON feed (no feed elements found)")
    if problem is not None and not _benign(problem):
        raise SourceProblem(f"malformed XML: {_describe_xml_problem(problem)}")
    feed = parsed.get("feed") or {}
    items = []
    for entry in parsed.get("entries") or []:
        content, kind = _best_content(entry)
        link = resolve(base_url, entry.get("link"))
        url = canonical_url(link) if link else None
        title = (entry.get("title") or "").strip() or None
        items.append(
            FeedItem(
                key=_item_key(url, entry.get("id"), title, content),
                url=url,
                title=title,
                author=(entry.get("author") or "").strip() or None,
                published=_from_struct(entry.get("published_parsed") or entry.get("updated_parsed")),
                content=content,
                content_kind=kind,
                words=words(content),
            )
        )
    return ParsedFeed((feed.get("title") or "").strip() or None, tuple(items))


def _benign(problem: BaseException) -> bool:
    if type(problem).__name__ in rules.BENIGN_FEED_PROBLEMS:
        return True
    message = str(problem).lower()
    return any(m in message for m in rules.BENIGN_XML_MESSAGES)


def _describe_xml_problem(problem: BaseException) -> str:
    line = getattr(problem, "getLineNumber", None)
    where = f" at line {line()}" if callable(line) else ""
    message = getattr(problem, "getMessage", None)
    text = message() if callable(message) else str(problem)
    return f"{text}{where}"


def _best_content(entry: Any) -> tuple[str, Literal["html", "text"]]:
    """The longest body an entry offers and whether it is HTML or plain text."""
    candidates: list[tuple[str, str]] = []
    for item in entry.get("content") or []:
        candidates.append((item.get("value") or "", item.get("type") or "text/html"))
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry.get("summary") or "", detail.get("type") or "text/html"))
    if not candidates:
        return "", "html"
    body, ctype = max(candidates, key=lambda c: words(c[0]))
    return body, "text" if ctype.startswith("text/plain") else "html"


def _parse_json_feed(body: bytes, base_url: str) -> ParsedFeed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceProblem(f"malformed JSON: {exc}") from exc
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.startswith(rules.JSON_FEED_VERSION_PREFIX):
        raise SourceProblem('JSON, but not a JSON Feed (no "version": "https://jsonfeed.org/version/…")')
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise SourceProblem('JSON Feed without an "items" list')
    items = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            continue
        html = _text(raw.get("content_html"))
        plain = _text(raw.get("content_text"))
        summary = _text(raw.get("summary"))
        options = [(html, "html"), (plain, "text"), (summary, "text")]
        content, kind = max(options, key=lambda o: words(o[0]))
        link = resolve(base_url, _text(raw.get("url")) or _text(raw.get("external_url")))
        url = canonical_url(link) if link else None
        title = _text(raw.get("title")).strip() or None
        authors: list[Any] = raw["authors"] if isinstance(raw.get("authors"), list) else [raw.get("author")]
        names = [str(a["name"]) for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
        items.append(
            FeedItem(
                key=_item_key(url, _text(raw.get("id")), title, content),
                url=url,
                title=title,
                author="; ".join(names) or None,
                published=parse_date(_text(raw.get("date_published")) or _text(raw.get("date_modified"))),
                content=content,
                content_kind="html" if kind == "html" else "text",
                words=words(content),
            )
        )
    return ParsedFeed(_text(data.get("title")).strip() or None, tuple(items))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))
