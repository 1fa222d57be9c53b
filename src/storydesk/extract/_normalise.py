"""Text normalisation: Unicode NFC, whitespace collapsed within lines, paragraphs split on blank lines."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_line", "split_paragraphs", "join_paragraphs"]

_SPACE = re.compile(r"[^\S\n]+|[\u200b\u200c\u200d\u2060\ufeff]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
#: Control characters (NUL included): never text, and Postgres refuses NUL in a text column.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: In a blank-line-separated block whose lines are all shorter than this, each line is a paragraph.
SHORT_LINE_CHARS = 60
_BLANK = re.compile(r"\n\s*\n")


def normalise_line(line: str) -> str:
    line = _CONTROL.sub(" ", _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", line)))
    return " ".join(line.split())


def split_paragraphs(text: str, *, lines_are_paragraphs: bool) -> list[str]:
    """Paragraphs of ``text``: blank-line separated blocks (inner line breaks joined with a space), or,
    with ``lines_are_paragraphs``, or when the text has no blank line at all, every non-empty line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if lines_are_paragraphs or not _BLANK.search(text.strip()):
        blocks = text.split("\n")
    else:
        blocks = []
        for block in _BLANK.split(text):
            lines = [line for line in block.split("\n") if line.strip()]
            # A block of short lines (a header, a list, chrome) keeps its lines; prose is re-joined.
            if len(lines) > 1 and all(len(line.strip()) < SHORT_LINE_CHARS for line in lines):
                blocks.extend(lines)
            else:
                blocks.append(block)
    out = [normalise_line(b) for b in blocks]
    return [b for b in out if b]


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)
