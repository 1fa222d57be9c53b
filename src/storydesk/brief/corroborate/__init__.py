"""Claims across outlets: corroborated, single-source and disputed.

The cascade:

1. sources: articles of one outlet are one source, and so are copies of one wire story carried by
   different outlets (most of their sentences identical) — :func:`source_groups` (:mod:`.sources`);
2. align statements (sentences of a usable length) of different articles when their embeddings are close
   (cosine ≥ ``align_cosine``) or their word sequences are (``align_lexical``) — :mod:`.alignment`;
3. before joining two aligned statements of different sources, compare them word by word: when the rest
   of the sentence agrees (``dispute_rest_similarity``) but a short differing span is a number, a date,
   a person's name or a title ("Foreign Minister" vs "Deputy Foreign Minister"), the pair is a dispute
   and both sides are kept apart — :mod:`.conflicts`, and for titles given to one actor :mod:`.roles`;
4. a group of aligned statements from two or more sources is ``corroborated``; from one source,
   ``single_source``; the two sides of a dispute are ``disputed`` and point at each other through
   ``conflicts_with`` — :func:`corroborate` (:mod:`.claims`);
5. keep the most informative: the best-sourced corroborated claims, single-source claims with numbers,
   names and dates first, every dispute.

Unrelated sentences never conflict: a dispute needs both the embedding similarity and the word-level
agreement of everything outside the differing span. Thresholds: :class:`ClaimOptions` (defaults from
:mod:`storydesk.brief.rules`).
"""

from __future__ import annotations

from .claims import corroborate
from .conflicts import find_conflict, find_number_conflict
from .options import ClaimOptions
from .records import Conflict, RoleStatement, Statement
from .roles import find_role_conflicts
from .sources import source_groups

__all__ = [
    "ClaimOptions",
    "Statement",
    "RoleStatement",
    "Conflict",
    "corroborate",
    "find_conflict",
    "find_number_conflict",
    "find_role_conflicts",
    "source_groups",
]
