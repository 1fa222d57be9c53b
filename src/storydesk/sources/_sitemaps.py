"""Reading a fetched sitemap: a ``<urlset>`` (Google News ``<news:news>`` tags included) or a
``<sitemapindex>``.

Why not ultimate-sitemap-parser: its fetching goes through its own web client (no conditional GET, no
per-host limit, no size limit of ours), and its parser alone (``sitemap_from_str``) would still pull in
``requests`` and needs ``python-dateutil < 3`` where storydesk's other dependencies have 4.x. What
storydesk needs from a sitemap is small: each ``<url>``'s ``<loc>``, ``<lastmod>`` and, in a news
sitemap, ``<news:publication_date>``, ``<news:title>`` and ``<news:publication><news:name>``; and an
index's ``<sitemap><loc>`` and ``<lastmod>``. It is read here with the standard library's incremental
XML parser (expat), clearing each element once read, so a 50,000-URL sitemap never becomes a tree; a
document that declares entities is refused (no entity expansion), and a gzipped sitemap is inflated
within the same size limit as any response.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from . import rules
from ._feeds import SourceProblem, html_instead, parse_date, sniff_kind
from ._urls import canonical_url, resolve

__all__ = ["SitemapUrl", "ParsedSitemap", "parse_sitemap"]


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    url: str
    title: str | None = None
    published: datetime | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedSitemap:
    urls: tuple[SitemapUrl, ...] = ()
    children: tuple[tuple[str, datetime | None], ...] = ()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _field(tag: str) -> str | None:
    """The field an element gives: ``loc``/``lastmod`` of the sitemap namespace (not an image's
    ``<image:loc>``), ``publication_date``/``title``/``name`` of the news namespace."""
    ns = tag[1:].split("}", 1)[0].lower() if tag.startswith("{") else ""
    name = _local(tag)
    if name in {"loc", "lastmod"} and (not ns or "sitemaps.org" in ns):
        return name
    if name in {"publication_date", "title", "name"} and "news" in ns:
        return name
    return None


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as gz:
            out = gz.read(max_bytes + 1)
    except (EOFError, OSError, zlib.error) as exc:
        raise SourceProblem(f"corrupt gzip sitemap: {exc}") from exc
    if len(out) > max_bytes:
        raise SourceProblem(f"the decompressed sitemap is over the limit of {max_bytes / 2**20:.1f} MB")
    return out


def parse_sitemap(body: bytes, *, base_url: str, max_bytes: int, content_type: str = "") -> ParsedSitemap:
    """The URLs of a sitemap or the sub-sitemaps of an index; :class:`SourceProblem` for anything else."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, max_bytes)
    head = body[: rules.SNIFF_BYTES]
    if rules.XML_DTD_SNIFF.search(head):
        raise SourceProblem("the XML declares entities (refused: a sitemap never needs them)")
    parser: XMLPullParser[Any] = XMLPullParser(events=("start", "end"))
    root: str | None = None
    urls: list[SitemapUrl] = []
    children: list[tuple[str, datetime | None]] = []
    fields: dict[str, str] = {}
    try:
        for start in range(0, len(body), 64 * 1024):
            parser.feed(body[start : start + 64 * 1024])
            for event, elem in cast(Iterator[tuple[str, Element]], parser.read_events()):
                name = _local(elem.tag)
                if event == "start":
                    if root is None:
                        root = name
                        if root not in {"urlset", "sitemapindex"}:
                            break
                    if name in {"url", "sitemap"}:
                        fields = {}
                    continue
                field = _field(elem.tag)
                if field is not None:
                    fields.setdefault(field, (elem.text or "").strip())
                elif name == "url" and root == "urlset":
                    item = _url(fields, base_url)
                    if item is not None:
                        urls.append(item)
                    elem.clear()
                elif name == "sitemap" and root == "sitemapindex":
                    loc = resolve(base_url, fields.get("loc"))
                    if loc:
                        children.append((loc, parse_date(fields.get("lastmod"))))
                    elem.clear()
            if root is not None and root not in {"urlset", "sitemapindex"}:
                break
        if root in {"urlset", "sitemapindex"}:
            parser.close()
    except ParseError as exc:
        if root is None and sniff_kind(body, content_type) == "html":
            raise html_instead(body, base_url, "a sitemap") from exc
        raise SourceProblem(f"malformed XML: {exc}") from exc
    if root is None:
        raise SourceProblem("empty document: not a sitemap")
    if root not in {"urlset", "sitemapindex"}:
        if sniff_kind(body, content_type) == "html":
            raise html_instead(body, base_url, "a sitemap")
        raise SourceProblem(f"not a sitemap (its root element is <{root}>, not <urlset> or <sitemapindex>)")
    return ParsedSitemap(tuple(urls), tuple(children))


def _url(fields: dict[str, str], base_url: str) -> SitemapUrl | None:
    loc = resolve(base_url, fields.get("loc"))
    if not loc:
        return None
    published = parse_date(fields.get("publication_date")) or parse_date(fields.get("lastmod"))
    return SitemapUrl(
        url=canonical_url(loc),
        title=fields.get("title") or None,
        published=published,
        outlet=fields.get("name") or None,
    )
