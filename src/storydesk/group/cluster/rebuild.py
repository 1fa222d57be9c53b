"""Rebuilding a streaming clusterer's state from what a store holds, reading it twice as a stream."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ...model import Article, article_sort_key, publication_day
from .revision import refresh_indexes
from .sparse import RowBuffer, gram
from .state import StreamState
from .stories import fold_into
from .timing import article_time

__all__ = ["StoredRow", "rebuild"]

#: A placed article as stored: (article, its document vector, its story id).
StoredRow = tuple[Article, np.ndarray, str]
#: A stored article on its way in: (article, vector, story id, arrival number).
_Item = tuple[Article, np.ndarray, str, int]


def rebuild(
    state: StreamState,
    rows: Callable[[], Iterable[StoredRow]],
    pending: Iterable[Article] = (),
    *,
    reopen: bool = True,
) -> None:
    """Fill an empty state from ``rows()`` (every placed article once, in arrival order; called twice)
    and ``pending``, the stored articles to be placed next.

    The first pass counts document frequencies and each story's newest article; the second folds the
    articles of stories still within the horizon into their sums (IDF of everything stored) and keeps
    the last ``open_window`` open again.

    ``pending`` (an interrupted run's leftovers: articles stored, their stories never saved) is counted
    in the document frequencies between the two passes, when anything is placed. The interrupted run
    placed them among the stored articles and counted them before it weighed the later ones; here they
    come after every stored article, and each would be weighed with the words of the leftovers before it
    only. The first article of a story left unsaved then had its own words (in one article so far)
    dropped by the MIN_DF cut, and started a story of its own that the rest of its story never joined
    (issue #16: 32 stories of 30 after a kill). With nothing placed, the leftovers are placed as the
    interrupted run placed them, counted as they come.
    """
    options = state.options
    newest: dict[str, tuple[float, int]] = {}  # story id -> (newest day, last arrival)
    total = 0
    batch: list[Article] = []
    for i, (article, vector, sid) in enumerate(rows()):
        if not state.dim:
            state.set_dim(np.asarray(vector, dtype=np.float64).ravel())
        batch.append(article)
        if len(batch) >= options.rebuild_chunk:
            state.terms.count(batch)  # counts document frequencies; the rows are made again in pass two
            batch = []
        day = publication_day(article.published)
        state.note_day(day)
        prev = newest.get(sid, (math.nan, -1))
        newest[sid] = (float(np.fmax(prev[0], day)), i)
        total = i + 1
    if batch:
        state.terms.count(batch)
    del batch
    if not total:
        return  # nothing placed: the leftovers are placed as the interrupted run placed them
    _count_ahead(state, pending)
    state.arrivals = total
    open_from = max(0, total - options.open_window) if reopen else total
    horizon = state.horizon_day()
    keep = {
        sid
        for sid, (last_day, last) in newest.items()
        if last >= open_from
        or (
            not last_day < horizon
            and not (math.isnan(last_day) and total - 1 - last > options.undated_story_arrivals)
        )
    }
    del newest
    if not reopen:
        state.sealed = frozenset(keep)
    chunk: list[_Item] = []
    opened: list[_Item] = []
    for i, (article, vector, sid) in enumerate(rows()):
        if sid not in keep:
            continue
        item = (article, np.asarray(vector, dtype=np.float64).ravel(), sid, i)
        state.stories.story_of[article.id] = sid
        st = state.story(sid)
        st.members[article.id] = article_sort_key(article)
        st.last_arrival = i
        if i >= open_from:
            opened.append(item)
            continue
        chunk.append(item)
        if len(chunk) >= options.rebuild_chunk:
            _fold_stored(state, chunk)
            chunk = []
    _fold_stored(state, chunk)
    _open_stored(state, opened)
    for st in state.stories.by_id.values():
        st.pair_sum = st.frozen_pair_sum  # open members' pairs are added back by the next revision
    refresh_indexes(state)


def _count_ahead(state: StreamState, pending: Iterable[Article]) -> None:
    batch: list[Article] = []
    for article in pending:
        batch.append(article)
        if len(batch) >= state.options.rebuild_chunk:
            state.terms.count_ahead(batch)
            batch = []
    state.terms.count_ahead(batch)


def _fold_stored(state: StreamState, items: Sequence[_Item]) -> None:
    if not items:
        return
    terms = state.terms
    raw_words, raw_names = terms.rows_of([a for a, _, _, _ in items])
    words, names = terms.weigh_words(raw_words), terms.weigh_names(raw_names)
    vectors = np.vstack([v for _, v, _, _ in items])
    by_story: dict[str, list[int]] = {}
    for j, (_, _, sid, _) in enumerate(items):
        by_story.setdefault(sid, []).append(j)
    for sid, rows in by_story.items():
        times = [article_time(items[j][0], state.options) for j in rows]
        fold_into(
            state.stories.by_id[sid],
            vectors[rows],
            words[rows],
            names[rows],
            [publication_day(items[j][0].published) for j in rows],
            ([t[0] for t in times], [t[1] for t in times]),
            options=state.options,
            scratch=(terms.word_scratch, terms.name_scratch),
            token=state.stories.new_token(),
        )


def _open_stored(state: StreamState, items: Sequence[_Item]) -> None:
    if not items:
        return
    options, terms, window = state.options, state.terms, state.window
    raw_words, raw_names = terms.rows_of([a for a, _, _, _ in items])
    words, names = terms.weigh_words(raw_words), terms.weigh_names(raw_names)
    for j, (article, v, _, i) in enumerate(items):
        window.ids.append(article.id)
        window.sort_keys.append(article_sort_key(article))
        window.arrivals.append(i)
        window.days.append(publication_day(article.published))
        time = article_time(article, options)
        window.time_starts.append(time[0])
        window.time_ends.append(time[1])
        window.raw_words.append_row(raw_words[j])
        window.raw_names.append_row(raw_names[j])
        window.vectors.append(v)
    window.words, window.names = RowBuffer.of(words), RowBuffer.of(names)
    m = len(items)
    window.reserve(m)
    vector_sims = window.vectors.gram()
    np.fill_diagonal(vector_sims, 0.0)
    window.vector_similarity[:m, :m] = vector_sims
    sim = (
        options.weight_vector * vector_sims
        + options.weight_words * gram(words)
        + options.weight_names * gram(names)
    )
    np.fill_diagonal(sim, 0.0)
    window.similarity[:m, :m] = sim
    window.weighed_at = terms.articles_seen
