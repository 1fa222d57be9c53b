"""OPML subscription lists through listparser: each feed becomes a source, its folders its tags.

A feed inside nested outlines ``News`` › ``World`` gets the tag ``News/World``; a ``category``
attribute adds its own tags; a feed listed in two folders gets both. Nothing is fetched: importing 500
feeds stores 500 sources, and the watch loop fetches them later, a few at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Source
from ._feeds import SourceProblem
from ._records import source_id
from ._urls import canonical_url, check_url

__all__ = ["OpmlList", "read_opml"]


@dataclass(frozen=True, slots=True)
class OpmlList:
    title: str | None
    sources: tuple[Source, ...]
    problems: tuple[str, ...] = ()
    """One line per outline that could not become a source (its URL and why)."""


def read_opml(data: bytes) -> OpmlList:
    """The feeds of an OPML file; :class:`SourceProblem` when ``data`` is no subscription list."""
    import listparser

    parsed = listparser.parse(data)
    version = parsed.get("version") or ""
    if not version:
        problem = parsed.get("bozo_exception")
        why = f" ({problem})" if parsed.get("bozo") and problem else ""
        raise SourceProblem(f"not an OPML subscription list{why}")
    by_id: dict[str, Source] = {}
    problems: list[str] = []
    for feed in parsed.get("feeds") or []:
        url = (feed.get("url") or "").strip()
        problem = check_url(url)
        if problem:
            problems.append(f"{url or '(empty xmlUrl)'}: {problem}")
            continue
        canon = canonical_url(url)
        tags = [
            "/".join(part.strip() for part in path if part.strip()) for path in feed.get("categories") or []
        ]
        tags += [t.strip() for t in feed.get("tags") or []]
        sid = source_id(canon)
        known = by_id.get(sid)
        merged = tuple(dict.fromkeys([*(known.tags if known else ()), *(t for t in tags if t)]))
        title = (feed.get("title") or "").strip() or None
        by_id[sid] = Source(
            id=sid, url=canon, kind="feed", title=(known.title if known else None) or title, tags=merged
        )
    meta = parsed.get("meta") or {}
    return OpmlList((meta.get("title") or "").strip() or None, tuple(by_id.values()), tuple(problems))
