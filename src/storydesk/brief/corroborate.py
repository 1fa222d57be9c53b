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
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from ..analyse.rules import (
    ALIGN_COSINE,
    ALIGN_LEXICAL,
    ANCHOR_ALIGN_COSINE,
    ANCHOR_ALIGN_WEIGHT,
    DISPUTE_COSINE,
    DISPUTE_REST_SIMILARITY,
    DOMAIN_TITLE_MODIFIERS,
    MAGNITUDE_WORDS,
    MAX_CLAIM_WORDS,
    MAX_CONFLICT_SPAN_WORDS,
    MAX_CORROBORATED,
    MAX_SINGLE_SOURCE,
    MIN_CLAIM_WORDS,
    MIN_SHARED_CONTEXT_WORDS,
    MONTHS,
    NAME_ANCHOR_ALIGN_COSINE,
    NUMBER_RE,
    NUMBER_WORDS,
    PARAPHRASE_DISPUTE_COSINE,
    RANK_TITLE_MODIFIERS,
    RARE_NAME_MAX_DF,
    RARE_NAME_SHARE,
    TITLE_MODIFIERS,
    TITLE_WORDS,
    WEEKDAYS,
    WIRE_COPY_SHARE,
)
from ..model import Article, Claim, Sentence, normalise_for_id

__all__ = [
    "Statement",
    "RoleStatement",
    "Conflict",
    "corroborate",
    "find_conflict",
    "find_number_conflict",
    "find_role_conflicts",
    "source_groups",
]

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
        return f"{self.kind}: {self.left} vs {self.right}"

    def flipped(self) -> Conflict:
        return Conflict(self.kind, self.right, self.left, self.confidence)


@dataclass(frozen=True, slots=True)
class RoleStatement:
    """A sentence giving an actor a role: "Foreign Minister Pavel Dronov" → (Pavel Dronov, Foreign Minister)."""

    actor: str
    role: str
    article_id: str
    index: int
    text: str


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
        span = _classify(a, b, ta, tb, i1, i2, j1, j2, left.people, right.people)
        if span is not None and max(i2 - i1, j2 - j1) <= MAX_CONFLICT_SPAN_WORDS:
            found.append(span)
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


#: Per-text results kept per process (names, context words, quantities, word counts). A story compares its
#: statements pairwise, so each text is read many times; bounded so a long-running worker stays flat.
TEXT_CACHE_SIZE = 8192


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _words(text: str) -> tuple[tuple[str, ...], Counter[str]]:
    words = tuple(text.casefold().split())
    return words, Counter(words)


def _lexically_aligned(a: str, b: str) -> bool:
    """Whether the word sequences of ``a`` and ``b`` match (difflib ratio ≥ ``ALIGN_LEXICAL``).

    The ratio is 2·matched / total words, and no more words can match than the two bags share, so most
    pairs are settled by the bags alone (as ``SequenceMatcher.quick_ratio`` does, without rebuilding
    them per pair); difflib runs only for the rest.
    """
    (wa, ca), (wb, cb) = _words(a), _words(b)
    total = len(wa) + len(wb)
    if not total:
        return False
    if len(ca) > len(cb):
        ca, cb = cb, ca
    shared = sum(min(n, cb[w]) for w, n in ca.items() if w in cb)
    if 2 * shared < ALIGN_LEXICAL * total:
        return False
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio() >= ALIGN_LEXICAL


_CONTEXT_STOP = frozenset(
    """the a an and or but of in on at to for by with from as that this these those was were is are be been
    has have had it its their his her he she they them said says after before than more less about just
    under over least most some all any who which when where while two three four five six seven eight nine
    ten""".split()
)


@dataclass(frozen=True, slots=True)
class _Quantity:
    """A number in a sentence with its unit: currency, magnitude ("million") or the noun it counts."""

    value: str
    currency: str
    magnitude: str
    noun: str
    shown: str

    @property
    def unit(self) -> tuple[str, str, str]:
        # A currency or magnitude is the unit; only a bare count is compared by the noun it counts.
        return (self.currency, self.magnitude, "" if self.currency or self.magnitude else self.noun)

    @property
    def strong(self) -> bool:
        digits = sum(c.isdigit() for c in self.value)
        return digits >= 3 or "." in self.value or bool(self.magnitude) or bool(self.currency)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _quantities(text: str) -> tuple[_Quantity, ...]:
    """Numbers written in digits (years excluded) with their units."""
    toks = _tokens(text)
    out = []
    for k, tok in enumerate(toks):
        if not tok[:1].isdigit() and not tok.startswith("$"):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", tok):
            continue  # a year is a date, compared by the date rules
        value = _number_value(tok).rstrip("%")
        currency = "$" if tok.startswith("$") else ""
        nxt = [t.casefold() for t in toks[k + 1 : k + 3]]
        magnitude = "%" if tok.endswith("%") else (nxt[0] if nxt and nxt[0] in MAGNITUDE_WORDS else "")
        after = nxt[1:] if magnitude and magnitude != "%" else nxt
        noun = after[0] if after and after[0].isalpha() and after[0] not in _CONTEXT_STOP else ""
        shown = tok + (f" {magnitude}" if magnitude and magnitude != "%" else "")
        if not magnitude and not currency and noun:
            shown = f"{tok} {noun}"
        out.append(_Quantity(value, currency, magnitude, noun, shown))
    return tuple(out)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _names(text: str) -> frozenset[str]:
    """Runs of capitalised words (a single word opening the sentence is not a name)."""
    toks = _tokens(text)
    runs: set[str] = set()
    k = 0
    while k < len(toks):
        if toks[k][:1].isupper() and not _is_date_word(toks[k]):
            e = k
            while e + 1 < len(toks) and toks[e + 1][:1].isupper() and not _is_date_word(toks[e + 1]):
                e += 1
            if not (k == 0 and e == 0):
                runs.add(" ".join(toks[k : e + 1]).casefold())
            k = e + 1
        else:
            k += 1
    return frozenset(runs)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _context_words(text: str) -> frozenset[str]:
    return frozenset(
        w
        for w in re.findall(r"[a-z][a-z'-]{2,}", text.casefold())
        if w not in _CONTEXT_STOP and w not in MAGNITUDE_WORDS
    )


def find_number_conflict(left: Statement, right: Statement) -> Conflict | None:
    """Two paraphrases giving different numbers of the same unit ("$34 million" vs "$48 million").

    Only numbers with a unit count (a currency, a magnitude, or the noun counted: "14 people"), a side's
    number must be absent from the other side, and the sentences must share context words besides the
    numbers. The caller checks that the two are paraphrases (embedding cosine).
    """
    qa, qb = _quantities(left.text), _quantities(right.text)
    if not qa or not qb:
        return None
    shared_context = _context_words(left.text) & _context_words(right.text)
    if len(shared_context) < MIN_SHARED_CONTEXT_WORDS:
        return None
    values_a = {(q.unit, q.value) for q in qa}
    values_b = {(q.unit, q.value) for q in qb}
    for x in qa:
        if not any(x.unit):
            continue
        for y in qb:
            if x.unit != y.unit or x.value == y.value:
                continue
            if (x.unit, x.value) in values_b or (y.unit, y.value) in values_a:
                continue
            return Conflict("number", x.shown, y.shown, 1.0)
    return None


def _anchor_weight(a: Statement, b: Statement, rare: set[str]) -> tuple[float, bool]:
    """What two statements share that pins them to one fact: (weight, whether numbers take part)."""
    qa, qb = _quantities(a.text), _quantities(b.text)
    weight = 0.0
    numbers = False
    values_b = {(q.unit, q.value) for q in qb} | {(("", "", ""), q.value) for q in qb}
    seen: set[str] = set()
    for q in qa:
        if q.value in seen:
            continue
        if (q.unit, q.value) in values_b or (("", "", ""), q.value) in values_b:
            seen.add(q.value)
            weight += 1.0 if q.strong else 0.5
            numbers = True
    shared_names = _names(a.text) & _names(b.text) & rare
    weight += 0.5 * len(shared_names)
    return weight, numbers


def _rare_names(statements: Sequence[Statement]) -> set[str]:
    df: dict[str, int] = defaultdict(int)
    for st in statements:
        for name in _names(st.text):
            df[name] += 1
    limit = min(RARE_NAME_MAX_DF, max(2, int(RARE_NAME_SHARE * len(statements))))
    return {n for n, c in df.items() if c <= limit}


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


def _informativeness(st: Statement) -> float:
    toks = _tokens(st.text)
    numbers = sum(_is_number(t) for t in toks)
    names = sum(1 for t in toks[1:] if t[:1].isupper())
    dates = sum(_is_date_word(t) for t in toks)
    return numbers + 0.5 * names + dates + min(len(toks), 30) / 30 - 0.05 * st.index


def _pair_decision(
    a: Statement,
    b: Statement,
    cos: float,
    same_source: bool,
    rare: set[str],
) -> tuple[str, Conflict | None]:
    """``("dispute", conflict)``, ``("align", None)`` or ``("apart", None)`` for two statements."""
    lex = _lexically_aligned(a.text, b.text)
    if not same_source and (cos >= DISPUTE_COSINE or lex):
        conflict = find_conflict(a, b)
        if conflict is not None:
            return "dispute", conflict
    if not same_source and cos >= PARAPHRASE_DISPUTE_COSINE:
        conflict = find_number_conflict(a, b)
        if conflict is not None:
            return "dispute", conflict
    if cos >= ALIGN_COSINE or lex:
        return "align", None
    if cos >= ANCHOR_ALIGN_COSINE:
        weight, numbers = _anchor_weight(a, b, rare)
        floor = ANCHOR_ALIGN_COSINE if numbers else NAME_ANCHOR_ALIGN_COSINE
        if weight >= ANCHOR_ALIGN_WEIGHT and cos >= floor and find_number_conflict(a, b) is None:
            return "align", None
    return "apart", None


def corroborate(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    sources: Mapping[str, str],
    outlets: Mapping[str, str | None] | None = None,
    roles: Sequence[RoleStatement] = (),
) -> tuple[Claim, ...]:
    """Claims from ``statements`` (rows of ``vectors`` are their L2-normalised embeddings).

    ``sources`` maps article ids to source keys (see :func:`source_groups`); ``outlets`` maps article ids to
    outlet names for display; ``roles`` are the titles given to actors, compared across sources (see
    :func:`find_role_conflicts`). Returns corroborated claims (best-sourced first), then each dispute as two
    adjacent claims pointing at each other, then single-source claims (most informative first).
    """
    keep = [i for i, s in enumerate(statements) if MIN_CLAIM_WORDS <= len(s.text.split()) <= MAX_CLAIM_WORDS]
    if not keep:
        return ()
    sts = [statements[i] for i in keep]
    vec = np.asarray(vectors, dtype=np.float32)[keep]
    sims = vec @ vec.T if len(vec) else np.zeros((0, 0))
    n = len(sts)
    parent = list(range(n))
    rare = _rare_names(sts)

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    disputes: list[tuple[int, int, Conflict]] = []
    low = min(ALIGN_COSINE, DISPUTE_COSINE, ANCHOR_ALIGN_COSINE)
    rows, cols = np.nonzero(np.triu(sims >= low * 0.75, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        a, b = sts[i], sts[j]
        if a.article_id == b.article_id:
            continue
        same_source = sources.get(a.article_id) == sources.get(b.article_id)
        decision, conflict = _pair_decision(a, b, float(sims[i, j]), same_source, rare)
        if decision == "dispute" and conflict is not None:
            disputes.append((i, j, conflict))
        elif decision == "align":
            parent[root(j)] = root(i)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[root(i)].append(i)

    def describe(members: Sequence[int]) -> tuple[tuple[str, ...], tuple[str, ...], set[str]]:
        return _describe([sts[m].article_id for m in members], sources, outlets)

    disputed_groups: set[int] = set()
    role_sentences: set[tuple[str, int]] = set()
    claims_disputed: list[tuple[Claim, Claim]] = []
    for left, right, conflict in find_role_conflicts(roles, sources):
        arts_l, outs_l, _ = _describe([r.article_id for r in left], sources, outlets)
        arts_r, outs_r, _ = _describe([r.article_id for r in right], sources, outlets)
        role_sentences.update((r.article_id, r.index) for r in (*left, *right))
        claims_disputed.append(
            (
                Claim(left[0].text, "disputed", arts_l, outs_l, (), conflict.confidence, conflict.reason),
                Claim(
                    right[0].text,
                    "disputed",
                    arts_r,
                    outs_r,
                    (),
                    conflict.confidence,
                    conflict.flipped().reason,
                ),
            )
        )

    seen_pairs: set[tuple[int, int]] = set()
    for i, j, conflict in sorted(disputes, key=lambda d: -d[2].confidence):
        gi, gj = root(i), root(j)
        if gi == gj or (gi, gj) in seen_pairs or (gj, gi) in seen_pairs:
            continue
        if conflict.kind == "role" and {(sts[x].article_id, sts[x].index) for x in (i, j)} <= role_sentences:
            continue  # already shown as a title dispute of the actor
        if gi in disputed_groups or gj in disputed_groups:
            continue  # a group already shown in a dispute is not shown twice
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
                    conflict.flipped().reason,
                ),
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
        elif not any((sts[m].article_id, sts[m].index) in role_sentences for m in members):
            single.append(
                (score, Claim(sts[rep].text, "single_source", arts, names, (), None, "one source only"))
            )
    corroborated.sort(key=lambda x: -x[0])
    single.sort(key=lambda x: -x[0])

    out: list[Claim] = [c for _, c in corroborated[:MAX_CORROBORATED]]
    for left_claim, right_claim in claims_disputed:
        k = len(out)
        out.append(_with_conflict(left_claim, k + 1))
        out.append(_with_conflict(right_claim, k))
    out.extend(c for _, c in single[:MAX_SINGLE_SOURCE])
    return tuple(out)


def _describe(
    article_ids: Sequence[str], sources: Mapping[str, str], outlets: Mapping[str, str | None] | None
) -> tuple[tuple[str, ...], tuple[str, ...], set[str]]:
    arts = tuple(dict.fromkeys(article_ids))
    names = tuple(dict.fromkeys(o for a in arts if (o := (outlets or {}).get(a))))
    return arts, names, {sources.get(a, a) for a in arts}


def _with_conflict(claim: Claim, other: int) -> Claim:
    return Claim(
        claim.text, claim.status, claim.articles, claim.outlets, (other,), claim.confidence, claim.reason
    )
