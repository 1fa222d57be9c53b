"""Everything a streaming clusterer holds, in named parts (placing, revising and rebuilding share it)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .centroids import CentroidIndex
from .open_window import OpenVectors, OpenWindow
from .options import ClusterOptions
from .products import KeptProducts
from .stories import StoryBook, StreamStory
from .text_features import TermWeights

__all__ = ["StreamState"]


@dataclass(eq=False)
class StreamState:
    """The state of a :class:`~storydesk.group.cluster.StreamClusterer`."""

    options: ClusterOptions
    terms: TermWeights  # document frequencies of everything seen, TF-IDF weighing
    stories: StoryBook  # the stories held, each article's story, changes since the last flush
    window: OpenWindow  # the latest arrivals, which a revision may still move
    centroids: CentroidIndex = field(default_factory=CentroidIndex)  # where an article looks for its story
    products: KeptProducts = field(default_factory=KeptProducts)  # products kept between revisions
    dim: int = 0  # the document vectors' size (0: no vector seen yet)
    arrivals: int = 0  # articles placed so far (each article's arrival number is the count before it)
    newest_day: float = -math.inf  # the publication day of the newest dated article seen
    since_revision: int = 0  # articles placed since the last revision
    # stories rebuilt from a store without re-opening any article: a revision never joins two of them
    # (each was written as it is; :func:`~.rebuild.rebuild` with ``reopen=False``)
    sealed: frozenset[str] = frozenset()

    @classmethod
    def empty(cls, options: ClusterOptions) -> StreamState:
        return cls(options, TermWeights(options), StoryBook(), OpenWindow(options))

    def set_dim(self, v: np.ndarray) -> None:
        """Fix the document vectors' size (and whether open ones are kept sparse) from the first one."""
        self.dim = len(v)
        sparse = bool(np.count_nonzero(v) <= self.options.sparse_open_vector_fill * len(v))
        self.window.vectors = OpenVectors(self.dim, sparse)
        for st in self.stories.by_id.values():
            st.vector_sum = np.zeros(self.dim)

    def horizon_day(self) -> float:
        """Stories whose newest article is older than this day are past the horizon."""
        return self.newest_day - self.options.story_horizon_days

    def story(self, story_id: str) -> StreamStory:
        """The story of that id, made empty if it is not held."""
        return self.stories.get_or_add(story_id, self.dim)

    def note_day(self, day: float) -> None:
        """Count a publication day (NaN: undated) towards the newest one seen."""
        if not math.isnan(day):
            self.newest_day = max(self.newest_day, day)
