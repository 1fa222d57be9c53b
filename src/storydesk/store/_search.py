"""Turning a user's search box text into a safe full-text query, and marked snippets into offsets.

A query is read the way web search engines read it (and the way Postgres' ``websearch_to_tsquery``
does): words are ANDed, ``"quoted words"`` form a phrase, ``OR`` between two items makes an
alternative, and ``-word`` excludes. Every word is re-quoted for FTS5, so no user input can reach
FTS5's own syntax (``NEAR(``, ``*``, ``:``, ``^``, unbalanced quotes…) and raise a syntax error.
"""

from __future__ import annotations

import re

from .rules import MARK_END, MARK_START, MAX_QUERY_TERMS

__all__ = ["parse_query", "fts5_query", "websearch_query", "split_marked"]

_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def parse_query(q: str) -> tuple[list[list[list[str]]], list[list[str]]]:
    """``(groups, excluded)``: an AND of groups, each an OR of phrases (lists of words)."""
    groups: list[list[list[str]]] = []
    excluded: list[list[str]] = []
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
        words = _words(text)
        if not words:
            continue
        count += 1
        if negate:
            excluded.append(words)
            pending_or = False
            continue
        if pending_or and groups:
            groups[-1].append(words)
        else:
            groups.append([words])
        pending_or = False
    return groups, excluded


def fts5_query(q: str) -> str | None:
    """An FTS5 MATCH expression for ``q``, or None when ``q`` holds no searchable word."""
    groups, excluded = parse_query(q)
    if not groups:
        return None  # FTS5 cannot express "everything except X"; nothing to search for.

    def phrase(words: list[str]) -> str:
        return '"' + " ".join(words) + '"'

    expr = " AND ".join("(" + " OR ".join(phrase(p) for p in group) + ")" for group in groups)
    for words in excluded:
        expr = f"({expr}) NOT {phrase(words)}"
    return expr


def websearch_query(q: str) -> str | None:
    """The same query rewritten for Postgres' ``websearch_to_tsquery`` (only words, quotes, or, -)."""
    groups, excluded = parse_query(q)
    if not groups:
        return None

    def phrase(words: list[str]) -> str:
        return words[0] if len(words) == 1 else '"' + " ".join(words) + '"'

    parts = [" or ".join(phrase(p) for p in group) for group in groups]
    parts += ["-" + phrase(words) for words in excluded]
    return " ".join(parts)


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
