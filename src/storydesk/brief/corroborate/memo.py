"""Pair decisions remembered per process, so that a story re-briefed by the process that briefed it
decides only the pairs its new article brings (#17).

:func:`.alignment.decide_pair` depends on the story only through the rare names (:func:`.alignment.rare_names`),
and on those only through the ones both statements carry; the rest is the two statements (text and the
people they name), the cosine as computed and whether the two articles are one source. Keyed by exactly
that (and the options), a remembered decision is the decision: a briefing with the memo is the same as
one without it. When an article joins a story, the old pairs keep their key unless their shared rare
names or their sources changed, so only the new article's pairs, and those, are decided again.

Where it lives, measured with ``python bench/rebrief_cost.py`` (docs/pipeline.md, "Re-briefing a grown
story"): the screen (:mod:`.screen`) already leaves 2,743 of an 81-article story's 92,530 candidate pairs
to decide, ~90 ms of its ~1.6 s re-brief; the memo saves those in a process that briefed the story before
(a briefing worker gets the stories of its chunks again as they grow), for ~0.7 kB a decision
(``PAIR_MEMO_SIZE`` in ``brief/rules.py``: bounded, least recently used dropped, so a long-running worker
stays flat). Storing the decisions with the story's analyses would reach other processes too, but needs a
table of pairs per story, written on every briefing, to save those same tens of milliseconds: not built.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from ..rules import PAIR_MEMO_SIZE
from .alignment import Decision, decide_pair
from .options import ClaimOptions
from .records import Conflict, Statement
from .words import names

__all__ = ["PairMemo", "pair_memo", "clear_decisions"]


class PairMemo:
    """:func:`.alignment.decide_pair`, remembering at most ``size`` decisions (least recently used go)."""

    def __init__(self, size: int = PAIR_MEMO_SIZE) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[Any, ...], tuple[Decision, Conflict | None]] = OrderedDict()
        self._lock = threading.Lock()  # the web app briefs from several threads

    def __len__(self) -> int:
        return len(self._seen)

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()

    def decide(
        self, a: Statement, b: Statement, cos: float, same_source: bool, rare: set[str], options: ClaimOptions
    ) -> tuple[Decision, Conflict | None]:
        """``decide_pair(a, b, cos, same_source, rare, options)``, remembered."""
        shared = names(a.text) & names(b.text) & rare
        key = (a.text, a.people, b.text, b.people, cos, same_source, shared, options)
        seen = self._seen
        with self._lock:
            found = seen.get(key)
            if found is not None:
                seen.move_to_end(key)
                return found
        found = decide_pair(a, b, cos, same_source, rare, options)
        with self._lock:
            seen[key] = found
            while len(seen) > self.size:
                seen.popitem(last=False)
        return found


#: The process's memo (:func:`.claims.corroborate` decides through it).
pair_memo = PairMemo()


def clear_decisions() -> None:
    """Forget every remembered decision (a benchmark or test measuring a new process)."""
    pair_memo.clear()
