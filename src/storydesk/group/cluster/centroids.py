"""The centroids of the candidate stories: where a streaming clusterer looks for an article's story."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .stories import StreamStory

__all__ = ["CentroidIndex", "top_stories"]


def top_stories(sims: np.ndarray, ids: Sequence[str], k: int) -> set[str]:
    """Ids (``ids``: one per column of ``sims``) of the ``k`` best columns in each row of ``sims``."""
    k = min(k, len(ids))
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    return {ids[int(j)] for j in np.unique(top)}


class CentroidIndex:
    """Normalised vector sums of the stories with frozen members and the newest article within the
    horizon, as the columns of a slot matrix. A column is rewritten only when its story's sums change
    (their token), and a slot freed by a story let go of is reused."""

    def __init__(self) -> None:
        self.dim = 0
        self.columns = np.zeros((0, 0))  # dim × slots: each slot's centroid, normalised
        self.norms = np.zeros(0)  # each slot's vector-sum norm
        self.slot_of: dict[str, int] = {}
        self.slot_token: list[int] = []  # the sums token each slot was written from
        self.free_slots: list[int] = []
        self.story_ids: list[str] = []  # the stories held, in slot order ...
        self.slots = np.zeros(0, dtype=np.intp)  # ... and their slots

    def refresh(self, stories: Iterable[StreamStory], horizon_day: float, dim: int) -> None:
        """Index the stories with frozen members whose newest frozen article is within the horizon."""
        self.dim = dim
        active = [st for st in stories if st.frozen_count and not st.frozen_last_day < horizon_day]
        ids = {st.id for st in active}
        for sid in [sid for sid in self.slot_of if sid not in ids]:
            self.free_slots.append(self.slot_of.pop(sid))
        stale = [
            st
            for st in active
            if st.id not in self.slot_of or self.slot_token[self.slot_of[st.id]] != st.sums_token
        ]
        if stale:
            for st in stale:
                if st.id not in self.slot_of:
                    self.slot_of[st.id] = self.free_slots.pop() if self.free_slots else self._new_slot()
            slots = [self.slot_of[st.id] for st in stale]
            cent = np.vstack([st.vector_sum for st in stale])
            norms = np.linalg.norm(cent, axis=1)
            norms[norms == 0] = 1.0
            self.columns[:, slots] = (cent / norms[:, None]).T
            self.norms[slots] = norms
            for st, slot in zip(stale, slots, strict=True):
                self.slot_token[slot] = st.sums_token
        order = sorted((slot, sid) for sid, slot in self.slot_of.items())
        self.story_ids = [sid for _, sid in order]
        self.slots = np.array([slot for slot, _ in order], dtype=np.intp)

    def _new_slot(self) -> int:
        slot = len(self.slot_token)
        if slot == self.columns.shape[1]:
            size = max(64, 2 * slot)
            grown = np.zeros((self.dim, size))
            if slot:
                grown[:, :slot] = self.columns[:, :slot]
            self.columns = grown
            self.norms = np.concatenate([self.norms, np.ones(size - slot)])
        self.slot_token.append(-1)
        return slot

    def nearest(self, v: np.ndarray, k: int, *, sparse: bool) -> set[str]:
        """Ids of the ``k`` story centroids nearest the vector ``v`` (``sparse``: mostly zeros)."""
        if not self.story_ids:
            return set()
        if sparse:
            idx = np.flatnonzero(v)
            sims = v[idx] @ self.columns[idx]
        else:
            sims = v @ self.columns
        return top_stories(sims[self.slots][None, :], self.story_ids, k)
