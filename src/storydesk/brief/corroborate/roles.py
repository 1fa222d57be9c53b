"""Titles of one actor on which sources disagree ("Deputy Foreign Minister" vs "Foreign Minister")."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from ...analyse.rules import TITLE_MODIFIERS, TITLE_WORDS
from ..rules import DOMAIN_TITLE_MODIFIERS, RANK_TITLE_MODIFIERS
from .records import Conflict, RoleStatement

__all__ = ["find_role_conflicts"]


def _title_words(role: str) -> tuple[list[str], str]:
    """The title inside a role ("Ostrelia's Deputy Foreign Minister" → deputy foreign minister) and its text."""
    words = re.findall(r"[\w-]+(?:['’]s)?", role)
    kept = [w for w in words if w.casefold() in TITLE_WORDS or w.casefold() in TITLE_MODIFIERS]
    return [w.casefold() for w in kept], " ".join(kept)


def _titles_conflict(a: list[str], b: list[str]) -> bool:
    heads_a = [w for w in a if w in TITLE_WORDS]
    heads_b = [w for w in b if w in TITLE_WORDS]
    if not heads_a or not heads_b or heads_a[-1] != heads_b[-1]:
        return False
    rank_a = {w for w in a if w in RANK_TITLE_MODIFIERS}
    rank_b = {w for w in b if w in RANK_TITLE_MODIFIERS}
    rest_a = [w for w in a if w not in RANK_TITLE_MODIFIERS]
    rest_b = [w for w in b if w not in RANK_TITLE_MODIFIERS]
    if rank_a != rank_b:
        # "Deputy Foreign Minister" vs "Foreign Minister"; a bare "Minister" says too little to disagree.
        return rest_a == rest_b and len(rest_a) >= 2
    dom_a = {w for w in a if w in DOMAIN_TITLE_MODIFIERS}
    dom_b = {w for w in b if w in DOMAIN_TITLE_MODIFIERS}
    return bool(dom_a) and bool(dom_b) and dom_a != dom_b


def find_role_conflicts(
    roles: Sequence[RoleStatement], sources: Mapping[str, str]
) -> list[tuple[list[RoleStatement], list[RoleStatement], Conflict]]:
    """Titles of one actor on which sources disagree: each side's statements and the conflict.

    Compares the roles attached to the same actor anywhere in the story (not only in aligned sentences):
    same head word, but a different rank ("Deputy Foreign Minister" vs "Foreign Minister") or portfolio
    ("Interior Minister" vs "Foreign Minister"), stated by different sources.
    """
    by_actor: dict[str, dict[tuple[str, ...], list[RoleStatement]]] = defaultdict(lambda: defaultdict(list))
    for r in roles:
        words, _ = _title_words(r.role)
        if any(w in TITLE_WORDS for w in words):
            by_actor[r.actor][tuple(words)].append(r)
    out = []
    for actor, variants in by_actor.items():
        keys = sorted(variants, key=lambda k: (-len(variants[k]), k))
        for i, ka in enumerate(keys):
            for kb in keys[i + 1 :]:
                if not _titles_conflict(list(ka), list(kb)):
                    continue
                src_a = {sources.get(r.article_id, r.article_id) for r in variants[ka]}
                src_b = {sources.get(r.article_id, r.article_id) for r in variants[kb]}
                if not src_a - src_b and not src_b - src_a:
                    continue
                left, right = variants[ka], variants[kb]
                # The less-attested title first: it is the one that stands out.
                if len(src_a) > len(src_b):
                    left, right = right, left
                conflict = Conflict(
                    f"title of {actor}", _title_words(left[0].role)[1], _title_words(right[0].role)[1], 1.0
                )
                out.append((left, right, conflict))
    return out
