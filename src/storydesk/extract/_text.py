"""Plain-text articles: the title and header lines at the top, read line by line.

Convention for plain text (also documented in :mod:`storydesk.extract`):

* the first non-empty line is the title (unless the source already gave one, as JSONL and feeds do) —
  except a site-name line ("Harbour Daily Online": a domain, the URL host's name, the source's outlet, or a
  short capitalised line with a masthead word, see :func:`._outlet.is_site_name`) followed by a
  headline-length line: the site name is then the page's outlet and the next non-empty line the title;
* up to ``MAX_HEADER_LINES`` non-empty lines after it (blank lines between them allowed) may be header
  lines, consumed and not kept as text: the title repeated (pages saved as text often print the headline
  twice, the copy with a trailing no-break space), a date line ("Last updated on April 27th, 2019",
  "Friday, 2019-04-26 18:08:15", "Published: 26 April 2019"), a byline ("By Jane Doe",
  "By Jane Doe · April 25, 2019", "Written by Jane Doe, Email: desk@example.org"; one naming an outlet,
  "By AP" or "By Jane Doe, USA TODAY", also gives ``byline_outlet``), an outlet line ("Source: Daily
  Planet" or "Outlet: Daily Planet"), and, first of all when the source gave the title, a site-name line.
  The header ends at the first line that is none of these: the body starts there. When a field appears
  twice, the first value wins.

Lines are read one by one, so a header packed into one block ("Title\\nDate\\nSource: X") and one spread
over blank-line separated paragraphs read the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import rules
from ._dates import parse_header_date
from ._normalise import normalise_line, split_paragraphs
from ._outlet import is_site_name, outlet_of_byline

__all__ = ["TextHeader", "Byline", "read_header", "parse_byline"]


@dataclass(frozen=True, slots=True)
class TextHeader:
    title: str | None
    published: str | None
    author: str | None
    outlet: str | None
    """From a "Source: NAME" line (the convention for plain text: stated, not inferred)."""
    body: list[str]
    """The paragraphs after the header."""
    site_name: str | None = None
    """A site-name line at the top of the page."""
    byline_outlet: str | None = None
    """The outlet a byline names ("By AP", "By Jane Doe, USA TODAY")."""


@dataclass(frozen=True, slots=True)
class Byline:
    """A byline line: the author's name and, when the line states one, a date (ISO) and an outlet."""

    name: str
    date: str | None = None
    outlet: str | None = None


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
    extras: list[str] = []
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
        elif rules.BYLINE_EXTRA.match(piece):
            extras.append(piece)
        else:
            return None
    return Byline(name=name, date=date, outlet=outlet_of_byline(name, extras))


def _repeats(line: str, title: str | None) -> bool:
    """Whether ``line`` is the title again (case, whitespace, no-break spaces and a final stop aside)."""

    def key(text: str) -> str:
        return normalise_line(text).rstrip(" .!?:").casefold()

    return bool(title) and key(line) == key(title or "")


def _next_line(lines: list[str], at: int) -> int:
    """The index of the first non-empty line from ``at`` (``len(lines)`` when there is none)."""
    while at < len(lines) and not normalise_line(lines[at]):
        at += 1
    return at


def _is_header_line(line: str) -> bool:
    return bool(parse_header_date(line) or parse_byline(line) or rules.OUTLET_RE.match(line))


def _reads_as_body(line: str) -> bool:
    """Whether a first line is the body's first paragraph, not a headline (checked on PolNeAR's 924
    headlines, 4 read as body; and on duc-stories' 413 untitled records of several paragraphs, which all
    lost their first paragraph to the title before, 14 still do, 7 of them lines such as "NATIONAL
    FORECAST &QL;": ``tests/extract/``):

    * longer than a title may be (``MAX_TITLE_CHARS``), or opening on a dateline ("WASHINGTON _ …"); or
    * a sentence: more than ``TITLE_LINE_MAX_SENTENCE_WORDS`` words ending in a full stop, colon or
      semicolon (a closing quotation mark aside; not an abbreviation such as "S.C." or "Corp."), not
      written in title case ("… Isn’t True. Not Yet, At Least." is a headline).
    """
    words = line.split()
    if len(line) > rules.MAX_TITLE_CHARS:
        return True
    if len(words) <= rules.TITLE_LINE_MAX_SENTENCE_WORDS:
        return False
    if rules.BODY_DATELINE_RE.match(line):
        return True
    end = line.rstrip().rstrip("”\"’'")
    if not end.endswith((".", ":", ";")) or rules.ABBREVIATION_END_RE.search(end):
        return False
    inner = [w for w in words[1:] if w[:1].isalpha()]
    capitalised = sum(1 for w in inner if w[0].isupper() and w.casefold() not in rules.TITLE_CASE_SMALL_WORDS)
    return not inner or capitalised / len(inner) <= rules.TITLE_CASE_SHARE


def read_header(
    text: str,
    *,
    has_title: bool,
    title: str | None = None,
    url: str | None = None,
    known_outlets: tuple[str, ...] = (),
) -> TextHeader:
    """Title, date, author and outlet from the top of a plain-text article, and the body paragraphs.

    ``title`` is the title the source gave (with ``has_title``), so that a first line repeating it is
    read as a header line too. ``url`` and ``known_outlets`` (outlet names the source gives) help tell a
    site-name line from a headline.
    """
    known = title
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    at = 0
    title = site_name = None
    if not has_title:
        at = _next_line(lines, 0)
        if at < len(lines):
            first = normalise_line(lines[at])
            after = _next_line(lines, at + 1)
            following = normalise_line(lines[after]) if after < len(lines) else None
            if (
                following
                and not _is_header_line(following)
                and is_site_name(first, following=following, url=url, known=known_outlets)
            ):
                site_name, at = first, after
            line = normalise_line(lines[at])
            if not _reads_as_body(line):
                title = known = line
                at += 1
            # else: no headline, the text opens on its body (the title is made from it, nothing is cut)
    published = author = outlet = byline_outlet = None
    body_start = at
    seen = 0
    while at < len(lines) and seen < rules.MAX_HEADER_LINES:
        line = normalise_line(lines[at])
        at += 1
        if not line:
            continue
        if seen == 0 and _repeats(line, known):
            pass  # the headline printed twice: a header line, dropped
        elif _reads_as_body(line):
            break  # a paragraph ("PARIS, February 20 (Xinhua) -- Declaring that …"), not a date line
        elif when := parse_header_date(line):
            published = published or when
        elif byline := parse_byline(line):
            author = author or byline.name
            published = published or byline.date
            byline_outlet = byline_outlet or byline.outlet
        elif found := rules.OUTLET_RE.match(line):
            outlet = outlet or found.group("name").strip()
        elif (
            has_title
            and seen == 0
            and site_name is None
            and is_site_name(line, following=None, url=url, known=known_outlets)
        ):
            site_name, body_start = line, at
            continue  # not counted: the headline may follow it, printed again
        else:
            break
        seen += 1
        body_start = at
    body = split_paragraphs("\n".join(lines[body_start:]), lines_are_paragraphs=False)
    return TextHeader(
        title=title,
        published=published,
        author=author,
        outlet=outlet,
        body=body,
        site_name=site_name,
        byline_outlet=byline_outlet,
    )
