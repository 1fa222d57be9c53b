"""Placing one new article: the story with the best average similarity among a few candidates, or a new one.

The candidates are the stories of the nearest centroids and of the most similar open articles. An
article joins the best candidate if its average similarity to the members (less the time penalty) reaches
``stream_threshold`` and, for a story of ``stream_min_size`` articles, ``stream_ratio`` × the story's
internal average similarity.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ...model import Article, Story, article_sort_key, publication_day
from .state import StreamState
from .text_features import RawRows
from .timing import ArticleTime, ProfileStack, article_time, group_penalty, pair_penalties

__all__ = ["place"]


def place(state: StreamState, article: Article, vector: np.ndarray, raw: RawRows | None) -> str:
    """Place one article (not placed before) and open it; returns its story id. ``raw``: its raw rows,
    made ahead. The caller revises when ``state.since_revision`` reaches ``revise_every``."""
    stories, window = state.stories, state.window
    v = np.asarray(vector, dtype=np.float64).ravel()
    if not state.dim:
        state.set_dim(v)
    raw_words, raw_names = state.terms.count([article], raw)
    words, names = state.terms.weigh_words(raw_words), state.terms.weigh_names(raw_names)
    day = publication_day(article.published)
    state.note_day(day)
    time = article_time(article, state.options)
    best, gain, open_sims, open_vector_sims = _best_story(state, v, words, names, time)
    sid = best or Story.make_id(article.id)
    stories.story_of[article.id] = sid
    st = state.story(sid)
    st.members[article.id] = article_sort_key(article)
    st.pair_sum += gain
    st.last_arrival = state.arrivals
    stories.changed.add(sid)
    window.append(
        article.id,
        article_sort_key(article),
        state.arrivals,
        day,
        time,
        sid,
        (raw_words, raw_names),
        (words, names),
        v,
        open_sims,
        open_vector_sims,
    )
    state.arrivals += 1
    state.since_revision += 1
    return sid


def _best_story(
    state: StreamState, v: np.ndarray, words: sp.csr_matrix, names: sp.csr_matrix, time: ArticleTime
) -> tuple[str | None, float, np.ndarray, np.ndarray]:
    """Best story for a new article (None: a new story) and the sum of its similarities to that
    story's members; also its similarities to the open articles (total, and of vectors alone)."""
    scratch = (state.terms.word_scratch, state.terms.name_scratch)
    scratch[0][words.indices] = words.data
    scratch[1][names.indices] = names.data
    try:
        return _choose(state, v, words, names, time, scratch)
    finally:
        scratch[0][words.indices] = 0.0
        scratch[1][names.indices] = 0.0


def _choose(
    state: StreamState,
    v: np.ndarray,
    words: sp.csr_matrix,
    names: sp.csr_matrix,
    time: ArticleTime,
    scratch: tuple[np.ndarray, np.ndarray],
) -> tuple[str | None, float, np.ndarray, np.ndarray]:
    options, window = state.options, state.window
    if window.ids:
        open_vector_sims = window.vectors.dot(v)
        word_dots, name_dots = window.row_dots(words, names, scratch)
        open_sims = options.weight_vector * open_vector_sims
        open_sims += options.weight_words * word_dots
        open_sims += options.weight_names * name_dots
    else:
        open_vector_sims = open_sims = np.zeros(0)
    cands = state.centroids.nearest(v, options.candidate_stories, sparse=window.vectors.sparse)
    for j in np.argsort(-open_sims)[: options.candidate_stories]:
        cands.add(window.stories[int(j)])
    if not cands:
        return None, 0.0, open_sims, open_vector_sims
    order = sorted(cands)
    stories = [state.stories.by_id[s] for s in order]
    total = np.array(
        [
            options.weight_vector * float(st.vector_sum @ v)
            + options.weight_words * st.word_sum.dot_row(words.indices, words.data)
            + options.weight_names * st.name_sum.dot_row(names.indices, names.data)
            for st in stories
        ]
    )
    timed = not np.isnan(time[0])
    if timed:  # sums of the pair penalties with the frozen members, and how many have a known time
        stack = ProfileStack([st.time_profile for st in stories])
        penalty = stack.against(np.array([time[0]]), np.array([time[1]]), options)[0]
        known = stack.known.copy()
    # the open members of the candidates, through per-revision story codes (no loop over the window)
    candidate_of_code = np.full(len(window.story_codes), -1)
    for k, s in enumerate(order):
        if (c := window.story_codes.get(s)) is not None:
            candidate_of_code[c] = k
    candidate_of_open = candidate_of_code[np.array(window.codes, dtype=np.intp)]  # may be empty (rebuilt)
    js = np.flatnonzero(candidate_of_open >= 0)
    if len(js):
        ks = candidate_of_open[js]
        np.add.at(total, ks, open_sims[js])
        if timed:
            starts, ends = np.array(window.time_starts)[js], np.array(window.time_ends)[js]
            np.add.at(penalty, ks, pair_penalties(starts, ends, time[0], time[1], options))
            np.add.at(known, ks, (~np.isnan(starts)).astype(np.float64))
    counts = np.array([len(st.members) for st in stories], dtype=np.float64)
    avg = total / counts
    if timed:
        avg -= group_penalty(penalty, known, np.ones(len(known)))
    inner = np.array([st.pair_sum for st in stories])
    pairs = np.maximum(counts * (counts - 1) / 2, 1)
    ref = np.where(counts >= options.stream_min_size, options.stream_ratio * inner / pairs, -np.inf)
    ok = (avg >= options.stream_threshold) & (avg >= ref)
    if not ok.any():
        return None, 0.0, open_sims, open_vector_sims
    k = int(np.argmax(np.where(ok, avg, -np.inf)))
    return order[k], float(total[k]), open_sims, open_vector_sims
