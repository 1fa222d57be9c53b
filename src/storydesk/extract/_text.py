"""Plain-text articles: the title and header lines at the top, read line by line.

Convention for plain text (also documented in :mod:`storydesk.extract`):

* the first non-empty line is the title (unless the source already gave one, as JSONL and feeds do);
* up to ``MAX_HEADER_LINES`` non-empty lines after it (blank lines between them allowed) may be header
  lines, consumed and not kept as text: the title repeated (pages saved as text often print the headline
  twice, the copy with a trailing no-break space), a date line ("Last updated on April 27th, 2019",
  "Friday, 2019-04-26 18:08:15", "Published: 26 April 2019"), a byline ("By Jane Doe",
  "By Jane Doe · April 25, 2019", "Written by Jane Doe, Email: desk@example.org"), an outlet line
  ("Source: Daily Planet" or "Outlet: Daily Planet"). The header ends at the first line that is none of
  these: the body starts there. When a field appears twice, the first value wins.

Lines are read one by one, so a header packed into one block ("Title\\nDate\\nSource: X") and one spread
over blank-line separated paragraphs read the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import rules
from ._dates import parse_header_date
from ._normalise import normalise_line, split_paragraphs

__all__ = ["TextHeader", "Byline", "read_header", "parse_byline"]


@dataclass(frozen=True, slots=True)
class TextHeader:
    title: str | None
    published: str | None
    author: str | None
    outlet: str | None
    body: list[str]
    """The paragraphs after the header."""


@dataclass(frozen=True, slots=True)
class Byline:
    """A byline line: the author's name and, when the line states one, a date (ISO)."""

    name: str
    date: str | None = None


def parse_byline(line: str) -> Byline | None:
    """The name (and date) of a byline ("By Jane Doe · April 25, 2019"); None when ``line`` is not one."""
    found = rules.BYLINE_PREFIX.match(line.strip())
    if not found:
        return None
    pieces = [p for p in rules.BYLINE_SEPARATOR.split(found.group("rest")) if p]
    if not pieces:
        return None
    name = rules.BYLINE_CONTACT_TAIL.sub("", pieces[0]).strip(" ,")
    date = None
    head, comma, tail = name.partition(",")
    if comma and (in_name := parse_header_date(tail)):  # "By Owen Talbot, April 23, 2019"
        name, date = head.strip(), in_name
    if not rules.BYLINE_NAME.match(name):
        return None
    for piece in pieces[1:]:
        piece = rules.BYLINE_CONTACT_TAIL.sub("", piece).strip(" ,")
        if not piece:
            continue
        when = parse_header_date(piece)
        if when:
            date = date or when
        elif not rules.BYLINE_EXTRA.match(piece):
            return None
    return Byline(name=name, date=date)


def _repeats(line: str, title: str | None) -> bool:
    """Whether ``line`` is the title again (case, whitespace, no-break spaces and a final stop aside)."""

    def key(text: str) -> str:
        return normalise_line(text).rstrip(" .!?:").casefold()

    return bool(title) and key(line) == key(title or "")


def read_header(text: str, *, has_title: bool, title: str | None = None) -> TextHeader:
    """Title, date, author and outlet from the top of a plain-text article, and the body paragraphs.

    ``title`` is the title the source gave (with ``has_title``), so that a first line repeating it is
    read as a header line too.
    """
    known = title
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    at = 0
    title = None
    if not has_title:
        while at < len(lines) and not normalise_line(lines[at]):
            at += 1
        if at < len(lines):
            title = known = normalise_line(lines[at])
            at += 1
    published = author = outlet = None
    body_start = at
    seen = 0
    while at < len(lines) and seen < rules.MAX_HEADER_LINES:
        line = normalise_line(lines[at])
        at += 1
        if not line:
            continue
        if seen == 0 and _repeats(line, known):
            pass  # the headline printed twice: a header line, dropped
        elif when := parse_header_date(line):
            published = published or when
        elif byline := parse_byline(line):
            author = author or byline.name
            published = published or byline.date
        elif found := rules.OUTLET_RE.match(line):
            outlet = outlet or found.group("name").strip()
        else:
            break
        seen += 1
        body_start = at
    body = split_paragraphs("\n".join(lines[body_start:]), lines_are_paragraphs=False)
    return TextHeader(title=title, published=published, author=author, outlet=outlet, body=body)
