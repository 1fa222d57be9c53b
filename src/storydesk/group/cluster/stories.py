"""The stories a streaming clusterer holds: members, sums over the frozen members, and what changed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ...model import Story
from .options import ClusterOptions
from .sparse import SparseVector
from .timing import TimeProfile

__all__ = ["StoryChanges", "StreamStory", "StoryBook", "fold_into"]

#: An article's place in its story's order: (publication date or "9999", id).
SortKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class StoryChanges:
    """What a :meth:`StreamClusterer.flush` reports: stories to (re)save and stories to delete.

    ``retired``: stories let go from memory since the last flush (older than the horizon; see
    :class:`StreamClusterer`). They stay valid in the store and are not to be deleted.
    """

    changed: frozenset[str]
    removed: frozenset[str]
    retired: frozenset[str] = frozenset()


class StreamStory:
    """One streamed story: its members, and sums over its *frozen* members (no per-article rows): their
    document vectors, weighted word and name rows, pair similarities and known times."""

    __slots__ = (
        "id",
        "members",
        "frozen_count",
        "vector_sum",
        "word_sum",
        "name_sum",
        "frozen_pair_sum",
        "pair_sum",
        "frozen_first_day",
        "frozen_last_day",
        "time_profile",
        "last_arrival",
        "sums_token",
    )

    def __init__(self, story_id: str, dim: int) -> None:
        self.id = story_id
        self.members: dict[str, SortKey] = {}  # article id -> sort key
        self.frozen_count = 0
        self.vector_sum = np.zeros(dim, dtype=np.float64)
        self.word_sum = SparseVector()
        self.name_sum = SparseVector()
        self.frozen_pair_sum = 0.0  # sum of pair similarities among frozen members
        self.pair_sum = 0.0  # ... among all members (kept as articles join; recomputed by revisions)
        self.frozen_first_day = math.nan  # first and last publication day of the frozen members
        self.frozen_last_day = math.nan
        self.time_profile = TimeProfile()  # the known times of the frozen members (timing.py)
        self.last_arrival = -1  # arrival number of the newest member (ages stories without dates)
        self.sums_token = -1  # names the current frozen sums (see products.py); set by the clusterer

    def as_story(self, related: tuple[str, ...] = ()) -> Story:
        """The public record: members in publication order (and the ``related`` stories given)."""
        ordered = sorted(self.members.items(), key=lambda kv: kv[1])
        return Story(id=self.id, article_ids=tuple(aid for aid, _ in ordered), related=related)


def fold_into(
    story: StreamStory,
    vectors: np.ndarray,
    words: sp.csr_matrix,
    names: sp.csr_matrix,
    days: Sequence[float],
    times: tuple[Sequence[float], Sequence[float]],
    *,
    options: ClusterOptions,
    scratch: tuple[np.ndarray, np.ndarray],
    token: int,
) -> None:
    """Add articles (their vectors, weighted word and name rows, publication ``days`` and ``times``, the
    first and last days of their time intervals) to a story's frozen sums and its frozen pair-similarity
    sum; ``token`` names the new sums, ``scratch`` are zeroed dense buffers."""
    vector_sum = vectors.sum(axis=0)
    add_words, add_names = SparseVector.total(words), SparseVector.total(names)
    # pairs among the new rows: (|sum|² - Σ|row|²) / 2, then pairs with what the story holds already
    own = options.weight_vector * float(np.einsum("ij,ij->", vectors, vectors))
    own += options.weight_words * float(words.data @ words.data)
    own += options.weight_names * float(names.data @ names.data)
    among = options.weight_vector * float(vector_sum @ vector_sum)
    among += options.weight_words * float(add_words.values @ add_words.values)
    among += options.weight_names * float(add_names.values @ add_names.values)
    cross = options.weight_vector * float(story.vector_sum @ vector_sum)
    cross += options.weight_words * story.word_sum.dot_sparse(add_words, scratch[0])
    cross += options.weight_names * story.name_sum.dot_sparse(add_names, scratch[1])
    story.frozen_pair_sum += (among - own) / 2 + cross
    story.vector_sum = story.vector_sum + vector_sum
    story.word_sum = story.word_sum + add_words
    story.name_sum = story.name_sum + add_names
    story.frozen_count += len(vectors)
    story.time_profile = story.time_profile + TimeProfile.of(*times)
    story.sums_token = token
    for d in days:
        story.frozen_first_day = float(np.fmin(story.frozen_first_day, d))
        story.frozen_last_day = float(np.fmax(story.frozen_last_day, d))


class StoryBook:
    """The stories held in memory, the story of each article held, and the changes since the last flush.

    A story let go of (past the horizon) with changes not yet reported stays *retiring*: reported as
    changed by the next flush and listed until the one after.
    """

    def __init__(self) -> None:
        self.by_id: dict[str, StreamStory] = {}
        self.story_of: dict[str, str] = {}  # article id -> story id
        self.changed: set[str] = set()
        self.removed: set[str] = set()
        self.retired: set[str] = set()
        self.retiring: dict[str, tuple[Story, bool]] = {}  # let go of, unsaved: (story, reported)
        self.related: dict[str, tuple[str, ...]] = {}  # story id -> related story ids, as of the last flush
        self._last_token = 0

    def new_token(self) -> int:
        """A name for a story's new frozen sums."""
        self._last_token += 1
        return self._last_token

    def get_or_add(self, story_id: str, dim: int) -> StreamStory:
        story = self.by_id.get(story_id)
        if story is None:
            story = self.by_id[story_id] = StreamStory(story_id, dim)
        return story

    def let_go(self, horizon_day: float, arrivals: int, undated_story_arrivals: int) -> None:
        """Drop the stories past the horizon (no open members, newest article before ``horizon_day``, or
        undated and without an article in the last ``undated_story_arrivals``)."""
        old = [
            st
            for st in self.by_id.values()
            if st.frozen_count == len(st.members)
            and (
                st.frozen_last_day < horizon_day
                or (math.isnan(st.frozen_last_day) and arrivals - st.last_arrival > undated_story_arrivals)
            )
        ]
        for st in old:
            del self.by_id[st.id]
            self.retired.add(st.id)
            if st.id in self.changed:
                # changed since the last flush: still reported (and listed) once before it goes
                self.changed.discard(st.id)
                self.retiring[st.id] = (st.as_story(self.related.get(st.id, ())), False)
            else:
                for aid in st.members:
                    del self.story_of[aid]
                self.related.pop(st.id, None)

    def take_changes(self) -> StoryChanges:
        """The changes since the last call (see :meth:`StreamClusterer.flush`), cleared."""
        for sid, (story, reported) in list(self.retiring.items()):
            if reported:
                del self.retiring[sid]
                self.related.pop(sid, None)
                for aid in story.article_ids:
                    self.story_of.pop(aid, None)
        retiring = {sid for sid, (_, reported) in self.retiring.items() if not reported}
        self.retiring = {sid: (story, True) for sid, (story, _) in self.retiring.items()}
        changed = frozenset({s for s in self.changed if s in self.by_id} | retiring)
        removed = frozenset(s for s in self.removed if s not in self.by_id)
        for s in removed:
            self.related.pop(s, None)
        retired = frozenset(self.retired)
        self.changed.clear()
        self.removed.clear()
        self.retired.clear()
        return StoryChanges(changed=changed, removed=removed, retired=retired)

    def listed(self) -> list[Story]:
        """The stories held, and those retiring, largest first (articles in publication order)."""
        out = [st.as_story(self.related.get(st.id, ())) for st in self.by_id.values() if st.members]
        out += [story for story, _ in self.retiring.values()]
        out.sort(key=lambda s: (-len(s.article_ids), s.id))
        return out
