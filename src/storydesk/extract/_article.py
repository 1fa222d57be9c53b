"""``extract_article``: the one entry point of the extract stage."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from ..errors import ExtractError
from ..model import Article, RawDocument
from . import rules
from ._dates import parse_header_date
from ._html import extract_html
from ._normalise import join_paragraphs, normalise_line, split_paragraphs
from ._outlet import outlet_from_url, read_dateline
from ._text import read_header
from .boilerplate import drop_boilerplate_lines

__all__ = ["extract_article", "outlet_from_url", "iso_date"]

log = logging.getLogger(__name__)

#: A lone UTF-16 surrogate: JSON escapes such as "\\ud800" decode to one, and no UTF-8 text can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(raw: RawDocument) -> RawDocument:
    """``raw`` with every lone surrogate in its fields replaced by U+FFFD (they cannot be stored or hashed)."""
    changes: dict[str, Any] = {
        f.name: _SURROGATE.sub("\ufffd", value)
        for f in dataclasses.fields(raw)
        if isinstance(value := getattr(raw, f.name), str) and _SURROGATE.search(value)
    }
    return dataclasses.replace(raw, **changes) if changes else raw


def iso_date(value: str | None) -> str | None:
    """An ISO date or timestamp from a source's date string; None when it cannot be read."""
    if not value:
        return None
    value = value.strip()
    from datetime import datetime

    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        if len(value) <= 10:
            return parsed.date().isoformat()
        return parsed.isoformat()
    found = parse_header_date(value)
    if found:
        return found
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def clean_author(author: str | None) -> str | None:
    """An author list without the date pieces a byline leaks into it ("Coastal Wire Service; April")."""
    if not author:
        return None
    pieces = []
    for piece in author.split(";"):
        piece = normalise_line(piece)
        if not piece or parse_header_date(piece) or rules.MONTH_RE.fullmatch(piece) or piece.isdigit():
            continue
        pieces.append(piece)
    return "; ".join(pieces) or None


def _same_text(a: str, b: str) -> bool:
    return normalise_line(a).casefold() == normalise_line(b).casefold()


def _clip_title(title: str) -> str:
    title = normalise_line(title)
    if len(title) <= rules.MAX_TITLE_CHARS:
        return title
    return title[: rules.MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def _site_name(name: str | None) -> str | None:
    """A site name from page metadata; one given as a URL ("https://www.example.org") is its host."""
    if name and name.strip().lower().startswith(("http://", "https://")):
        return outlet_from_url(name.strip())
    return name or None


def extract_article(raw: RawDocument) -> Article:
    """Main text and metadata of one RawDocument; :class:`ExtractError` when it holds no usable text.

    The outlet is, in order: the source's (JSONL field, feed), the page's metadata (HTML site name) or a
    "Source: NAME" header line — all stated; else what the page says of itself, marked
    ``outlet_inferred``: a site-name first line, the URL's host (both name the publisher), an outlet named
    in the byline, a dateline or agency prefix (these name the agency that wrote the text; the dateline
    stays in ``text``, and :func:`storydesk.analyse.sentences.split_sentences` starts the first sentence
    after it).
    """
    raw = _without_surrogates(raw)
    author = raw.author
    outlet = raw.outlet
    published = iso_date(raw.published)
    if raw.published and published is None:
        log.warning(
            "%s: 'published' is not a date (%r); stored with the date the text itself gives, if any",
            raw.origin,
            raw.published[:80],
        )
    url = raw.url
    language = None
    site_name = byline_outlet = None
    if raw.kind == "html":
        found = extract_html(raw.content, url)
        if found is None:
            raise ExtractError(raw.origin, "no article text found in the HTML page")
        paragraphs = split_paragraphs(found.text, lines_are_paragraphs=True)
        title = raw.title or found.title
        author = author or clean_author(found.author)
        published = published or iso_date(found.date) or iso_date(raw.fetched)
        url = url or found.url
        outlet = outlet or _site_name(found.sitename)
        language = found.language
    else:
        known = (raw.outlet,) if raw.outlet else ()
        header = read_header(
            raw.content, has_title=bool(raw.title), title=raw.title, url=url, known_outlets=known
        )
        title = raw.title or header.title
        paragraphs = header.body
        if not raw.title and not any(p.strip() for p in paragraphs):
            # No header at all (a JSONL record without a title, a one-paragraph file): it is all body,
            # and the title is taken from its first line below.
            paragraphs = split_paragraphs(raw.content, lines_are_paragraphs=False)
            title = None
        else:
            site_name, byline_outlet = header.site_name, header.byline_outlet
        author = author or header.author
        published = published or header.published or iso_date(raw.fetched)
        outlet = outlet or header.outlet
    kept, removed = drop_boilerplate_lines(paragraphs)
    if title and len(kept) > 1 and _same_text(kept[0], title):  # the headline repeated as the first line
        removed.insert(0, kept.pop(0))
    text = join_paragraphs(kept)
    if len(text) < rules.MIN_TEXT_CHARS:
        why = "no text left after removing boilerplate" if removed else "no article text"
        raise ExtractError(raw.origin, f"{why} ({len(text)} characters)")
    title = _clip_title(title or kept[0])
    inferred = False
    if not outlet:
        # A dateline stays in the text (analyse.sentences starts the first sentence after it).
        names = [n for n in (site_name, byline_outlet) if n]
        dateline = read_dateline(kept[0], known=names, url=url)
        named = (site_name, outlet_from_url(url), byline_outlet, dateline.outlet if dateline else None)
        outlet = next((n for n in named if n), None)
        inferred = outlet is not None
    return Article(
        id=Article.make_id(text=text, url=url, outlet=outlet, title=title),
        title=title,
        text=text,
        outlet=outlet,
        published=published,
        url=url,
        path=raw.path,
        author=author,
        language=language,
        removed=tuple(removed),
        outlet_inferred=inferred,
    )
