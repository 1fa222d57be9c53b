"""The streaming clusterer ``storydesk ingest`` places articles with, one at a time."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ...model import Article, Story
from .options import ClusterOptions
from .placing import place
from .rebuild import StoredRow, rebuild
from .related import stream_related
from .revision import revise
from .state import StreamState
from .stories import StoryChanges
from .text_features import RawRows

__all__ = ["StreamClusterer", "StoredRow"]


@functools.cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController  # a dependency of scikit-learn

    return ThreadpoolController()


def _one_blas_thread() -> Any:
    """A context in which BLAS runs on one thread. Streaming interleaves small BLAS products with sparse and
    Python work; threaded OpenBLAS keeps its workers spinning between calls and, on a 2-core machine
    with other work running, one 90 × 4,096 product then took 126 ms instead of 1.2 ms."""
    return _blas_controller().limit(limits=1, user_api="blas")


class StreamClusterer:
    """Assigns articles to stories one at a time, revising recent assignments; story ids are stable.

    ``add`` places an article greedily (best average similarity among candidate stories, see
    :mod:`.placing`) and returns its story id. The last ``open_window`` arrivals stay *open*: every
    ``revise_every`` arrivals, and on :meth:`flush`, they are re-clustered with the batch algorithm
    together with the frozen parts of the stories near them (each frozen part is one pre-formed group,
    summarised by sums of its vectors, so old articles need no rows). The new groups take existing story
    ids by greatest overlap; a group left without one is named after its earliest article; an id left
    without members is reported removed (see :mod:`.revision`).

    Time per ``add`` does not grow with the articles seen: the pair similarities within the open window
    are kept (one new row per article), its feature rows stay stacked and indexed by term, and products
    with story sums are kept from one revision to the next by a token of each story's sums, so that a
    revision computes only those of the new rows and of the stories that changed. The open window's rows
    are re-weighed with the current IDF when the articles seen have grown by ``reweigh_growth`` since
    they were weighed (folded articles always are). BLAS runs on one thread meanwhile (see
    :func:`_one_blas_thread`).

    Memory is bounded by the horizon: a story whose newest article is more than ``story_horizon_days``
    older than the newest article seen, or, for a story without dates, that got no article in the last
    ``undated_story_arrivals`` arrivals, can no longer be a candidate and is let go of with its members:
    it disappears from :meth:`stories` and :meth:`assignments`, and :meth:`story_of` raises ``KeyError``
    for its articles (the caller looks them up in its store). A story let go of with changes not yet
    reported is still reported as changed by the next :meth:`flush` (and listed by :meth:`stories` until
    the flush after). Adding an article again after its story was let go of places it as a new article:
    callers skip articles they have stored.

    The caller calls :meth:`flush` at the end of each run, saves ``changed`` and deletes ``removed``:
    a revision can move open articles between stories, so stories change that ``add`` did not return.
    Everything it holds is in :attr:`state` (:class:`~.state.StreamState`).
    """

    def __init__(self, options: ClusterOptions | None = None) -> None:
        self.options = options or ClusterOptions()
        self.state = StreamState.empty(self.options)

    def __len__(self) -> int:
        return len(self.state.stories.story_of)

    def add(self, article: Article, vector: np.ndarray, raw: RawRows | None = None) -> str:
        """Place one article; returns its story id (an existing story's, or a new one named after it).

        ``raw`` may give the article's :func:`~.text_features.raw_features` (made in another process).
        Every ``revise_every`` arrivals the open window is revised (see the class docstring), which may
        move this or other open articles; :meth:`flush` reports what moved.
        """
        story_of = self.state.stories.story_of
        if article.id in story_of:
            return story_of[article.id]
        with _one_blas_thread():
            place(self.state, article, vector, raw)
            if self.state.since_revision >= self.options.revise_every:
                revise(self.state)
        return story_of[article.id]

    def flush(self) -> StoryChanges:
        """Revise the open window (end of a run); report stories changed and removed since the last flush.

        ``changed`` includes stories let go of (past the horizon) with changes not yet reported; they are
        listed by :meth:`stories` until the next flush. ``retired`` names every story let go of since the
        last flush: the store keeps them as they are. The related stories (same subject, see
        :mod:`.related`) of the changed stories held are worked out again; :meth:`stories` lists them.
        """
        book = self.state.stories
        with _one_blas_thread():
            revise(self.state)
            book.related.update(stream_related(self.state, book.changed))
        return book.take_changes()

    # -- state -------------------------------------------------------------------------------------

    @classmethod
    def from_stored(
        cls,
        rows: Callable[[], Iterable[StoredRow]],
        options: ClusterOptions | None = None,
        *,
        pending: Iterable[Article] = (),
        reopen: bool = True,
    ) -> StreamClusterer:
        """Rebuild from stored state, reading it twice as a stream: memory does not grow with what is stored.

        ``rows()`` yields (article, document vector, story id) for every placed article once, in arrival
        order; it is called twice. The first pass counts document frequencies and each story's newest
        article; the second folds the articles of stories still within the horizon into their sums (IDF of
        everything stored) and, with ``reopen``, keeps the last ``open_window`` open again (the next revision
        may move them). Without ``reopen`` every stored article is folded into its story's sums: the
        revisions that follow move only articles added after the rebuild, so stored stories keep their
        members (they may still grow, or two may be joined by what is added; ``StoryIndex.from_store``).
        Stories past the horizon are not held (see the class docstring). ``pending`` (streamed
        once, when anything is placed) are stored articles not placed yet that the caller adds next (an
        interrupted run's leftovers): they are counted in the document frequencies now and not again when
        added, so that the first of a story is weighed with the words it shares with the rest (see
        :func:`~.rebuild.rebuild`).
        """
        self = cls(options)
        with _one_blas_thread():
            rebuild(self.state, rows, pending, reopen=reopen)
        return self

    @classmethod
    def from_assignments(
        cls,
        articles: Sequence[Article],
        vectors: np.ndarray,
        assignments: Mapping[str, str],
        options: ClusterOptions | None = None,
    ) -> StreamClusterer:
        """Rebuild from stored state held in memory: ``assignments`` maps article id → story id (articles in
        arrival order, a repeated article counted once). Same as :meth:`from_stored` over these rows."""
        seen: set[str] = set()
        keep = []
        for j, a in enumerate(articles):
            if a.id in seen:
                continue
            if a.id not in assignments:
                raise ValueError(f"article {a.id!r} has no story in the stored assignments")
            seen.add(a.id)
            keep.append(j)

        def rows() -> Iterator[StoredRow]:
            for j in keep:
                yield articles[j], vectors[j], assignments[articles[j].id]

        return cls.from_stored(rows, options)

    def story_of(self, article_id: str) -> str:
        """The story id of a placed article held in memory.

        ``KeyError`` if it was never added, or if its story was let go of (past the horizon; the store
        still has it).
        """
        return self.state.stories.story_of[article_id]

    def assignments(self) -> dict[str, str]:
        """Article id → story id of the articles held in memory, for storing."""
        return dict(self.state.stories.story_of)

    def stories(self) -> list[Story]:
        """Current stories held in memory, largest first (articles in publication order)."""
        return self.state.stories.listed()
