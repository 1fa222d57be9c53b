"""The incremental story index ``ingest`` feeds one article at a time (streaming dedup + clustering)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

import numpy as np

from ..model import Article, Story
from .cluster import StreamClusterer
from .dedup import DuplicateIndex
from .features import Prepared
from .options import GroupOptions

__all__ = ["StoryIndex"]


class StoryIndex:
    """Streaming dedup + clustering for ``ingest``: rebuilt from stored state, fed one article at a time.

    Existing stories keep their ids as they grow, so the store can update only the stories touched.
    It holds no article texts: near-duplicates found are handed out by :meth:`take_duplicates` (the store
    keeps them), and the clusterer keeps per-story sums and a bounded window of recent articles.
    """

    def __init__(self, options: GroupOptions | None = None) -> None:
        self.options = options or GroupOptions()
        self._new_duplicates: dict[str, str] = {}
        # the latest arrivals placed by the clusterer: their stories may still change in a revision
        self._recent: deque[str] = deque(maxlen=self.options.cluster.open_window)
        self._dedup = DuplicateIndex(self.options.dedup)
        self._clusterer = StreamClusterer(self.options.cluster)

    @classmethod
    def from_store(
        cls,
        placed: Callable[[], Iterable[tuple[Article, np.ndarray, str]]],
        seen: Iterable[Article],
        options: GroupOptions | None = None,
    ) -> StoryIndex:
        """Rebuild from stored state without loading it all: ``placed()`` yields (story member, its vector,
        its story id) in arrival order and may be called more than once; ``seen`` yields every stored
        article (members and folded copies) in arrival order, for near-duplicate detection."""
        self = cls(options)
        for article in seen:
            self._dedup.add(article)
        self._clusterer = StreamClusterer.from_stored(placed, self.options.cluster)
        return self

    def add(
        self, article: Article, vector: np.ndarray, prepared: Prepared | None = None
    ) -> tuple[str | None, str | None]:
        """Place one new article: returns (story id, canonical id if it is a near-duplicate).

        ``prepared`` may give its features, made ahead. The story id is None for a near-duplicate of an
        article whose story is no longer held in memory (older than the clusterer's horizon); the caller
        finds it in the store.
        """
        canonical = self._dedup.add(article, None if prepared is None else prepared.shingles)
        if canonical is not None and canonical != article.id:
            self._new_duplicates[article.id] = canonical
            return self.story_of(canonical), canonical
        self._recent.append(article.id)
        raw = None if prepared is None else (prepared.words, prepared.names)
        return self._clusterer.add(article, vector, raw), None

    def open_stories(self) -> set[str]:
        """Stories with a member among the latest ``open_window`` arrivals: a revision may still change
        them, so a long run may wait before briefing them."""
        return {sid for a in self._recent if (sid := self.story_of(a)) is not None}

    def story_of(self, article_id: str) -> str | None:
        try:
            return self._clusterer.story_of(article_id)
        except KeyError:
            return None

    def take_duplicates(self) -> dict[str, str]:
        """Near-duplicates (copy id → canonical id) found since the last call."""
        out, self._new_duplicates = self._new_duplicates, {}
        return out

    def flush(self) -> tuple[frozenset[str], frozenset[str]]:
        """Revise recent assignments; returns (story ids changed, story ids removed) since the last flush."""
        changes = self._clusterer.flush()
        return changes.changed, changes.removed

    def stories(self) -> list[Story]:
        """The stories held in memory, members only (folded copies live in the store)."""
        return self._clusterer.stories()
