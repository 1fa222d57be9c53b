"""Plain-text articles: the title and header lines at the top.

Convention for plain text (also documented in :mod:`storydesk.extract`):

* the first non-empty line is the title (unless the source already gave one, as JSONL and feeds do);
* up to ``MAX_HEADER_LINES`` lines right after it may be header lines, consumed and not kept as text:
  a date line ("Last updated on April 27th, 2019", "Friday, 2019-04-26 18:08:15",
  "Published: 26 April 2019"), a byline ("By Jane Doe"), an outlet line ("Source: Daily Planet" or
  "Outlet: Daily Planet"). The header ends at the first line that is none of these.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import rules
from ._dates import parse_header_date

__all__ = ["TextHeader", "read_header"]


@dataclass(frozen=True, slots=True)
class TextHeader:
    title: str | None
    published: str | None
    author: str | None
    outlet: str | None
    body: list[str]


def read_header(paragraphs: list[str], *, has_title: bool) -> TextHeader:
    lines = list(paragraphs)
    title = None
    if not has_title and lines:
        title = lines.pop(0)
    published = author = outlet = None
    consumed = 0
    for line in lines[: rules.MAX_HEADER_LINES]:
        if published is None and (found := parse_header_date(line)):
            published = found
        elif author is None and (m := rules.BYLINE_RE.match(line)):
            author = m.group("name").strip()
        elif outlet is None and (m := rules.OUTLET_RE.match(line)):
            outlet = m.group("name").strip()
        else:
            break
        consumed += 1
    return TextHeader(title=title, published=published, author=author, outlet=outlet, body=lines[consumed:])
