"""Articles as they arrive: the raw document, the extracted article, a failure, and their ids."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

InputKind = Literal["html", "text", "jsonl", "warc", "feed"]
EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "OTHER"]
Granularity = Literal["day", "month", "year"]
ClaimStatus = Literal["corroborated", "single_source", "disputed"]
SummaryKind = Literal["extractive", "generated"]

_WS = re.compile(r"\s+")


def publication_day(published: str | None) -> float:
    """The day number (proleptic ordinal) of an ISO publication date, NaN when absent or unreadable."""
    if not published:
        return math.nan
    try:
        return float(date.fromisoformat(published[:10]).toordinal())
    except ValueError:
        return math.nan


def article_sort_key(article: Article) -> tuple[str, str]:
    """Publication order: undated articles last, ties by id."""
    return (article.published or "9999", article.id)


def title_opens_text(title: str | None, text: str) -> bool:
    """Whether ``text`` begins with ``title``: a title made from the text's first line (as extraction makes
    one for a document without a headline), perhaps cut short with "…". Such a title adds nothing to the
    text; read as a headline as well, its words counted twice."""
    head = (title or "").strip().removesuffix("…").rstrip()
    return bool(head) and text.lstrip().startswith(head)


def normalise_for_id(text: str) -> str:
    """Whitespace-collapsed, case-folded text: what an id is computed from."""
    return _WS.sub(" ", text).strip().casefold()


def content_id(*parts: str | None, length: int = 16) -> str:
    """A stable hex id from the given parts (``None`` counts as empty)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(normalise_for_id(p or "").encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One article as read from a source, before extraction.

    ``content`` is decoded text: an HTML page for ``kind == "html"``, plain text otherwise.
    ``origin`` names where it came from for error messages: a path, ``path:LINE`` for JSONL,
    ``path#record-N`` for WARC/feeds.
    """

    origin: str
    kind: Literal["html", "text"]
    content: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    fetched: str | None = None
    """When the page was fetched (a WARC record's date): a fallback when the page states no date."""
    line: int | None = None
    """The JSONL line (1-based) the record was read from; None for other inputs."""


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: main text with boilerplate lines removed.

    ``text`` keeps paragraphs separated by a blank line. ``removed`` holds the lines the boilerplate filter
    dropped, in order, so that a reader can see what was removed. ``outlet_inferred`` is True when no
    source or page metadata stated the outlet and storydesk read it from the page itself (a site-name
    line, the URL's host, a byline, a dateline).
    """

    id: str
    title: str
    text: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    path: str | None = None
    author: str | None = None
    language: str | None = None
    removed: tuple[str, ...] = ()
    outlet_inferred: bool = False

    @staticmethod
    def make_id(*, text: str, url: str | None, outlet: str | None, title: str | None) -> str:
        """The article id: a hash of where it was published and what it says."""
        return content_id(url, outlet, title, text)


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not become an article, with a reason a user can act on."""

    origin: str
    reason: str
