"""Average-linkage agglomeration with the group rule and the time penalty: the batch algorithm, also run
on a streaming revision's open articles and frozen story parts.

Two groups join while their average pair similarity, less a mild penalty for groups published months apart,
reaches ``join_threshold`` and, when both are established (``group_min_size`` articles), also
``group_ratio`` × their own internal similarity, so that two distinct stories sharing names stay apart.
"""

from __future__ import annotations

import numpy as np

from .options import ClusterOptions

__all__ = ["agglomerate", "time_penalty", "range_gap"]


def time_penalty(gap_days: np.ndarray, options: ClusterOptions) -> np.ndarray:
    """Similarity lost by a gap of ``gap_days`` between two groups (no date: no penalty)."""
    gap = np.where(np.isnan(gap_days), 0.0, gap_days)
    over = np.minimum(np.maximum((gap - options.time_grace_days) / options.time_scale_days, 0.0), 1.0)
    return options.time_penalty * over


def range_gap(
    s1: np.ndarray | float, e1: np.ndarray | float, s2: np.ndarray | float, e2: np.ndarray | float
) -> np.ndarray:
    """Days between two date ranges [s1, e1] and [s2, e2] (0 when they overlap; NaN when undated)."""
    return np.maximum(0.0, np.maximum(s1, s2) - np.minimum(e1, e2))


def agglomerate(
    sim: np.ndarray,
    days: np.ndarray,
    options: ClusterOptions,
    *,
    size: np.ndarray | None = None,
    inner: np.ndarray | None = None,
    end_days: np.ndarray | None = None,
) -> np.ndarray:
    """Average-linkage agglomeration with the group rule and time penalty; returns a label per row.

    A row may stand for a group already formed (a frozen story part): ``sim`` then holds the *sum* of pair
    similarities between the rows' members, ``size`` the member counts, ``inner`` the sum of pair
    similarities within each row, and ``days``/``end_days`` the first/last publication day.

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
    start = days.astype(np.float64, copy=True)
    end = start.copy() if end_days is None else end_days.astype(np.float64, copy=True)
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
    avg -= time_penalty(range_gap(start[ii], end[ii], start[jj], end[jj]), options)
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
        start[a] = np.fmin(start[a], start[b])
        end[a] = np.fmax(end[a], end[b])
        active[b] = False
        parent[b] = a
        est[a] = size[a] >= options.group_min_size
        within[a] = inner[a] / max(size[a] * (size[a] - 1) / 2, 1) if size[a] > 1 else 0.0
        # the merged row's scores, worked out (as for the table) only where the average reaches the
        # threshold; the penalty is time_penalty(range_gap(...)) in place: a negative gap is clipped
        # like one within the grace period, and an undated side (NaN) costs nothing
        row = wa / (size[a] * size)
        cand = np.flatnonzero(row >= options.join_threshold)
        cand = cand[active[cand] & (cand != a)]
        vals = row[cand]
        pen = np.maximum(start[cand], start[a])
        pen -= np.minimum(end[cand], end[a])
        pen -= options.time_grace_days
        pen /= options.time_scale_days
        np.maximum(pen, 0.0, out=pen)
        np.minimum(pen, 1.0, out=pen)
        pen[np.isnan(pen)] = 0.0
        pen *= options.time_penalty
        vals -= pen
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
