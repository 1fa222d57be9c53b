"""Claims across outlets: corroborated, single-source and disputed.

The cascade:

1. sources: articles of one outlet are one source, and so are copies of one wire story carried by
   different outlets (most of their sentences identical) — :func:`source_groups`;
2. align statements (sentences of a usable length) of different articles when their embeddings are close
   (cosine ≥ ``ALIGN_COSINE``) or their word sequences are (``ALIGN_LEXICAL``);
3. before joining two aligned statements of different sources, compare them word by word: when the rest
   of the sentence agrees (``DISPUTE_REST_SIMILARITY``) but a short differing span is a number, a date,
   a person's name or a title ("Foreign Minister" vs "Deputy Foreign Minister"), the pair is a dispute
   and both sides are kept apart;
4. a group of aligned statements from two or more sources is ``corroborated``; from one source,
   ``single_source``; the two sides of a dispute are ``disputed`` and point at each other through
   ``conflicts_with``;
5. keep the most informative: the best-sourced corroborated claims, single-source claims with numbers,
   names and dates first, every dispute.

Unrelated sentences never conflict: a dispute needs both the embedding similarity and the word-level
agreement of everything outside the differing span.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from .analyse.rules import (
    ALIGN_COSINE,
    ALIGN_LEXICAL,
    DISPUTE_COSINE,
    DISPUTE_REST_SIMILARITY,
    MAX_CLAIM_WORDS,
    MAX_CONFLICT_SPAN_WORDS,
    MAX_CORROBORATED,
    MAX_SINGLE_SOURCE,
    MIN_CLAIM_WORDS,
    MONTHS,
    NUMBER_RE,
    NUMBER_WORDS,
    TITLE_MODIFIERS,
    TITLE_WORDS,
    WEEKDAYS,
    WIRE_COPY_SHARE,
)
from .model import Article, Claim, Sentence, normalise_for_id

__all__ = ["Statement", "Conflict", "corroborate", "find_conflict", "source_groups"]

_TOKEN = re.compile(r"\$?\d[\d,]*(?:\.\d+)?%?|\w[\w’'-]*")


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence offered as a claim: where it comes from and the people it names (surface forms)."""

    article_id: str
    index: int
    text: str
    people: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why two statements disagree: the kind (number/date/name/role), the two sides, and how sure."""

    kind: str
    left: str
    right: str
    confidence: float

    @property
    def reason(self) -> str:
        return f"{self.kind}: {self.left!r} vs {self.right!r}"


def source_groups(articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]]) -> dict[str, str]:
    """Each article id → its source key: its outlet, shared by copies of one wire story across outlets."""
    keys = {a.id: (a.outlet or a.id).strip().casefold() for a in articles}
    sets = {
        a.id: {normalise_for_id(s.text) for s in sentences.get(a.id, ()) if len(s.text.split()) >= 4}
        for a in articles
    }
    parent = {a.id: a.id for a in articles}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_outlet: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        by_outlet[keys[a.id]].append(a.id)
    for ids in by_outlet.values():
        for other in ids[1:]:
            parent[root(other)] = root(ids[0])
    for i, a in enumerate(articles):
        for b in articles[i + 1 :]:
            sa, sb = sets[a.id], sets[b.id]
            if sa and sb and len(sa & sb) >= WIRE_COPY_SHARE * min(len(sa), len(sb)):
                parent[root(b.id)] = root(a.id)
    return {a.id: keys[root(a.id)] for a in articles}


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_number(tok: str) -> bool:
    return bool(NUMBER_RE.fullmatch(tok)) or tok.casefold() in NUMBER_WORDS


def _number_value(tok: str) -> str:
    return tok.replace(",", "").replace("$", "").casefold()


def _is_date_word(tok: str) -> bool:
    low = tok.casefold().rstrip(".")
    return low in MONTHS or low in WEEKDAYS or bool(re.fullmatch(r"(?:19|20)\d\d", tok))


def _is_title(tok: str) -> bool:
    low = tok.casefold()
    return low in TITLE_WORDS or low in TITLE_MODIFIERS


def _in_people(span: str, people: Sequence[str]) -> bool:
    return bool(span) and any(span in p or p in span for p in people)


def _classify(a: list[str], b: list[str], ta: list[str], tb: list[str], i1: int, i2: int, j1: int, j2: int,
              people_a: Sequence[str], people_b: Sequence[str]) -> tuple[str, str, str] | None:  # fmt: skip
    sa, sb = ta[i1:i2], tb[j1:j2]
    text_a, text_b = " ".join(sa), " ".join(sb)
    if sa and sb and any(_is_date_word(t) for t in sa) and any(_is_date_word(t) for t in sb):
        return "date", text_a, text_b
    nums_a = [_number_value(t) for t in sa if _is_number(t)]
    nums_b = [_number_value(t) for t in sb if _is_number(t)]
    if nums_a and nums_b and nums_a != nums_b:
        return "number", text_a, text_b
    if all(_is_title(t) for t in sa + sb) and (sa or sb):
        # Widen to the whole title on each side: "Deputy Foreign Minister" vs "Foreign Minister".
        def widen(toks: list[str], s: int, e: int) -> str:
            while s > 0 and _is_title(toks[s - 1]):
                s -= 1
            while e < len(toks) and _is_title(toks[e]):
                e += 1
            return " ".join(toks[s:e])

        left, right = widen(ta, i1, i2), widen(tb, j1, j2)
        if left.casefold() != right.casefold() and any(
            t.casefold() in TITLE_WORDS for t in (left + " " + right).split()
        ):
            return "role", left, right
        return None
    if (
        sa
        and sb
        and all(t[:1].isupper() for t in sa + sb)
        and _in_people(text_a, people_a)
        and _in_people(text_b, people_b)
    ):
        return "name", text_a, text_b
    return None


def find_conflict(left: Statement, right: Statement) -> Conflict | None:
    """A number, date, name or title on which two otherwise matching statements disagree, or ``None``."""
    ta, tb = _tokens(left.text), _tokens(right.text)
    a, b = [t.casefold() for t in ta], [t.casefold() for t in tb]
    if not a or not b:
        return None
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    found: list[tuple[str, str, str]] = []
    differing = 0
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        kind = _classify(a, b, ta, tb, i1, i2, j1, j2, left.people, right.people)
        if kind is not None and max(i2 - i1, j2 - j1) <= MAX_CONFLICT_SPAN_WORDS:
            found.append(kind)
            differing += (i2 - i1) + (j2 - j1)
    if not found:
        return None
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    rest = len(a) + len(b) - differing
    rest_similarity = 2 * matched / rest if rest else 0.0
    if rest_similarity < DISPUTE_REST_SIMILARITY:
        return None
    kind, l_text, r_text = found[0]
    return Conflict(kind, l_text, r_text, round(min(1.0, rest_similarity), 3))


def _lexical(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold().split(), b.casefold().split(), autojunk=False).ratio()


def _informativeness(st: Statement) -> float:
    toks = _tokens(st.text)
    numbers = sum(_is_number(t) for t in toks)
    names = sum(1 for t in toks[1:] if t[:1].isupper())
    dates = sum(_is_date_word(t) for t in toks)
    return numbers + 0.5 * names + dates + min(len(toks), 30) / 30 - 0.05 * st.index


def corroborate(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    sources: Mapping[str, str],
    outlets: Mapping[str, str | None] | None = None,
) -> tuple[Claim, ...]:
    """Claims from ``statements`` (rows of ``vectors`` are their L2-normalised embeddings).

    ``sources`` maps article ids to source keys (see :func:`source_groups`); ``outlets`` maps article ids to
    outlet names for display. Returns corroborated claims, then disputed pairs, then single-source claims.
    """
    keep = [i for i, s in enumerate(statements) if MIN_CLAIM_WORDS <= len(s.text.split()) <= MAX_CLAIM_WORDS]
    if not keep:
        return ()
    sts = [statements[i] for i in keep]
    vec = np.asarray(vectors, dtype=np.float32)[keep]
    sims = vec @ vec.T if len(vec) else np.zeros((0, 0))
    n = len(sts)
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    disputes: list[tuple[int, int, Conflict]] = []
    low = min(ALIGN_COSINE, DISPUTE_COSINE)
    rows, cols = np.nonzero(np.triu(sims >= low * 0.75, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        a, b = sts[i], sts[j]
        if a.article_id == b.article_id:
            continue
        cos = float(sims[i, j])
        lex = _lexical(a.text, b.text) if cos >= low * 0.75 else 0.0
        if sources.get(a.article_id) != sources.get(b.article_id) and (
            cos >= DISPUTE_COSINE or lex >= ALIGN_LEXICAL
        ):
            conflict = find_conflict(a, b)
            if conflict is not None:
                disputes.append((i, j, conflict))
                continue
        if cos >= ALIGN_COSINE or lex >= ALIGN_LEXICAL:
            parent[root(j)] = root(i)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[root(i)].append(i)

    def describe(members: list[int]) -> tuple[tuple[str, ...], tuple[str, ...], set[str]]:
        arts = tuple(dict.fromkeys(sts[m].article_id for m in members))
        names = tuple(dict.fromkeys(o for a in arts if (o := (outlets or {}).get(a))))
        return arts, names, {sources.get(a, a) for a in arts}

    disputed_groups: set[int] = set()
    claims_disputed: list[tuple[Claim, Claim]] = []
    seen_pairs: set[tuple[int, int]] = set()
    for i, j, conflict in sorted(disputes, key=lambda d: -d[2].confidence):
        gi, gj = root(i), root(j)
        if gi == gj or (gi, gj) in seen_pairs or (gj, gi) in seen_pairs:
            continue
        seen_pairs.add((gi, gj))
        disputed_groups.update({gi, gj})
        arts_i, outs_i, _ = describe(groups[gi])
        arts_j, outs_j, _ = describe(groups[gj])
        claims_disputed.append(
            (
                Claim(sts[i].text, "disputed", arts_i, outs_i, (), conflict.confidence, conflict.reason),
                Claim(
                    sts[j].text,
                    "disputed",
                    arts_j,
                    outs_j,
                    (),
                    conflict.confidence,
                    f"{conflict.kind}: {conflict.right!r} vs {conflict.left!r}",
                ),  # fmt: skip
            )
        )

    corroborated: list[tuple[float, Claim]] = []
    single: list[tuple[float, Claim]] = []
    for g, members in groups.items():
        if g in disputed_groups:
            continue
        arts, names, srcs = describe(members)
        rep = min(members, key=lambda m: (sts[m].index, m))
        score = max(_informativeness(sts[m]) for m in members)
        if len(srcs) >= 2:
            reason = f"stated by {len(srcs)} independent sources"
            corroborated.append(
                (len(srcs) * 10 + score, Claim(sts[rep].text, "corroborated", arts, names, (), None, reason))
            )
        else:
            single.append(
                (score, Claim(sts[rep].text, "single_source", arts, names, (), None, "one source only"))
            )
    corroborated.sort(key=lambda x: -x[0])
    single.sort(key=lambda x: -x[0])

    out: list[Claim] = [c for _, c in corroborated[:MAX_CORROBORATED]]
    for left, right in claims_disputed:
        k = len(out)
        out.append(_with_conflict(left, k + 1))
        out.append(_with_conflict(right, k))
    out.extend(c for _, c in single[:MAX_SINGLE_SOURCE])
    return tuple(out)


def _with_conflict(claim: Claim, other: int) -> Claim:
    return Claim(
        claim.text, claim.status, claim.articles, claim.outlets, (other,), claim.confidence, claim.reason
    )
