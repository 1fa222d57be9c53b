"""Sources: articles of one outlet are one source, and so are copies of one wire story carried by
different outlets (most of their sentences identical) and an outlet named once in full and once by its
initials ("Associated Press", "AP"). An article whose outlet is unknown is its own source."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from ...analyse import ArticleAnalysis
from ...model import normalise_for_id
from .options import DEFAULT_CLAIM_OPTIONS, ClaimOptions

__all__ = ["source_groups", "DisjointSets"]

K = TypeVar("K", bound=Hashable)


class DisjointSets(Generic[K]):
    """Union-find over ``keys`` (path halving): which keys have been joined, directly or not."""

    def __init__(self, keys: Sequence[K]) -> None:
        self._parent: dict[K, K] = {k: k for k in keys}

    def root(self, x: K) -> K:
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, keep: K, other: K) -> None:
        """Join the set of ``other`` to the set of ``keep`` (whose root stays the root)."""
        self._parent[self.root(other)] = self.root(keep)


def _initials(name: str) -> str:
    """The initials of a name of two or more capitalised words, a leading "The" left out ("The New York
    Times" → "NYT"); "" for a shorter name."""
    words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper()]
    if words and words[0] == "The":
        words = words[1:]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def source_groups(
    analyses: Sequence[ArticleAnalysis], options: ClaimOptions = DEFAULT_CLAIM_OPTIONS
) -> dict[str, str]:
    """Each article id → its source key: its outlet, shared by copies of one wire story across outlets."""
    articles = [a.article for a in analyses]
    keys = {a.id: (a.outlet or a.id).strip().casefold() for a in articles}
    sets = {
        a.article.id: {normalise_for_id(s.text) for s in a.sentences if len(s.text.split()) >= 4}
        for a in analyses
    }
    sets_of = DisjointSets([a.id for a in articles])
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        by_outlet[keys[a.id]].append(a.id)
    for ids in by_outlet.values():
        for other in ids[1:]:
            sets_of.join(ids[0], other)
    # An outlet named by its initials is that outlet: "AP" and "Associated Press", "NYT" and "The New
    # York Times" (a dateline and a source field name one agency two ways).
    named = {a.outlet.strip(): a.id for a in articles if a.outlet and a.outlet.strip()}
    for short, short_id in named.items():
        letters = re.sub(r"[^A-Za-z]", "", short)
        if len(letters) < 2 or not letters.isupper():
            continue
        for full, full_id in named.items():
            if full != short and _initials(full) == letters:
                sets_of.join(full_id, short_id)
    for i, a in enumerate(articles):
        for b in articles[i + 1 :]:
            sa, sb = sets[a.id], sets[b.id]
            if sa and sb and len(sa & sb) >= options.wire_copy_share * min(len(sa), len(sb)):
                sets_of.join(a.id, b.id)
    return {a.id: keys[sets_of.root(a.id)] for a in articles}
