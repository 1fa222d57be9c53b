"""From statements to claims, in four phases:

1. align — every pair of statements of different articles close enough to matter is aligned, disputed
   or kept apart (:func:`.alignment.decide_pair`); aligned statements form groups;
2. title disputes — the titles one actor is given by different sources (:func:`.roles.find_role_conflicts`);
3. statement disputes — the two groups of each dispute, strongest first, each group in one dispute at most;
4. the rest — a group stated by two or more independent sources is ``corroborated``, by one
   ``single_source``: :meth:`storydesk.model.SourceSupport.count` counts them (distinct source keys, an
   article whose outlet is unknown its own source) and every rendering prints its ``label``. A claim
   cites only statements aligned with each other pair by pair (:func:`_cliques`): a group joined
   through a chain ("met Scalfaro to resign" ~ "met Scalfaro on Friday" ~ "met Scalfaro Monday to
   devise a strategy") holds different facts, and its ends must not cite each other.

The listing keeps the best-sourced corroborated claims, every dispute as two adjacent claims pointing at
each other, then the most informative single-source claims.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ...model import Claim, ClaimStatus, SourceSupport
from ..rules import MAX_CLAIM_SEEDS
from .alignment import rare_names
from .memo import clear_decisions, pair_memo
from .options import DEFAULT_CLAIM_OPTIONS, ClaimOptions
from .records import Conflict, RoleStatement, Statement
from .roles import find_role_conflicts
from .screen import pairs_to_decide
from .sources import DisjointSets
from .words import information

__all__ = ["corroborate", "clear_decisions"]


def corroborate(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    sources: Mapping[str, str],
    outlets: Mapping[str, str | None] | None = None,
    roles: Sequence[RoleStatement] = (),
    options: ClaimOptions = DEFAULT_CLAIM_OPTIONS,
) -> tuple[Claim, ...]:
    """Claims from ``statements`` (rows of ``vectors`` are their L2-normalised embeddings).

    ``sources`` maps article ids to source keys (see :func:`.sources.source_groups`); ``outlets`` maps
    article ids to outlet names for display; ``roles`` are the titles given to actors, compared across
    sources (see :func:`.roles.find_role_conflicts`). Returns corroborated claims (best-sourced first), then
    each dispute as two adjacent claims pointing at each other, then single-source claims (most
    informative first).
    """
    keep = [i for i, s in enumerate(statements) if options.is_claim(s.text)]
    if not keep:
        return ()
    sts = [statements[i] for i in keep]
    aligned = _align(sts, np.asarray(vectors, dtype=np.float32)[keep], sources, options)
    attribution = _Attribution(sources, outlets or {})
    role_disputes, role_sentences = _title_disputes(roles, attribution)
    disputes, disputed_groups = _statement_disputes(sts, aligned, attribution, role_sentences)
    corroborated, single = _undisputed_claims(sts, aligned, attribution, disputed_groups, role_sentences)
    return _listing(corroborated, [*role_disputes, *disputes], single, options)


@dataclass(frozen=True, slots=True)
class _Alignment:
    """Statements grouped by alignment, and the pairs found to dispute each other."""

    group_of: list[int]  # per statement, its group (the index of the group's first root)
    groups: dict[int, list[int]]  # group → its statements, in order
    disputes: list[tuple[int, int, Conflict]]
    edges: Mapping[tuple[int, int], float] = field(default_factory=dict)  # aligned directly: cosine

    def aligned(self, i: int, j: int) -> bool:
        """Whether statements ``i`` and ``j`` were aligned with each other (not only through others)."""
        return (min(i, j), max(i, j)) in self.edges

    def closeness(self, k: int, others: Sequence[int]) -> float:
        """The summed cosine of statement ``k`` with those of ``others`` aligned with it directly."""
        return sum(self.edges.get((min(k, m), max(k, m)), 0.0) for m in others if m != k)


@dataclass(frozen=True, slots=True)
class _Attribution:
    """Which source and outlet each article is."""

    sources: Mapping[str, str]
    outlets: Mapping[str, str | None]

    def describe(self, article_ids: Sequence[str]) -> tuple[tuple[str, ...], SourceSupport]:
        """The distinct articles and their independent sources (:meth:`SourceSupport.count`: an article
        whose outlet is unknown is its own source)."""
        arts = tuple(dict.fromkeys(article_ids))
        return arts, SourceSupport.count(arts, self.sources, self.outlets)

    def claim(
        self, text: str, status: ClaimStatus, article_ids: Sequence[str], conflict: Conflict | None = None
    ) -> Claim:
        """A claim stated by ``article_ids``, with its sources counted; a disputed one gives its conflict
        as the reason, any other the wording of its sources."""
        arts, support = self.describe(article_ids)
        confidence = conflict.confidence if conflict else None
        reason = conflict.reason if conflict else support.label
        return Claim(
            text, status, arts, support.outlets, (), confidence, reason, support.sources, support.unnamed
        )


def _align(
    sts: Sequence[Statement], vec: np.ndarray, sources: Mapping[str, str], options: ClaimOptions
) -> _Alignment:
    """Phase 1: decide every pair of statements of different articles whose cosine may matter; the pairs
    that can only be "apart" are settled together first (:func:`.screen.pairs_to_decide`)."""
    sims = vec @ vec.T if len(vec) else np.zeros((0, 0))
    n = len(sts)
    sets = DisjointSets(list(range(n)))
    rare = rare_names(sts, options)
    disputes: list[tuple[int, int, Conflict]] = []
    edges: dict[tuple[int, int], float] = {}
    low = min(options.align_cosine, options.dispute_cosine, options.anchor_align_cosine)
    rows, cols = np.nonzero(np.triu(sims >= low * 0.75, k=1))
    decide = pairs_to_decide(sts, sims, rows, cols, rare, options)
    for i, j in zip(rows[decide].tolist(), cols[decide].tolist(), strict=True):
        a, b = sts[i], sts[j]
        if a.article_id == b.article_id:
            continue
        same_source = sources.get(a.article_id) == sources.get(b.article_id)
        decision, conflict = pair_memo.decide(a, b, float(sims[i, j]), same_source, rare, options)
        if decision == "dispute" and conflict is not None:
            disputes.append((i, j, conflict))
        elif decision == "align":
            sets.join(i, j)
            edges[(min(i, j), max(i, j))] = float(sims[i, j])
    group_of = [sets.root(i) for i in range(n)]
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[group_of[i]].append(i)
    return _Alignment(group_of, groups, disputes, edges)


def _disputed_claims(
    left: tuple[str, Sequence[str]],
    right: tuple[str, Sequence[str]],
    conflict: Conflict,
    attribution: _Attribution,
) -> tuple[Claim, Claim]:
    """The two sides of a dispute, each ``(text, article ids stating it)``, as claims giving the reason."""
    return (
        attribution.claim(left[0], "disputed", left[1], conflict),
        attribution.claim(right[0], "disputed", right[1], conflict.flipped()),
    )


def _title_disputes(
    roles: Sequence[RoleStatement], attribution: _Attribution
) -> tuple[list[tuple[Claim, Claim]], set[tuple[str, int]]]:
    """Phase 2: the titles of one actor on which sources disagree, and the sentences that gave them."""
    pairs: list[tuple[Claim, Claim]] = []
    role_sentences: set[tuple[str, int]] = set()
    for left, right, conflict in find_role_conflicts(roles, attribution.sources):
        role_sentences.update((r.article_id, r.index) for r in (*left, *right))
        pairs.append(
            _disputed_claims(
                (left[0].text, [r.article_id for r in left]),
                (right[0].text, [r.article_id for r in right]),
                conflict,
                attribution,
            )
        )
    return pairs, role_sentences


def _statement_disputes(
    sts: Sequence[Statement],
    aligned: _Alignment,
    attribution: _Attribution,
    role_sentences: set[tuple[str, int]],
) -> tuple[list[tuple[Claim, Claim]], set[int]]:
    """Phase 3: the disputes between groups of statements (strongest first; a group in one at most), and
    the groups they take."""
    pairs: list[tuple[Claim, Claim]] = []
    disputed_groups: set[int] = set()
    seen_pairs: set[tuple[int, int]] = set()
    for i, j, conflict in sorted(aligned.disputes, key=lambda d: -d[2].confidence):
        gi, gj = aligned.group_of[i], aligned.group_of[j]
        if gi == gj or (gi, gj) in seen_pairs or (gj, gi) in seen_pairs:
            continue
        if conflict.kind == "role" and {(sts[x].article_id, sts[x].index) for x in (i, j)} <= role_sentences:
            continue  # already shown as a title dispute of the actor
        if gi in disputed_groups or gj in disputed_groups:
            continue  # a group already shown in a dispute is not shown twice
        seen_pairs.add((gi, gj))
        disputed_groups.update({gi, gj})
        pairs.append(
            _disputed_claims(
                (sts[i].text, _stating(i, aligned.groups[gi], sts, aligned)),
                (sts[j].text, _stating(j, aligned.groups[gj], sts, aligned)),
                conflict,
                attribution,
            )
        )
    return pairs, disputed_groups


def _stating(k: int, members: Sequence[int], sts: Sequence[Statement], aligned: _Alignment) -> list[str]:
    """The articles stating statement ``k``: its own and those of the members aligned with it directly."""
    return [sts[m].article_id for m in members if m == k or aligned.aligned(k, m)]


def _undisputed_claims(
    sts: Sequence[Statement],
    aligned: _Alignment,
    attribution: _Attribution,
    disputed_groups: set[int],
    role_sentences: set[tuple[str, int]],
) -> tuple[list[tuple[float, Claim]], list[tuple[float, Claim]]]:
    """Phase 4: the other groups as corroborated or single-source claims, each with its ranking score."""
    corroborated: list[tuple[float, Claim]] = []
    single: list[tuple[float, Claim]] = []
    for g, group in aligned.groups.items():
        if g in disputed_groups:
            continue
        for members in _cliques(group, sts, aligned, attribution):
            ids = [sts[m].article_id for m in members]
            _, support = attribution.describe(ids)
            rep = max(members, key=lambda m: (aligned.closeness(m, members), -sts[m].index, -m))
            score = max(_informativeness(sts[m]) for m in members)
            if support.corroborated:
                claim = attribution.claim(sts[rep].text, "corroborated", ids)
                corroborated.append((support.sources * 10 + score, claim))
            elif not any((sts[m].article_id, sts[m].index) in role_sentences for m in members):
                single.append((score, attribution.claim(sts[rep].text, "single_source", ids)))
    return corroborated, single


def _cliques(
    group: Sequence[int], sts: Sequence[Statement], aligned: _Alignment, attribution: _Attribution
) -> list[list[int]]:
    """A group of aligned statements cut into sets whose statements are all aligned pair by pair, the set
    with the most sources (then statements, then summed cosine) first, again on what is aligned with none
    of it (the rest is left out: "… more than 2,300 residents had been moved to safety", aligned with one
    of two sentences giving the evacuation, is not one outlet's claim); a set's claim is shown in the
    words of its statement closest to the others, not in its earliest sentence, which may say more than
    the others ("Wang, who spent two years in prison …, was accused of organizing a political party",
    aligned with one of four sentences calling him a student leader at Tiananmen, DUC 2004 d30022t).
    Seeds of a set: the ``MAX_CLAIM_SEEDS`` statements aligned with the most others (a bound on the time
    a story's largest group takes). Alignment joins a chain, and
    the ends of a chain state different facts: "Prodi met with President Oscar Luigi Scalfaro to submit
    his resignation" ~ "Prodi met Monday with President Oscar Luigi Scalfaro and coalition leaders to
    devise a strategy" ~ "… Prodi would meet on Monday with President Oskar Luigi Scalfaro …, though not
    to offer his resignation" (DUC 2004 d30055t) had cited all three for the first."""
    left = sorted(group, key=lambda m: (sts[m].index, m))
    out: list[list[int]] = []
    while left:
        best: list[int] = []
        best_key: tuple[int, int, float] = (0, 0, 0.0)
        degree = {m: sum(aligned.aligned(m, o) for o in left if o != m) for m in left}
        seeds = sorted(left, key=lambda m: -degree[m])[:MAX_CLAIM_SEEDS]
        for seed in seeds:
            clique = [seed]
            for m in left:
                if m != seed and all(aligned.aligned(m, c) for c in clique):
                    clique.append(m)
            _, support = attribution.describe([sts[m].article_id for m in clique])
            key = (support.sources, len(clique), sum(aligned.closeness(m, clique) for m in clique))
            if key > best_key:
                best, best_key = clique, key
        out.append(sorted(best, key=lambda m: (sts[m].index, m)))
        # A statement aligned with one of the set but not all is left out, not shown on its own: it may
        # state the same fact, and one source's claim it is not.
        left = [m for m in left if m not in best and not any(aligned.aligned(m, b) for b in best)]
    return out


def _informativeness(st: Statement) -> float:
    """Numbers, names and dates a statement gives, and its length (:func:`.words.information`, kept per
    text); earlier sentences a little first."""
    return information(st.text) - 0.05 * st.index


def _listing(
    corroborated: list[tuple[float, Claim]],
    disputes: Sequence[tuple[Claim, Claim]],
    single: list[tuple[float, Claim]],
    options: ClaimOptions,
) -> tuple[Claim, ...]:
    """The best-sourced corroborated claims, every dispute as two claims pointing at each other, then the
    most informative single-source claims."""
    corroborated.sort(key=lambda x: -x[0])
    single.sort(key=lambda x: -x[0])
    out: list[Claim] = [c for _, c in corroborated[: options.max_corroborated]]
    for left_claim, right_claim in disputes:
        k = len(out)
        out.append(_with_conflict(left_claim, k + 1))
        out.append(_with_conflict(right_claim, k))
    out.extend(c for _, c in single[: options.max_single_source])
    return tuple(out)


def _with_conflict(claim: Claim, other: int) -> Claim:
    return replace(claim, conflicts_with=(other,))
