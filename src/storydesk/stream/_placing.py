"""Placing stored articles into stories, a chunk at a time, and deciding which stories are due a briefing.

A chunk goes through the streaming story index (dedup → clustering) in publication order; the index then
revises its recent assignments. A story that changed but may still change (it has members among the
index's open window) waits for a later chunk or the end of the run, so in a long run each story is briefed
about once, when it has gone quiet.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..components import Components
from ..group import StoryIndex
from ..model import Article, Story, article_sort_key
from ._interfaces import IngestStore, NewArticle
from ._storing import document_vectors

__all__ = ["Placement", "StoryPlacer"]


@dataclass(frozen=True)
class Placement:
    """What placing one chunk changed."""

    #: Near-duplicates found (copy id → canonical id), to be recorded.
    duplicates: dict[str, str] = field(default_factory=dict)
    #: Stories to brief now (changed and gone quiet, or any changed one at the end of the run), by id.
    due: list[Story] = field(default_factory=list)
    #: Ids of stories that no longer exist (merged into others), to be deleted.
    removed: frozenset[str] = frozenset()


class StoryPlacer:
    """The streaming story index over a store, and the stories waiting to be briefed.

    :meth:`start` rebuilds the index from what is stored (once per run, before the first placement);
    :meth:`place` places a chunk.
    """

    def __init__(self, store: IngestStore, components: Components) -> None:
        self._store = store
        self._components = components
        self._index: StoryIndex | None = None
        self._deferred: dict[str, Story] = {}  # changed stories not briefed yet, by id

    @property
    def started(self) -> bool:
        return self._index is not None

    def has_unplaced(self) -> bool:
        """Whether the store holds articles in no story (left by an interrupted run)."""
        with self._components.timer("store"):
            return next(iter(self._store.iter_unplaced()), None) is not None

    def start(self, exclude: set[str], chunk: int) -> Iterator[list[NewArticle]]:
        """Build the index over what is stored, then yield, ``chunk`` at a time, the articles an
        interrupted run left unplaced (not those in ``exclude``, which the caller places itself); the
        caller places each before asking for the next."""
        store, components, timer = self._store, self._components, self._components.timer
        model = components.embedder.name

        def placed() -> Iterator[tuple[Article, np.ndarray, str]]:
            for article, vector, story_id in store.iter_placed(model):
                if vector is None:
                    vector = document_vectors([article], components)[0]
                yield article, vector, story_id

        with timer("store"):
            unplaced = [a.id for a in store.iter_unplaced()]
        waiting = set(unplaced)
        with timer("dedup+cluster"):
            # Near-duplicate detection is rebuilt from the articles placed already: those stored but not
            # placed yet (this run's first chunk, an interrupted run's leftovers) are decided when they are
            # placed, in placing order. Fed here as well, they were decided twice, the second time after
            # the index's horizon had moved to the newest of them, so a copy published more than the
            # horizon before that lost its original (#19: 11 copies of duc-stories' first chunk).
            seen = (a for a in store.iter_articles() if a.id not in waiting)
            # The leftovers' words are counted before any of them is placed, after a stored grouping: the
            # interrupted run had counted them before it weighed what came after them (#16's kill test:
            # the first article of a story left unsaved started a story of its own; rebuild.rebuild).
            leftovers = [i for i in unplaced if i not in exclude]
            pending = (a for a in store.iter_unplaced() if a.id not in exclude) if leftovers else ()
            self._index = StoryIndex.from_store(placed, seen, components.group_options, pending=pending)
        for i in range(0, len(leftovers), chunk):
            ids = leftovers[i : i + chunk]
            with timer("store"):
                articles = list(store.iter_articles(ids=ids))
                vectors = store.get_vectors(ids, model)
            missing = [a for a in articles if a.id not in vectors]
            if missing:
                vectors.update(
                    zip([a.id for a in missing], document_vectors(missing, components), strict=True)
                )
            yield [NewArticle(a, vectors[a.id]) for a in articles]

    def place(self, chunk: Sequence[NewArticle], *, final: bool) -> Placement:
        """Place ``chunk`` (in publication order) and revise; with ``final``, every changed story is due."""
        index = self._index
        assert index is not None, "start() first"
        touched: set[str] = set()
        with self._components.timer("dedup+cluster"):
            for new in sorted(chunk, key=lambda n: article_sort_key(n.article)):
                story_id, _ = index.add(new.article, new.vector, new.prepared)
                if story_id is not None:
                    touched.add(story_id)
            changed, removed = index.flush()
        duplicates = index.take_duplicates()
        held = {s.id: s for s in index.stories()}
        # A story that may still change waits; its membership is kept as of now, in case it leaves the
        # index (past the clusterer's horizon) before then.
        for sid in (touched | changed) & held.keys():
            self._deferred[sid] = held[sid]
        for sid in removed - held.keys():
            self._deferred.pop(sid, None)
        waiting = set() if final else index.open_stories()
        due = sorted(sid for sid in self._deferred if sid not in waiting)
        stories = [held.get(sid, self._deferred[sid]) for sid in due]
        for sid in due:
            del self._deferred[sid]
        return Placement(duplicates, stories, frozenset(removed - held.keys()))
