"""Readers for the evaluation sets in ``../shared/data``.

``mds`` JSON Lines (multi-document summarization): one cluster per line,
``{"id", "set", "articles": [{"id", "outlet", "published", "title", "text"}], "summaries": [str],
"peers": {system: summary}}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..model import Article

__all__ = ["MdsCluster", "read_mds"]


@dataclass(frozen=True, slots=True)
class MdsCluster:
    """One summarization cluster: its articles, the human reference summaries and published peers."""

    id: str
    set: str
    articles: tuple[Article, ...]
    summaries: tuple[str, ...]
    peers: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


def _iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8") as fh:
            yield from enumerate(fh, start=1)
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc}") from exc


def read_mds(path: str | Path) -> list[MdsCluster]:
    """All clusters of an ``mds`` JSON Lines file, in file order."""
    path = Path(path)
    clusters: list[MdsCluster] = []
    for lineno, line in _iter_lines(path):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            articles = tuple(
                Article(
                    id=str(a["id"]),
                    title=a.get("title") or "",
                    text=a["text"],
                    outlet=a.get("outlet"),
                    published=a.get("published"),
                )
                for a in row["articles"]
            )
            clusters.append(
                MdsCluster(
                    id=str(row["id"]),
                    set=str(row.get("set", "")),
                    articles=articles,
                    summaries=tuple(row["summaries"]),
                    peers=dict(row.get("peers") or {}),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise IngestError(f"{path}:{lineno}", f"not an mds cluster record: {exc}") from exc
    return clusters
