"""Subjects above stories: each story linked to the other stories of its subject (``Story.related``).

Stories are events; the clusterer keeps apart two events of one subject (two polls of one campaign, two
earthquakes in one province) because their time penalty or their cohesion says so, not because their
texts are unalike. A reader following the subject still wants the overview, as a news site's "full
coverage" gives it: two stories are *related* when the average similarity of their articles' pairs (the
clustering's similarity, without the time penalty) reaches ``related_threshold``; each story keeps its
``related_max`` most alike related stories, most alike first. Measured on ECB+ dev, where each topic holds
two look-alike events (``docs/events.md``): at 0.15, 14 of the 15 links found join the two events of one
topic, and 14 of the 21 topics get their link.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from ...model import Story
from .options import ClusterOptions
from .sparse import SparseVector, stack_vectors

if TYPE_CHECKING:
    from .state import StreamState

__all__ = ["related_stories", "related_links", "stream_related"]


def related_links(
    pair_sums: np.ndarray, sizes: np.ndarray, ids: Sequence[str], rows: Sequence[int], options: ClusterOptions
) -> dict[str, tuple[str, ...]]:
    """The related stories of the stories ``rows`` (indexes into ``ids``).

    ``pair_sums[k, j]`` is the sum of the similarities of the pairs between the members of story
    ``rows[k]`` and of story ``j``; ``sizes`` the stories' member counts.
    """
    out: dict[str, tuple[str, ...]] = {}
    for k, r in enumerate(rows):
        avg = pair_sums[k] / (sizes[r] * sizes)
        avg[r] = -np.inf
        linked = [int(j) for j in np.flatnonzero(avg >= options.related_threshold)]
        linked.sort(key=lambda j: (-avg[j], ids[j]))
        out[ids[r]] = tuple(ids[j] for j in linked[: options.related_max])
    return out


def related_stories(
    stories: Sequence[Story], sim: np.ndarray, row_of: Mapping[str, int], options: ClusterOptions
) -> list[Story]:
    """``stories`` with their related stories, from the article pair similarities ``sim`` (rows by
    ``row_of``, without the time penalty)."""
    if len(stories) < 2:
        return list(stories)
    member = sp.csr_matrix(
        (
            np.ones(sum(len(s.article_ids) for s in stories)),
            [row_of[a] for s in stories for a in s.article_ids],
            np.concatenate([[0], np.cumsum([len(s.article_ids) for s in stories])]),
        ),
        shape=(len(stories), len(sim)),
    )
    sums = np.asarray(member @ (member @ sim).T)  # story × story sums of pair similarities
    sizes = np.array([len(s.article_ids) for s in stories], dtype=np.float64)
    ids = [s.id for s in stories]
    links = related_links(sums, sizes, ids, range(len(stories)), options)
    return [Story(s.id, s.article_ids, s.duplicates, links[s.id]) for s in stories]


def stream_related(state: StreamState, story_ids: Collection[str]) -> dict[str, tuple[str, ...]]:
    """The related stories of the streamed stories ``story_ids`` (held in memory), among the stories held.

    A story's articles are its frozen sums plus its open articles' rows. Candidates are the stories with
    open articles and the ``3 × related_max`` stories whose centroids are nearest each story's vector sum
    (the stories let go of are not: their links stay as stored).
    """
    options, window, by_id = state.options, state.window, state.stories.by_id
    asked = sorted(s for s in story_ids if s in by_id and by_id[s].members)
    if not asked:
        return {}
    m = len(window.ids)
    open_of: dict[str, list[int]] = {}
    for j, aid in enumerate(window.ids):
        open_of.setdefault(state.stories.story_of[aid], []).append(j)
    words, names = window.words.csr(), window.names.csr()
    open_vectors = window.vectors.dense(m) if m else np.zeros((0, state.dim))

    def full_sums(sid: str) -> tuple[np.ndarray, SparseVector, SparseVector]:
        st, rows = by_id[sid], open_of.get(sid, [])
        if not rows:
            return st.vector_sum, st.word_sum, st.name_sum
        vectors = open_vectors[rows]
        return (
            st.vector_sum + vectors.sum(axis=0),
            st.word_sum + SparseVector.total(words[rows]),
            st.name_sum + SparseVector.total(names[rows]),
        )

    candidates = set(asked) | {s for s in open_of if s in by_id}
    sums = {s: full_sums(s) for s in candidates}
    for sid in asked:
        candidates |= state.centroids.nearest(
            sums[sid][0], 3 * options.related_max, sparse=window.vectors.sparse
        )
    for sid in candidates - set(sums):
        sums[sid] = full_sums(sid)
    ids = sorted(candidates)
    vectors = np.vstack([sums[s][0] for s in ids])
    word_sums = stack_vectors([sums[s][1] for s in ids])
    name_sums = stack_vectors([sums[s][2] for s in ids])
    rows = [ids.index(s) for s in asked]
    pair_sums = options.weight_vector * (vectors[rows] @ vectors.T)
    pair_sums += options.weight_words * (word_sums[rows] @ word_sums.T).toarray()
    pair_sums += options.weight_names * (name_sums[rows] @ name_sums.T).toarray()
    sizes = np.array([len(by_id[s].members) for s in ids], dtype=np.float64)
    return related_links(pair_sums, sizes, ids, rows, options)
