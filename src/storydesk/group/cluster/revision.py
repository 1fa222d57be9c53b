"""A streaming revision: the open window re-clustered with the frozen parts of the stories near it.

Every ``revise_every`` arrivals, and on ``flush()``, the open articles and the frozen parts of the stories
they belong to or lie near (each part one pre-formed group, given by its sums) are agglomerated with the
batch algorithm. The new groups take existing story ids by greatest overlap; a group left without one is
named after its earliest article; an id left without members is reported removed. Then the oldest open
articles are folded into their stories' sums, stories past the horizon are let go of, and the centroids
and the window's term index are brought up to date.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...model import Story
from .agglomerate import agglomerate
from .centroids import top_stories
from .products import StorySums
from .sparse import gram, pair_sum
from .state import StreamState
from .stories import SortKey, StreamStory, fold_into
from .timing import ProfileStack

__all__ = ["revise", "freeze_oldest", "refresh_indexes"]


def revise(state: StreamState) -> None:
    """Re-cluster the open window with the frozen parts of nearby stories, then freeze the oldest."""
    options, window = state.options, state.window
    state.since_revision = 0
    if window.ids:
        if state.terms.articles_seen > window.weighed_at * (1.0 + options.reweigh_growth):
            window.reweigh(state.terms, options)
            state.products.open_rows_by_sums.forget_rows()
        _recluster(state)
    freeze_oldest(state, max(0, len(window.ids) - options.open_window))
    state.stories.let_go(state.horizon_day(), state.arrivals, options.undated_story_arrivals)
    refresh_indexes(state)


def refresh_indexes(state: StreamState) -> None:
    """The centroids of the stories held, and the open rows by term (both change only here)."""
    state.centroids.refresh(state.stories.by_id.values(), state.horizon_day(), state.dim)
    state.window.index(state.stories.story_of)


def _recluster(state: StreamState) -> None:
    """Agglomerate the open articles with the frozen parts of the stories they are in or lie near, over
    ``w``: the sums of pair similarities between items (open article or frozen part), then regroup."""
    options, window, by_id, products = state.options, state.window, state.stories.by_id, state.products
    m = len(window.ids)
    touched = {state.stories.story_of[a] for a in window.ids}
    # vector products with every centroid (for the nearest stories) and every touched frozen part
    centroid_ids = state.centroids.story_ids
    candidates = [by_id[s] for s in centroid_ids]
    seen = set(centroid_ids)
    candidates += [by_id[s] for s in sorted(touched - seen) if by_id[s].frozen_count]
    vector_dots = products.open_vectors_by_sums.get(
        [st.sums_token for st in candidates],
        m,
        lambda a, b, ks: window.vectors.cross_rows(a, b, np.vstack([candidates[k].vector_sum for k in ks])),
    )
    near: set[str] = set()
    if centroid_ids:
        sims = vector_dots[:, : len(centroid_ids)] / state.centroids.norms[state.centroids.slots]
        near = top_stories(sims, centroid_ids, options.candidate_stories)
    parts_ids = sorted(s for s in touched | near if by_id[s].frozen_count)
    parts = [by_id[s] for s in parts_ids]
    w = np.zeros((m + len(parts), m + len(parts)))
    w[:m, :m] = window.similarity[:m, :m]
    if parts:
        col = {st.id: k for k, st in enumerate(candidates)}
        tokens = [st.sums_token for st in parts]
        sums = StorySums(parts)
        cross = options.weight_vector * vector_dots[:, [col[st.id] for st in parts]]
        cross += products.open_rows_by_sums.get(
            tokens, m, lambda a, b, ks: _cross_open(state, a, b, sums, ks)
        )
        w[:m, m:] = cross
        w[m:, :m] = cross.T
        w[m:, m:] = products.sums_by_sums.get(tokens, lambda ks: _cross_sums(state, sums, ks))
    np.fill_diagonal(w, 0.0)
    if not options.merge_frozen and parts:
        w_frozen = w[m:, m:].copy()
        w[m:, m:] = -1e9  # cannot-link: two frozen story parts never join (only their open members move)
    # cannot-link: two stories stored before a rebuild without re-opening never join (StreamState.sealed)
    sealed = np.array([m + k for k, st in enumerate(parts) if st.id in state.sealed], dtype=np.intp)
    cut = np.ix_(sealed, sealed)
    w_sealed = w[cut].copy()
    if options.merge_frozen and len(sealed) > 1:
        w[cut] = -1e9
    penalties, known = _time_penalties(state, parts)
    size = np.array([1.0] * m + [float(st.frozen_count) for st in parts])
    inner = np.array([0.0] * m + [st.frozen_pair_sum for st in parts])
    labels = agglomerate(w, options, penalties=penalties, known=known, size=size, inner=inner)
    if options.merge_frozen and len(sealed) > 1:
        w[cut] = w_sealed
    if not options.merge_frozen and parts:
        w[m:, m:] = w_frozen

    groups: dict[int, list[int]] = {}
    for item, label in enumerate(labels):
        groups.setdefault(int(label), []).append(item)
    _regroup(state, groups, w, parts, parts_ids, touched)


def _time_penalties(state: StreamState, parts: Sequence[StreamStory]) -> tuple[np.ndarray, np.ndarray]:
    """The sums of pair time penalties between the revision's items (open articles, then frozen parts),
    and how many members of each item have a known time."""
    options, window = state.options, state.window
    m = len(window.ids)
    open_penalties, open_known = window.time_penalties(options)
    penalties = np.zeros((m + len(parts), m + len(parts)))
    penalties[:m, :m] = open_penalties
    stack = ProfileStack([st.time_profile for st in parts])
    if parts:
        starts, ends = np.array(window.time_starts), np.array(window.time_ends)
        cross = stack.against(starts, ends, options)
        penalties[:m, m:] = cross
        penalties[m:, :m] = cross.T
        penalties[m:, m:] = stack.cross(options)
    known = np.concatenate([open_known, stack.known])
    return penalties, known


def _cross_open(state: StreamState, a: int, b: int, sums: StorySums, ks: list[int]) -> np.ndarray:
    """Weighted word and name products of open rows a..b with the sums ``ks``."""
    options, window = state.options, state.window
    out = np.zeros((b - a, len(ks)))
    for rows, by_term, column, weight in (
        (window.words, sums.words_by_term, 1, options.weight_words),
        (window.names, sums.names_by_term, 2, options.weight_names),
    ):
        part = rows.csr()[a:b]
        if b - a <= len(ks):  # a few new rows against (nearly) every story: all of the sums at once
            prod = (part @ by_term()).toarray()
            prod = prod if len(ks) == sums.count else prod[:, ks]
        else:  # every row against the few stories whose sums changed
            prod = gram(part, sums.rows(ks)[column])
        out += weight * prod
    return out


def _cross_sums(state: StreamState, sums: StorySums, ks: list[int]) -> np.ndarray:
    """Weighted products (all three similarities) of the sums ``ks`` with all of them."""
    options = state.options
    vectors, words, names = sums.rows(ks)
    out = options.weight_vector * (vectors @ sums.vectors.T)
    out += options.weight_words * (words @ sums.words_by_term()).toarray()
    out += options.weight_names * (names @ sums.names_by_term()).toarray()
    return out


# An item of a revision: an open article (0..m-1) or a frozen story part (m + its index in ``parts``).


def _regroup(
    state: StreamState,
    groups: dict[int, list[int]],
    w: np.ndarray,
    parts: Sequence[StreamStory],
    parts_ids: Sequence[str],
    touched: set[str],
) -> None:
    """Turn the revision's groups into stories: ids by greatest overlap, sums of the frozen parts.

    A group that is exactly what its story held before (the same open articles and frozen part) keeps
    its story object; only the others are rebuilt from their parts.
    """
    window, book = state.window, state.stories
    m = len(window.ids)
    affected = touched | set(parts_ids)
    held: dict[str, list[int]] = {}  # story id -> its items before: open articles, then frozen part
    for i, aid in enumerate(window.ids):
        held.setdefault(book.story_of[aid], []).append(i)
    for k, s in enumerate(parts_ids):
        held.setdefault(s, []).append(m + k)
    name = _name_groups(state, groups, parts, parts_ids, affected)

    same = {g for g, items in groups.items() if held.get(name[g]) == items}
    kept = {name[g] for g in same}
    before = {s: set(book.by_id[s].members) for s in affected - kept}
    open_ids = set(window.ids)
    for s in affected - kept:
        del book.by_id[s]
    for g, items in groups.items():
        frozen_items = [i for i in items if i >= m]
        if g in same:  # at most one frozen part: no pairs among frozen items
            st = book.by_id[name[g]]
            st.pair_sum = st.frozen_pair_sum + pair_sum(w, items) / 2
            continue
        st = StreamStory(name[g], state.dim)
        book.by_id[st.id] = st
        for i in frozen_items:
            part = parts[i - m]
            st.members.update((aid, key) for aid, key in part.members.items() if aid not in open_ids)
            st.frozen_count += part.frozen_count
            st.vector_sum = st.vector_sum + part.vector_sum
            st.word_sum = st.word_sum + part.word_sum
            st.name_sum = st.name_sum + part.name_sum
            st.frozen_pair_sum += part.frozen_pair_sum
            st.frozen_first_day = float(np.fmin(st.frozen_first_day, part.frozen_first_day))
            st.frozen_last_day = float(np.fmax(st.frozen_last_day, part.frozen_last_day))
            st.time_profile = st.time_profile + part.time_profile
            st.last_arrival = max(st.last_arrival, part.last_arrival)
        # the same single frozen part keeps its sums, so products computed with it stay valid
        st.sums_token = parts[frozen_items[0] - m].sums_token if len(frozen_items) == 1 else book.new_token()
        frozen_pairs = pair_sum(w, frozen_items) / 2
        st.frozen_pair_sum += frozen_pairs
        st.pair_sum = st.frozen_pair_sum + pair_sum(w, items) / 2 - frozen_pairs
        for i in items:
            if i < m:
                st.members[window.ids[i]] = window.sort_keys[i]
                st.last_arrival = max(st.last_arrival, window.arrivals[i])
        for aid in st.members:
            book.story_of[aid] = st.id
    for s in affected - kept:
        after = book.by_id.get(s)
        if after is None:
            book.removed.add(s)
            book.changed.discard(s)
        elif set(after.members) != before[s]:
            book.changed.add(s)
    for s in set(name.values()) - affected:
        book.changed.add(s)
        book.removed.discard(s)


def _name_groups(
    state: StreamState,
    groups: dict[int, list[int]],
    parts: Sequence[StreamStory],
    parts_ids: Sequence[str],
    affected: set[str],
) -> dict[int, str]:
    """A story id for each group: greedily by overlap (largest first) with the stories its items were
    in, then, for a group left without one, an id named after its earliest article."""
    window, book = state.window, state.stories
    m = len(window.ids)
    overlap: list[tuple[int, str, int]] = []  # (-overlap, story id, group)
    for g, items in groups.items():
        count: dict[str, int] = {}
        for i in items:
            s = book.story_of[window.ids[i]] if i < m else parts_ids[i - m]
            count[s] = count.get(s, 0) + (1 if i < m else parts[i - m].frozen_count)
        overlap.extend((-c, s, g) for s, c in count.items())
    overlap.sort()
    name: dict[int, str] = {}
    taken: set[str] = set()
    for _, s, g in overlap:
        if g not in name and s not in taken:
            name[g] = s
            taken.add(s)
    in_use = (set(book.by_id) - affected) | taken
    unnamed = [g for g in groups if g not in name]
    for g in sorted(unnamed, key=lambda g: _member_keys(state, groups[g], parts)[0]):
        name[g] = _new_id(state, groups[g], parts, in_use)
        in_use.add(name[g])
    return name


def _member_keys(
    state: StreamState, items: list[int], parts: Sequence[StreamStory]
) -> list[tuple[SortKey, str]]:
    """(sort key, article id) of every member of the items, in publication order."""
    window = state.window
    m = len(window.ids)
    keys = []
    for i in items:
        if i < m:
            keys.append((window.sort_keys[i], window.ids[i]))
        else:
            keys.extend((key, aid) for aid, key in parts[i - m].members.items())
    keys.sort()
    return keys


def _new_id(state: StreamState, items: list[int], parts: Sequence[StreamStory], in_use: set[str]) -> str:
    """The id of the earliest member's story not in use (or of the earliest with a ``#k`` suffix)."""
    keys = _member_keys(state, items, parts)
    for _, aid in keys:
        sid = Story.make_id(aid)
        if sid not in in_use:
            return sid
    k = 1
    while (sid := Story.make_id(f"{keys[0][1]}#{k}")) in in_use:
        k += 1
    return sid


def freeze_oldest(state: StreamState, count: int) -> None:
    """Fold the ``count`` oldest open articles into their stories' sums (weighted with current IDF)."""
    if count <= 0:
        return
    window, terms = state.window, state.terms
    words = terms.weigh_words(window.raw_words.csr(count))
    names = terms.weigh_names(window.raw_names.csr(count))
    vectors = window.vectors.dense(count)
    by_story: dict[str, list[int]] = {}
    for j in range(count):
        by_story.setdefault(state.stories.story_of[window.ids[j]], []).append(j)
    for sid, rows in by_story.items():
        fold_into(
            state.stories.by_id[sid],
            vectors[rows],
            words[rows],
            names[rows],
            [window.days[j] for j in rows],
            ([window.time_starts[j] for j in rows], [window.time_ends[j] for j in rows]),
            options=state.options,
            scratch=(terms.word_scratch, terms.name_scratch),
            token=state.stories.new_token(),
        )
    window.drop_oldest(count)
    state.products.drop_rows(count)
