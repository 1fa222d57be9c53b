"""Step 1 of the cascade: the quoted spans of a text, paragraph by paragraph (no parse needed)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..rules import (
    QUOTE_PAIRS,
)

_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = frozenset({".", "!", "?"})
_CLOSERS = frozenset(QUOTE_PAIRS.values())
#: An opening quotation mark ('' is one mark of two characters).
_OPENER = re.compile("|".join(re.escape(m) for m in sorted(QUOTE_PAIRS, key=len, reverse=True)))


@dataclass
class _Segment:
    start: int  # first character inside the marks
    end: int  # one past the last character inside
    outer_start: int
    outer_end: int
    paragraph: int  # the paragraph of the closing mark
    closed: bool
    parts: list[tuple[int, int]]
    first_paragraph: int = -1  # the paragraph of the opening mark


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARAGRAPH.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _segments_in(text: str, start: int, end: int, paragraph: int) -> list[_Segment]:
    segments: list[_Segment] = []
    i = start
    while i < end:
        found = _OPENER.search(text, i, end)
        if found is None:
            break
        i, mark = found.start(), found.group(0)
        if mark == '"' and i > start and text[i - 1].isalnum():
            i += 1
            continue
        closer = QUOTE_PAIRS[mark]
        j = text.find(closer, i + len(mark), end)
        if mark == "“":
            # A curly quotation closes with ” (tolerate a straight closing mark).
            alt = text.find('"', i + 1, end)
            j = j if j != -1 and (alt == -1 or j < alt) else alt
            closer = text[j] if j != -1 else closer
        if j == -1:
            segments.append(
                _Segment(i + len(mark), end, i, end, paragraph, False, [(i + len(mark), end)], paragraph)
            )
            break
        segments.append(
            _Segment(i + len(mark), j, i, j + len(closer), paragraph, True, [(i + len(mark), j)], paragraph)
        )
        i = j + len(closer)
    return segments


def _find_segments(text: str) -> list[_Segment]:
    """Quoted spans, with unclosed paragraph-final quotations joined to the next paragraph's."""
    segments: list[_Segment] = []
    paragraphs = _paragraphs(text)
    for p, (s, e) in enumerate(paragraphs):
        for seg in _segments_in(text, s, e, p):
            prev = segments[-1] if segments else None
            if (
                prev is not None
                and not prev.closed
                and prev.paragraph == p - 1
                and seg.outer_start == s + (len(text[s:e]) - len(text[s:e].lstrip()))
            ):
                prev.parts.append((seg.start, seg.end))
                prev.end, prev.outer_end, prev.closed, prev.paragraph = seg.end, seg.outer_end, seg.closed, p
                continue
            segments.append(seg)
    for seg in segments:  # trim whitespace inside the parts
        seg.parts = [
            (a + len(text[a:b]) - len(text[a:b].lstrip()), b - (len(text[a:b]) - len(text[a:b].rstrip())))
            for a, b in seg.parts
        ]
    return segments


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` inside quotation marks (a quotation over two paragraphs gives two)."""
    return [part for seg in _find_segments(text) for part in seg.parts]
