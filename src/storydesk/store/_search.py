"""Turning a user's search box text into a safe full-text query, and marked snippets into offsets.

A query is read the way web search engines read it (and the way Postgres' ``websearch_to_tsquery``
does): words are ANDed, ``"quoted words"`` form a phrase, ``OR`` between two items makes an
alternative, and ``-word`` excludes. Every word is re-quoted for FTS5, so no user input can reach
FTS5's own syntax (``NEAR(``, ``*``, ``:``, ``^``, unbalanced quotes…) and raise a syntax error.
"""

from __future__ import annotations

import re

from .rules import MARK_END, MARK_START, MAX_QUERY_TERMS

__all__ = ["fts5_query", "split_marked"]

_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def _phrase(text: str) -> str | None:
    words = _WORD.findall(text)
    if not words:
        return None
    return '"' + " ".join(words) + '"'


def fts5_query(q: str) -> str | None:
    """An FTS5 MATCH expression for ``q``, or None when ``q`` holds no searchable word."""
    groups: list[list[str]] = []  # AND of ORs
    excluded: list[str] = []
    pending_or = False
    count = 0
    for match in _CHUNK.finditer(q):
        if count >= MAX_QUERY_TERMS:
            break
        negate, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare == "OR":
                pending_or = bool(groups)
                continue
            negate = "-" if bare.startswith("-") and len(bare) > 1 else ""
            text = bare[1:] if negate else bare
        else:
            text = quoted
        phrase = _phrase(text)
        if phrase is None:
            continue
        count += 1
        if negate:
            excluded.append(phrase)
            pending_or = False
            continue
        if pending_or and groups:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        pending_or = False
    if not groups:
        return None  # FTS5 cannot express "everything except X"; nothing to search for.
    expr = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
    for phrase in excluded:
        expr = f"({expr}) NOT {phrase}"
    return expr


def split_marked(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Remove the match markers from a snippet; return the plain text and the matched spans."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for piece in re.split(f"([{re.escape(MARK_START)}{re.escape(MARK_END)}])", marked):
        if piece == MARK_START:
            start = length
        elif piece == MARK_END:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        elif piece:
            out.append(piece)
            length += len(piece)
    return "".join(out), tuple(spans)
