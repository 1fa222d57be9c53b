"""The line-level boilerplate filter: page chrome written as ordinary paragraphs.

trafilatura drops chrome only when the HTML marks it (``entry-meta``, ``comment-respond``…); written as
plain ``<p>`` lines, "Leave a Reply", "Posted on by", "Font Size: | Print" or "© 2019 … Network" survive.
:func:`drop_boilerplate_lines` removes such lines for every input kind. Each decision is one small
function; the patterns live in :mod:`storydesk.extract.rules`. Measured on the labelled corpus in
``tests/fixtures/boilerplate/lines.tsv`` by ``bench/boilerplate_eval.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import rules
from ._dates import parse_header_date
from ._text import parse_byline

__all__ = ["drop_boilerplate_lines", "is_boilerplate_line", "why_boilerplate"]

_WORD = re.compile(r"[\w'’@.-]+")
_TOKENS = re.compile(r"[^\W_]+(?:-[^\W_]+)?")


def _words(line: str) -> int:
    return len(line.split())


def is_template_line(line: str) -> bool:
    """Template text that is never news, at any length (comment forms, cookie notices, copyright)."""
    if rules.COPYRIGHT_LINE.match(line):
        return True
    lower = line.lower()
    return any(
        any(n in lower for n in needles) and pattern.search(line) for needles, pattern in rules.ANYWHERE
    )


def is_short_chrome(line: str) -> bool:
    """A short line that starts like chrome: share/follow/subscribe, related links, photo credits…"""
    if _words(line) > rules.SHORT_LINE_MAX_WORDS:
        return False
    return any(p.match(line) for p in rules.SHORT_LINE)


def is_caption(line: str) -> bool:
    """A photo caption or credit: "Photo: …", "(Photo: …)", "Pictured: …", "Image: …", at any length."""
    return bool(rules.CAPTION_LINE.match(line))


def is_byline(line: str) -> bool:
    """A byline, with or without a date: "By Jane Doe", "By Jane Doe · April 25, 2019"."""
    if _words(line) > rules.BYLINE_MAX_WORDS:
        return False
    if _words(line) <= rules.SHORT_LINE_MAX_WORDS and rules.BYLINE_LINE.match(line):
        return True
    return parse_byline(line) is not None


def is_share_row(line: str) -> bool:
    """Only names of share targets: "Facebook Twitter WhatsApp Email"."""
    if len(line) > rules.SHARE_ROW_MAX_CHARS:  # cheap: tokenising every long paragraph is not
        return False
    tokens = [t.lower() for t in _TOKENS.findall(line)]
    return (
        bool(tokens)
        and len(tokens) <= rules.SHARE_ROW_MAX_TOKENS
        and all(t in rules.SOCIAL_WORDS for t in tokens)
    )


def is_menu(line: str) -> bool:
    """Short pieces between "|", "•" or "»": "Home | World | Business" (a table row "| a | b |" is kept)."""
    if line.startswith("|") and line.endswith("|"):
        return False
    pieces = [p.strip() for p in re.split(r"[|•»›]", line)]
    if len(pieces) - 1 < rules.MENU_MIN_SEPARATORS:
        return False
    return all(_words(p) <= rules.MENU_MAX_PIECE_WORDS for p in pieces)


def is_tag_list(line: str) -> bool:
    """Comma-separated capitalised keywords with no sentence: "Brexit, EU, Theresa May, Parliament"."""
    if line.rstrip().endswith((".", "!", "?", '"', "”", ":")):
        return False
    pieces = [p.strip() for p in line.split(",")]
    if len(pieces) - 1 < rules.TAG_LIST_MIN_COMMAS or ":" in pieces[0]:
        return False
    return all(
        p and _words(p) <= rules.TAG_LIST_MAX_PIECE_WORDS and (p[0].isupper() or p[0].isdigit())
        for p in pieces
    )


def is_date_line(line: str) -> bool:
    """A line that is nothing but a date: "Last updated on April 27th, 2019"."""
    return parse_header_date(line) is not None


def is_empty_punctuation(line: str) -> bool:
    """Lines with no letters or digits at all ("|", "* * *")."""
    return not any(c.isalnum() for c in line)


_CHECKS = (
    is_empty_punctuation,
    is_template_line,
    is_caption,
    is_short_chrome,
    is_byline,
    is_share_row,
    is_menu,
    is_tag_list,
    is_date_line,
)


def why_boilerplate(line: str) -> str | None:
    """The name of the first check that calls ``line`` chrome, or None when it is kept."""
    text = " ".join(line.split())
    if not text:
        return None
    for check in _CHECKS:
        if check(text):
            return check.__name__
    return None


def is_boilerplate_line(line: str) -> bool:
    """True when ``line`` (one paragraph) is page chrome rather than article text."""
    return why_boilerplate(line) is not None


def drop_boilerplate_lines(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split paragraphs into (kept, removed), both in order. Blank lines are neither."""
    kept: list[str] = []
    removed: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        (removed if is_boilerplate_line(line) else kept).append(line)
    return kept, removed
