"""Average-linkage agglomeration with the group rule and the time penalty: the batch algorithm, also run
on a streaming revision's open articles and frozen story parts.

Two groups join while their average pair similarity, less their time penalty (the mean pair penalty over
their members whose times are known, see :mod:`.timing`), reaches ``join_threshold`` and, when both are
established (``group_min_size`` articles), also ``group_ratio`` × their own internal similarity, so that
two distinct stories sharing names stay apart.
"""

from __future__ import annotations

import numpy as np

from .options import ClusterOptions
from .timing import group_penalty

__all__ = ["agglomerate"]


def agglomerate(
    sim: np.ndarray,
    options: ClusterOptions,
    *,
    penalties: np.ndarray | None = None,
    known: np.ndarray | None = None,
    size: np.ndarray | None = None,
    inner: np.ndarray | None = None,
) -> np.ndarray:
    """Average-linkage agglomeration with the group rule and time penalty; returns a label per row.

    A row may stand for a group already formed (a frozen story part): ``sim`` then holds the *sum* of pair
    similarities between the rows' members, ``size`` the member counts and ``inner`` the sum of pair
    similarities within each row. ``penalties`` holds the sums of the pair time penalties between the
    rows' members and ``known`` how many members of each row have a known time (see :mod:`.timing`);
    without them nothing is penalised.

    The score table is built in one vectorised step and each row's maximum (first best column, value) is
    kept up to date, so a merge costs a few O(n) array operations rather than a scan of the n × n table.
    The merge order, ties included (first row, then first column, as ``argmax`` over the whole table),
    is the plain algorithm's.
    """
    n = len(sim)
    w = sim.astype(np.float64, copy=True)
    np.fill_diagonal(w, 0.0)
    size = np.ones(n) if size is None else size.astype(np.float64, copy=True)
    inner = np.zeros(n) if inner is None else inner.astype(np.float64, copy=True)
    timed = penalties is not None and known is not None and bool(np.any(known))
    if timed:
        assert penalties is not None and known is not None
        pen_sum = penalties.astype(np.float64, copy=True)
        np.fill_diagonal(pen_sum, 0.0)
        known_count = known.astype(np.float64, copy=True)
    parent = np.arange(n)
    if n < 2:
        return parent
    est = size >= options.group_min_size
    within = np.where(size > 1, inner / np.maximum(size * (size - 1) / 2, 1), 0.0)

    # table[i, j]: the score of joining j to i, as seen from i; -inf where the rules forbid it. The time
    # penalty and the group rule only lower a score, so they are worked out only for the pairs whose
    # average similarity reaches the threshold (a few percent of them)
    table = np.multiply.outer(size, size)
    np.divide(w, table, out=table)
    np.fill_diagonal(table, -np.inf)
    ii, jj = np.nonzero(table >= options.join_threshold)
    avg = table[ii, jj]
    if timed:
        avg -= group_penalty(pen_sum[ii, jj], known_count[ii], known_count[jj])
    ok = avg >= options.join_threshold
    both = est[ii] & est[jj]
    ok[both] &= avg[both] >= options.group_ratio * ((within[jj[both]] + within[ii[both]]) / 2)
    table.fill(-np.inf)
    table[ii[ok], jj[ok]] = avg[ok]
    del ii, jj, avg, ok, both
    best = table.argmax(axis=1)  # each row's first column holding its maximum
    best_val = table[np.arange(n), best]

    active = np.ones(n, dtype=bool)
    rank = np.arange(n)
    while True:
        a = int(best_val.argmax())  # the first row holding the table's maximum
        if best_val[a] == -np.inf:
            break
        b = int(best[a])
        wa = w[a]
        inner[a] += inner[b] + wa[b]
        wa += w[b]
        w[:, a] += w[:, b]
        wa[a] = 0.0
        size[a] += size[b]
        if timed:
            pa = pen_sum[a]
            pa += pen_sum[b]
            pen_sum[:, a] += pen_sum[:, b]
            pa[a] = 0.0
            known_count[a] += known_count[b]
        active[b] = False
        parent[b] = a
        est[a] = size[a] >= options.group_min_size
        within[a] = inner[a] / max(size[a] * (size[a] - 1) / 2, 1) if size[a] > 1 else 0.0
        # the merged row's scores, worked out (as for the table) only where the average reaches the
        # threshold
        row = wa / (size[a] * size)
        cand = np.flatnonzero(row >= options.join_threshold)
        cand = cand[active[cand] & (cand != a)]
        vals = row[cand]
        if timed:
            vals -= group_penalty(pen_sum[a, cand], known_count[a], known_count[cand])
        ok = vals >= options.join_threshold
        if est[a]:
            ok &= vals >= options.group_ratio * np.where(est[cand], (within[cand] + within[a]) / 2, -np.inf)
        cand, vals = cand[ok], vals[ok]
        row.fill(-np.inf)
        row[cand] = vals
        table[a] = row
        table[:, a] = row
        table[:, b] = -np.inf
        best_val[b] = -np.inf
        # rows whose best was a or b are rescanned (never a merged-away row: its entries are old);
        # elsewhere only column a changed, and only where it is now finite can it beat a row's best
        stale = best == a
        stale |= best == b
        stale &= active
        stale[a] = True
        if len(cand):
            old = best_val[cand]
            gain = (vals > old) | ((vals == old) & (best[cand] > a))
            gain &= ~stale[cand]
            up = cand[gain]
            best[up] = a
            best_val[up] = vals[gain]
        rows = np.flatnonzero(stale)
        sub = table[rows]
        cols = sub.argmax(axis=1)
        best[rows] = cols
        best_val[rows] = sub[rank[: len(rows)], cols]
    # each row's label is the row its group was merged into last (the root of its merge chain)
    while True:
        up = parent[parent]
        if (up == parent).all():
            return parent
        parent = up
