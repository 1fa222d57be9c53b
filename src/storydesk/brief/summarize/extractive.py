"""Extractive multi-document summarization by concept coverage (Gillick & Favre 2009, ICSISumm-style).

The recipe:

1. split every article into sentences and clean them (a sentence-initial dateline is cut off; the rest
   stays verbatim, so its offsets still point into the article);
2. keep the sentences fit for a summary (long enough, not a question, not a quote fragment or byline);
3. concepts are the stemmed content bigrams stated by at least ``CONCEPT_MIN_DF`` articles, weighted by
   how many articles state them (plus, optionally, content unigrams); an integer program
   (``scipy.optimize.milp``) picks the sentences that cover the most concept weight within the budget,
   so that a concept counts once; sentences stating the same thing exclude each other; with an embedder,
   each sentence also earns a bonus for its closeness to the story's centroid (MiniLM), so central
   sentences win ties of coverage. The program is reduced exactly before it is solved (a concept only one
   sentence states is part of that sentence's coefficient; concepts stated by the same sentences are
   one). Under the product's budget in sentences, Lin & Bilmes' budgeted greedy with a few local swaps
   solves it instead (milliseconds instead of most of a second, as good in ROUGE); it is also the ILP's
   fall-back;
4. the chosen sentences are ordered by publication date, then position, and each is cited by every
   article that states it (:mod:`.citations`).

One method serves the product (``max_sentences``) and the DUC evaluation (``max_words``).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import or_

import numpy as np
from scipy import sparse

from ...analyse.sentences import split_sentences
from ...group.embed import Embedder
from ...model import Article, Sentence, SummarySentence
from . import rules as R

__all__ = ["Embedder", "Candidate", "summarize", "headline", "candidates", "tokens"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A cleaned sentence that may enter a summary."""

    sentence: Sentence
    position: int  # rank among the article's sentences (0 = lead)
    words: int  # whitespace words, as the DUC protocol counts them
    stems: tuple[str, ...]  # stemmed tokens, as ROUGE sees them
    content: frozenset[str]  # stemmed content words
    bigrams: frozenset[tuple[str, str]]  # stemmed bigrams with at least one content word


_TOKEN = re.compile(r"[a-z0-9]+")


#: Stems kept per process. Bounded so that a long-running worker's memory stays flat: each entry costs
#: ~260 bytes (a 200,000-word cache grew a briefing worker by ~45 MB over 20,000 articles of ever-new
#: vocabulary); news text repeats its common words, so 50,000 still answers most lookups.
STEM_CACHE_WORDS = 50_000


@lru_cache(maxsize=STEM_CACHE_WORDS)
def _stem(word: str) -> str:
    return _porter().stem(word) if len(word) > 3 else word


@lru_cache(maxsize=1)
def _porter():  # type: ignore[no-untyped-def]
    from nltk.stem import porter

    return porter.PorterStemmer()


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "mr", "mrs", "ms"}


def tokens(text: str) -> list[str]:
    """Lower-cased, Porter-stemmed alphanumeric tokens (the way rouge-score tokenizes)."""
    return [_stem(t) for t in _TOKEN.findall(text.lower())]


def _content_and_bigrams(text: str) -> tuple[tuple[str, ...], frozenset[str], frozenset[tuple[str, str]]]:
    """Stemmed tokens, stemmed content words, and stemmed bigrams with at least one content word."""
    raw = _TOKEN.findall(text.lower())
    stops = _stop_words()
    stems = tuple(map(_stem, raw))
    is_content = [t not in stops and len(t) > 1 and not t.isdigit() for t in raw]
    content = frozenset(compress(stems, is_content))
    either = map(or_, is_content, is_content[1:])
    bigrams = frozenset(compress(zip(stems, stems[1:], strict=False), either))  # neighbours
    return stems, content, bigrams


# --- cleaning and filtering ---------------------------------------------------------------------------


def strip_dateline(sentence: Sentence) -> Sentence:
    """Cut a sentence-initial dateline ("WASHINGTON (AP) --") off; offsets stay true to the article."""
    m = R.DATELINE.match(sentence.text)
    if not m or m.end() >= len(sentence.text):
        return sentence
    cut = m.end()
    return Sentence(
        article_id=sentence.article_id,
        index=sentence.index,
        text=sentence.text[cut:],
        start=sentence.start + cut,
        end=sentence.end,
        paragraph=sentence.paragraph,
    )


def strip_attribution(sentence: Sentence) -> Sentence:
    """Cut a trailing attribution (", officials said Tuesday.") off a sentence that is not a quotation.

    The result stays a verbatim span of the article (without the final full stop).
    """
    if any(q in sentence.text for q in R.QUOTE_CHARS):
        return sentence
    m = R.TRAILING_ATTRIBUTION.search(sentence.text)
    if not m or len(sentence.text[: m.start()].split()) < R.MIN_SENTENCE_WORDS:
        return sentence
    text = sentence.text[: m.start()]
    return Sentence(
        article_id=sentence.article_id,
        index=sentence.index,
        text=text,
        start=sentence.start,
        end=sentence.start + len(text),
        paragraph=sentence.paragraph,
    )


def is_summary_worthy(text: str) -> bool:
    """False for sentences a reader cannot take alone: short, questions, bylines, quote fragments."""
    words = text.split()
    if not R.MIN_SENTENCE_WORDS <= len(words) <= R.MAX_SENTENCE_WORDS:
        return False
    stripped = text.rstrip(" \"'”’)")
    if stripped.endswith("?"):
        return False
    if R.BYLINE.search(text):
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in R.QUOTE_CHARS):
        return False
    quotes = sum(text.count(q) for q in R.QUOTE_CHARS)
    if quotes % 2:  # an unbalanced quotation mark: part of a quote that spans sentences
        return False
    if text[0] in R.QUOTE_CHARS and quotes <= 2 and text.rstrip()[-1] in R.QUOTE_CHARS:
        return False  # a bare quotation, with no one saying it
    if words[0].lower().strip(",") in R.DANGLING_OPENERS:
        return False
    return True


def candidates(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]] | None = None,
    *,
    prune: bool = False,
    max_position: int | None = None,
) -> list[Candidate]:
    """The cleaned, summary-worthy sentences of ``articles`` in article order, among the first
    ``max_position`` (default ``MAX_POSITION``) of each article."""
    limit = R.MAX_POSITION if max_position is None else max_position
    out: list[Candidate] = []
    for article in articles:
        sents = sentences.get(article.id) if sentences is not None else None
        if sents is None:
            sents = split_sentences(article)
        for position, sent in enumerate(sents):
            if position >= limit:
                break
            clean = strip_dateline(sent)
            if not is_summary_worthy(clean.text):
                continue
            if prune:
                clean = strip_attribution(clean)
            stems, content, bigrams = _content_and_bigrams(clean.text)
            out.append(Candidate(clean, position, len(clean.text.split()), stems, content, bigrams))
    return out


# --- the objective --------------------------------------------------------------------------------------


def _concept_weights(cands: Sequence[Candidate], n_articles: int) -> dict[object, float]:
    """Concept → weight: the number of articles stating it, each counted by how early it states it."""
    per_article: dict[str, dict[object, float]] = {c.sentence.article_id: {} for c in cands}
    # by rising factor, so that each concept keeps the factor of its earliest statement in the article
    for c in sorted(cands, key=_position_factor):
        per_article[c.sentence.article_id].update(dict.fromkeys(_sentence_concepts(c), _position_factor(c)))
    df: Counter[object] = Counter()
    for seen in per_article.values():
        df.update(seen.keys())
    min_df = R.CONCEPT_MIN_DF if n_articles > R.SMALL_STORY_ARTICLES else R.CONCEPT_MIN_DF_SMALL
    if n_articles <= 1:
        min_df = 1
    credit = {k: 0.0 for k, n in df.items() if n >= min_df}
    for seen in per_article.values():
        for k in seen.keys() & credit.keys():
            credit[k] += seen[k]
    return {k: v * (R.UNIGRAM_WEIGHT if isinstance(k, str) else 1.0) for k, v in credit.items()}


def _sentence_concepts(c: Candidate) -> AbstractSet[object]:
    """The concepts a candidate states: its bigrams (tuples), and its content words (strings) when
    unigrams count."""
    if R.UNIGRAM_WEIGHT > 0:
        return c.bigrams | c.content
    return c.bigrams


def _select(
    cands: Sequence[Candidate],
    weights: Mapping[object, float],
    budget_words: int,
    max_sentences: int | None,
    bonus: np.ndarray | None = None,
    *,
    solver: str = "ilp",
    expected: Mapping[str, np.ndarray] | None = None,
) -> list[int]:
    """Indices of the candidates covering the most concept weight (and, with ``expected``, the most
    expected ROUGE-1 of :mod:`.reference`) within the budget.

    ``solver`` is ``"ilp"`` (exact, HiGHS) or ``"greedy"`` (Lin & Bilmes' budgeted greedy, fast).
    """
    usable = [i for i, c in enumerate(cands) if c.words <= budget_words]
    if not usable:
        return []
    cover = _coverage(usable, cands, weights, bonus, expected=expected)
    if cover is None:
        # nothing shared between articles: fall back to the leads
        order = sorted(usable, key=lambda i: (cands[i].position, i))
        return _fill(order, cands, budget_words, max_sentences)
    conflicts = _redundant_pairs(usable, cands)
    chosen = None
    if solver == "ilp":
        chosen = _select_ilp(cover, budget_words, max_sentences, conflicts)
    if chosen is None:
        chosen = _select_greedy(cover, budget_words, max_sentences, conflicts)
    return [usable[j] for j in chosen]


@dataclass(frozen=True, slots=True)
class _Coverage:
    """The selection problem over the usable sentences: choose some, earn ``own`` for each chosen one
    and ``weight[k]`` once for each row ``k`` of ``shared`` that a chosen sentence covers.

    Reduced (the default), it is the concept-coverage ILP with fewer variables and the same optima: a
    concept stated by one usable sentence only is part of that sentence's ``own`` value, and concepts
    stated by the same set of sentences are one row, their weights summed.

    With a reference model, the objective also earns ``value[w, c]`` for saying the modelled word ``w``
    ``c`` times in all (concave in ``c``: the expected ROUGE-1 matches of :mod:`.reference`, weighted);
    ``said`` holds each sentence's occurrences of each modelled word, as (sentence, word, count) triples.
    """

    own: np.ndarray  # per sentence: bonus + tie-break (+ the weight of concepts only it states)
    shared: sparse.csc_matrix  # rows × sentences, 1 where the sentence states the row's concepts
    weight: np.ndarray  # per row
    words: np.ndarray  # per sentence
    by_sentence: sparse.csr_matrix  # ``shared`` transposed: sentences × rows
    said: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # (sentence, word, count) triples
    value_of: np.ndarray | None = None  # modelled words × (K_MAX + 1): what saying it c times earns

    def counts(self, chosen: Sequence[int]) -> np.ndarray:
        """Per modelled word, how many times the sentences ``chosen`` say it."""
        assert self.said is not None and self.value_of is not None
        s, w, n = self.said
        mask = np.isin(s, np.asarray(list(chosen), dtype=np.int64))
        return np.bincount(w[mask], weights=n[mask], minlength=len(self.value_of)).astype(np.int64)

    def expected_gains(self, counts: np.ndarray) -> np.ndarray:
        """Per sentence, what the expected ROUGE-1 term adds when the summary says each word ``counts``
        times so far."""
        if self.said is None or self.value_of is None:
            return np.zeros(len(self.own))
        s, w, n = self.said
        top = self.value_of.shape[1] - 1
        have = counts[w]
        delta = self.value_of[w, np.minimum(have + n, top)] - self.value_of[w, np.minimum(have, top)]
        return np.bincount(s, weights=delta, minlength=len(self.own))

    def expected_value(self, counts: np.ndarray) -> float:
        if self.value_of is None:
            return 0.0
        top = self.value_of.shape[1] - 1
        return float(self.value_of[np.arange(len(counts)), np.minimum(counts, top)].sum())

    def rows_of(self, j: int) -> np.ndarray:
        """The rows sentence ``j`` covers."""
        return self.by_sentence.indices[self.by_sentence.indptr[j] : self.by_sentence.indptr[j + 1]]

    def uncovered(self, chosen: Sequence[int]) -> np.ndarray:
        """Per row, whether no sentence of ``chosen`` covers it."""
        out = np.ones(self.shared.shape[0], dtype=bool)
        for j in chosen:
            out[self.rows_of(j)] = False
        return out

    def gains(self, chosen: Sequence[int]) -> np.ndarray:
        """Per sentence, what adding it to ``chosen`` adds to the objective."""
        out = self.own + self.by_sentence @ (self.weight * self.uncovered(chosen))
        if self.said is not None:
            out = out + self.expected_gains(self.counts(chosen))
        return out

    def value(self, chosen: Sequence[int]) -> float:
        """The objective of choosing the sentences ``chosen`` (positions)."""
        if not len(chosen):
            return 0.0
        covered = ~self.uncovered(chosen)
        total = float(self.own[list(chosen)].sum() + self.weight[covered].sum())
        if self.said is not None:
            total += self.expected_value(self.counts(chosen))
        return total


def _coverage(
    usable: Sequence[int],
    cands: Sequence[Candidate],
    weights: Mapping[object, float],
    bonus: np.ndarray | None,
    *,
    reduce: bool = True,
    expected: Mapping[str, np.ndarray] | None = None,
) -> _Coverage | None:
    """The selection problem of ``usable`` (see :class:`_Coverage`); None when no concept is stated.

    ``expected`` (word → expected share of a human summary per occurrence, from :mod:`.reference`) adds
    the expected ROUGE-1 term, weighted by ``EXPECTED_R1_WEIGHT``."""
    # a tiny preference for early sentences breaks ties between equal covers
    own = np.array([1e-3 * _position_factor(cands[i]) - 1e-3 for i in usable])
    if bonus is not None:
        own = own + bonus[usable]
    stated_by: dict[object, list[int]] = {}
    for j, i in enumerate(usable):
        for concept in _sentence_concepts(cands[i]):
            if concept in weights:
                stated_by.setdefault(concept, []).append(j)
    if not stated_by:
        return None
    rows: dict[object, float] = {}
    for concept, js in stated_by.items():
        w = weights[concept]
        if reduce and len(js) == 1:
            own[js[0]] += w
            continue
        key: object = tuple(js) if reduce else concept
        rows[key] = rows.get(key, 0.0) + w
    members = [tuple(k) if reduce else tuple(stated_by[k]) for k in rows]  # type: ignore[arg-type]
    data_rows = np.repeat(np.arange(len(members)), [len(m) for m in members])
    data_cols = np.fromiter((j for m in members for j in m), dtype=np.int64, count=len(data_rows))
    shared = sparse.csc_matrix(
        (np.ones(len(data_rows)), (data_rows, data_cols)), shape=(len(members), len(usable))
    )
    words = np.array([cands[i].words for i in usable], dtype=float)
    weight = np.fromiter(rows.values(), dtype=float, count=len(rows))
    said, value_of = _expected_terms(usable, cands, expected) if expected else (None, None)
    return _Coverage(own, shared, weight, words, shared.T.tocsr(), said, value_of)


def _expected_terms(
    usable: Sequence[int], cands: Sequence[Candidate], expected: Mapping[str, np.ndarray]
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray] | None, np.ndarray | None]:
    """The (sentence, word, count) triples of the modelled words the usable sentences say, and per word
    the weighted expected matches of saying it 0, 1, 2, … times (cumulative sums of its predictions);
    (None, None) when they say none."""
    column: dict[str, int] = {}
    s_idx: list[int] = []
    w_idx: list[int] = []
    n_said: list[int] = []
    for j, i in enumerate(usable):
        for w, n in Counter(t for t in cands[i].stems if t in expected).items():
            s_idx.append(j)
            w_idx.append(column.setdefault(w, len(column)))
            n_said.append(n)
    if not column:
        return None, None
    per_word = np.array([expected[w] for w in column])
    value_of = R.EXPECTED_R1_WEIGHT * np.hstack([np.zeros((len(column), 1)), np.cumsum(per_word, axis=1)])
    triples = (
        np.array(s_idx, dtype=np.int64),
        np.array(w_idx, dtype=np.int64),
        np.array(n_said, dtype=np.int64),
    )
    return triples, value_of


def _redundant_pairs(usable: Sequence[int], cands: Sequence[Candidate]) -> list[tuple[int, int]]:
    """Pairs (positions in ``usable``) of sentences that state the same thing: at most one may be chosen.

    The same test as :func:`.citations.equivalent` without vectors, on all pairs at once (sparse products).
    """
    vocab: dict[str, int] = {}
    indptr: list[int] = [0]
    indices: list[int] = []
    for i in usable:
        indices.extend(vocab.setdefault(w, len(vocab)) for w in cands[i].content)
        indptr.append(len(indices))
    if not indices:
        return []
    m = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(usable), len(vocab)))
    both = sparse.triu(m @ m.T, k=1).tocoo()
    keep = both.data >= 2  # sentences sharing fewer than two content words are never the same
    a, b, shared = both.row[keep], both.col[keep], both.data[keep]
    size = np.diff(m.indptr).astype(float)
    jaccard = shared / (size[a] + size[b] - shared)
    containment = shared / np.minimum(size[a], size[b])
    same = (jaccard >= R.SAME_TEXT_JACCARD) | (
        (containment >= R.SAME_TEXT_CONTAINMENT) & (shared >= R.SAME_TEXT_MIN_SHARED)
    )
    return sorted(zip(a[same].tolist(), b[same].tolist(), strict=True))


def _embed(cands: Sequence[Candidate], embedder: Embedder | None) -> np.ndarray | None:
    """The candidates' vectors (rows), None without an embedder (or candidates)."""
    if embedder is None or not cands:
        return None
    return np.asarray(embedder.embed([c.sentence.text for c in cands]), dtype=np.float32)


def _salience_bonus(cands: Sequence[Candidate], vectors: np.ndarray | None) -> np.ndarray | None:
    """Per candidate, what the objective adds for choosing it: ``CENTRALITY_WEIGHT`` × its words × the
    cosine of its vector to the story's centroid (or, with ``CENTRALITY_SUPPORT``, its support across
    articles). Without vectors there is no bonus."""
    if vectors is None or not cands or R.CENTRALITY_WEIGHT <= 0:
        return None
    words = np.array([c.words for c in cands], dtype=float)
    if R.CENTRALITY_SUPPORT:
        central = _support(cands, vectors)
    else:
        centroid = vectors.mean(axis=0)
        central = vectors @ (centroid / (float(np.linalg.norm(centroid)) or 1.0))
    bonus = R.CENTRALITY_WEIGHT * words * np.clip(central, 0.0, None)
    return bonus


def _support(cands: Sequence[Candidate], vectors: np.ndarray) -> np.ndarray:
    """Per candidate: mean over the other articles of its best cosine to one of their sentences."""
    owners = [c.sentence.article_id for c in cands]
    ids = sorted(set(owners))
    if len(ids) < 2:
        return np.ones(len(cands))
    sims = vectors @ vectors.T
    owner_index = np.array([ids.index(o) for o in owners])
    best = np.full((len(cands), len(ids)), 0.0)
    for k in range(len(ids)):
        cols = owner_index == k
        best[:, k] = sims[:, cols].max(axis=1)
    best[np.arange(len(cands)), owner_index] = 0.0
    return best.sum(axis=1) / (len(ids) - 1)


def _position_factor(c: Candidate) -> float:
    return 1.0 / (1.0 + R.POSITION_DECAY * c.position)


def _select_ilp(
    cover: _Coverage,
    budget_words: int,
    max_sentences: int | None,
    conflicts: Sequence[tuple[int, int]] = (),
    *,
    integral_concepts: bool = False,
) -> list[int] | None:
    """The optimal choice (positions) by integer programming, None if HiGHS finds none in time.

    Concept variables need not be integral: at an optimum each equals min(1, its chosen sentences),
    which is integral once the sentences are.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    n_s, n_c = cover.shared.shape[1], cover.shared.shape[0]
    piece_word, piece_value, n_w = _expected_pieces(cover)
    n_p = len(piece_value)
    n = n_s + n_c + n_p
    objective = -np.concatenate([cover.own, cover.weight, piece_value])
    # y_k <= sum of x_j over sentences stating concept k
    blocks = [sparse.hstack([-cover.shared, sparse.identity(n_c), sparse.csr_matrix((n_c, n_p))])]
    upper = [np.zeros(n_c)]
    if n_p and cover.said is not None:
        # the pieces of word w taken (its 1st, 2nd, … occurrence, in that order as their values fall)
        # <= the times the chosen sentences say w
        s_idx, w_idx, n_said = cover.said
        said = sparse.csr_matrix((n_said.astype(float), (w_idx, s_idx)), shape=(n_w, n_s))
        taken = sparse.csr_matrix((np.ones(n_p), (piece_word, np.arange(n_p))), shape=(n_w, n_p))
        blocks.append(sparse.hstack([-said, sparse.csr_matrix((n_w, n_c)), taken]))
        upper.append(np.zeros(n_w))
    blocks.append(sparse.csr_matrix(np.concatenate([cover.words, np.zeros(n_c + n_p)])[None, :]))
    upper.append(np.array([budget_words], dtype=float))
    if max_sentences is not None:
        blocks.append(sparse.csr_matrix(np.concatenate([np.ones(n_s), np.zeros(n_c + n_p)])[None, :]))
        upper.append(np.array([float(max_sentences)]))
    if conflicts:
        pair_rows = np.repeat(np.arange(len(conflicts)), 2)
        pair_cols = np.array(conflicts, dtype=int).ravel()
        blocks.append(
            sparse.csr_matrix((np.ones(len(pair_cols)), (pair_rows, pair_cols)), shape=(len(conflicts), n))
        )
        upper.append(np.ones(len(conflicts)))
    integrality = np.concatenate(
        [np.ones(n_s), np.full(n_c, 1.0 if integral_concepts else 0.0), np.zeros(n_p)]
    )
    result = milp(
        objective,
        constraints=LinearConstraint(sparse.vstack(blocks).tocsr(), -np.inf, np.concatenate(upper)),
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"time_limit": R.ILP_TIME_LIMIT_S},
    )
    if result.x is None:
        log.debug("ILP found no solution (%s); greedy fall-back", result.message)
        return None
    return [j for j in range(n_s) if result.x[j] > 0.5]


def _expected_pieces(cover: _Coverage) -> tuple[np.ndarray, np.ndarray, int]:
    """The expected-ROUGE term as LP pieces: per modelled word and occurrence k, what the k-th
    occurrence earns (pieces worth nothing are left out). Returns the pieces' words, their values and the
    number of words."""
    if cover.value_of is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0), 0
    step = np.diff(cover.value_of, axis=1)
    word, _ = np.nonzero(step > 1e-9)
    return word, step[step > 1e-9], len(cover.value_of)


def _select_greedy(
    cover: _Coverage,
    budget_words: int,
    max_sentences: int | None,
    conflicts: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """Lin & Bilmes' (2010) budgeted greedy: for each cost scale ``r`` of ``GREEDY_COST_SCALES``, add the
    sentence of best gain / words^r while it fits; the best singleton is a candidate too. The choice of
    highest objective wins."""
    clash: dict[int, list[int]] = {}
    for a, b in conflicts:
        clash.setdefault(a, []).append(b)
        clash.setdefault(b, []).append(a)
    options = [_greedy_pass(cover, budget_words, max_sentences, clash, r) for r in R.GREEDY_COST_SCALES]
    alone = cover.gains([])
    fits = cover.words <= budget_words
    if fits.any():
        options.append([int(np.argmax(np.where(fits, alone, -np.inf)))])
    best = max(options, key=cover.value)
    if R.GREEDY_SWAPS:
        best = _swap_search(cover, best, budget_words, max_sentences, clash)
    return best


def _swap_search(
    cover: _Coverage,
    chosen: list[int],
    budget_words: int,
    max_sentences: int | None,
    clash: Mapping[int, Sequence[int]],
) -> list[int]:
    """Local search from ``chosen``: add a sentence, or swap one for another, while the objective rises
    (at most ``GREEDY_SWAPS`` moves)."""
    current = list(chosen)
    value = cover.value(current)
    for _ in range(R.GREEDY_SWAPS):
        best_move: tuple[float, list[int]] | None = None
        for out in [None, *current]:
            rest = [j for j in current if j != out]
            if max_sentences is not None and len(rest) >= max_sentences:
                continue
            open_ = cover.words <= budget_words - cover.words[rest].sum()
            open_[current] = False
            for j in rest:
                open_[clash.get(j, [])] = False
            if not open_.any():
                continue
            gain = cover.gains(rest)
            j = int(np.argmax(np.where(open_, gain, -np.inf)))
            total = cover.value(rest) + float(gain[j])
            if total > value + 1e-9 and (best_move is None or total > best_move[0]):
                best_move = (total, [*rest, j])
        if best_move is None:
            break
        value, current = best_move
    return current


def _greedy_pass(
    cover: _Coverage,
    budget_words: int,
    max_sentences: int | None,
    clash: Mapping[int, Sequence[int]],
    scale: float,
) -> list[int]:
    open_ = np.ones(len(cover.own), dtype=bool)
    uncovered = np.ones(cover.shared.shape[0], dtype=bool)
    cost = cover.words**scale
    chosen: list[int] = []
    said = cover.counts([]) if cover.said is not None else None
    left = float(budget_words)
    while max_sentences is None or len(chosen) < max_sentences:
        fits = open_ & (cover.words <= left)
        if not fits.any():
            break
        gain = cover.own + cover.by_sentence @ (cover.weight * uncovered)
        if said is not None:
            gain = gain + cover.expected_gains(said)
        score = np.where(fits & (gain > 1e-12), gain / cost, -np.inf)
        j = int(np.argmax(score))
        if not np.isfinite(score[j]):
            break
        chosen.append(j)
        left -= cover.words[j]
        open_[j] = False
        open_[clash.get(j, [])] = False
        uncovered[cover.rows_of(j)] = False
        if said is not None:
            said += cover.counts([j])
    return chosen


def _fill(
    order: Sequence[int], cands: Sequence[Candidate], budget: int, max_sentences: int | None
) -> list[int]:
    chosen: list[int] = []
    used = 0
    for i in order:
        if max_sentences is not None and len(chosen) >= max_sentences:
            break
        if used + cands[i].words <= budget:
            chosen.append(i)
            used += cands[i].words
    return chosen


# --- the entry point ----------------------------------------------------------------------------------


def _chronological_key(articles: Sequence[Article]) -> dict[str, tuple[str, int]]:
    return {a.id: (a.published or "", n) for n, a in enumerate(articles)}


def summarize(
    articles: Sequence[Article],
    *,
    max_sentences: int = 5,
    max_words: int | None = None,
    embedder: Embedder | None = None,
    sentences: Mapping[str, Sequence[Sentence]] | None = None,
) -> list[SummarySentence]:
    """A cited extractive summary of a story told by ``articles``.

    With ``max_words`` (the DUC protocol) the budget is that many words and the last sentence is cut to
    fit (its text is then a prefix of the source sentence); otherwise at most ``max_sentences``
    sentences. Every sentence is verbatim from its source article (after a dateline is cut off) and cites
    every article that states it. ``sentences`` may give precomputed splits by article id.
    """
    from .citations import cite

    articles = list(articles)
    if not articles:
        return []
    splits = {
        a.id: list(sentences[a.id]) if sentences is not None and a.id in sentences else split_sentences(a)
        for a in articles
    }
    cands = candidates(
        articles,
        splits,
        prune=max_words is not None and R.PRUNE_ATTRIBUTION,
        max_position=R.MAX_POSITION if max_words is not None else R.PRODUCT_MAX_POSITION,
    )
    if not cands:
        return []
    weights = _concept_weights(cands, len(articles))
    vectors = _embed(cands, embedder)
    bonus = _salience_bonus(cands, vectors)
    if max_words is not None:
        expected = _expected(articles, cands)
        chosen = _select(
            cands, weights, max_words, None, bonus, solver=R.WORD_BUDGET_SOLVER, expected=expected
        )
        filler = _fill_gap(chosen, cands, weights, max_words) if R.FILL_GAP else None
    else:
        filler = None
        budget = max_sentences * R.WORDS_PER_SENTENCE_BUDGET
        expected = _expected(articles, cands)
        chosen = _select(
            cands, weights, budget, max_sentences, bonus, solver=R.SENTENCE_BUDGET_SOLVER, expected=expected
        )
    when = _chronological_key(articles)
    chosen.sort(key=lambda i: (when[cands[i].sentence.article_id], cands[i].position))
    picked = [cands[i] for i in chosen]
    if filler is not None:  # it goes last, where the budget cuts it
        picked.append(cands[filler])
    if max_words is not None:
        picked = _cut_to_words(picked, max_words)
    citations = cite(
        [c.sentence for c in picked],
        articles,
        splits,
        embedder=embedder,
        known={c.sentence.text: c.content for c in cands},
        vectors={} if vectors is None else {c.sentence.text: v for c, v in zip(cands, vectors, strict=True)},
    )
    return [
        SummarySentence(
            text=c.sentence.text, citations=cites, source=c.sentence.article_id, source_index=c.sentence.index
        )
        for c, cites in zip(picked, citations, strict=True)
    ]


def _expected(articles: Sequence[Article], cands: Sequence[Candidate]) -> dict[str, np.ndarray] | None:
    """The reference model's expected counts for the words the candidates say, or None when it is off."""
    if R.EXPECTED_R1_WEIGHT <= 0:
        return None
    from .reference import expected_counts

    return expected_counts(articles, only={t for c in cands for t in c.stems})


def _fill_gap(
    chosen: list[int], cands: Sequence[Candidate], weights: Mapping[object, float], max_words: int
) -> int | None:
    """The sentence whose first words add the most new concept weight in the words left over, if any.

    The DUC protocol scores the first ``max_words`` words: a sentence cut at the budget still counts.
    """
    gap = max_words - sum(cands[i].words for i in chosen)
    if gap < R.MIN_GAP_WORDS:
        return None
    covered: set[object] = set()
    for i in chosen:
        covered |= _sentence_concepts(cands[i])
    taken = set(chosen)
    best, best_gain = None, 0.0
    from .citations import _overlaps, _same_text

    for i, c in enumerate(cands):
        if i in taken or any(_same_text(*_overlaps(c.content, cands[j].content)) for j in chosen):
            continue
        head = c.sentence.text.split()[:gap]
        _, content, bigrams = _content_and_bigrams(" ".join(head))
        concepts: set[object] = set(bigrams)
        if R.UNIGRAM_WEIGHT > 0:
            concepts |= content
        gain = sum(weights.get(k, 0.0) for k in concepts - covered) * _position_factor(c)
        if gain > best_gain:
            best, best_gain = i, gain
    return best


def _cut_to_words(picked: Sequence[Candidate], max_words: int) -> list[Candidate]:
    out: list[Candidate] = []
    used = 0
    for c in picked:
        if used >= max_words:
            break
        if used + c.words <= max_words:
            out.append(c)
            used += c.words
            continue
        keep = max_words - used
        m = list(re.finditer(r"\S+", c.sentence.text))[keep - 1]
        s = c.sentence
        text = s.text[: m.end()]
        cut = Sentence(s.article_id, s.index, text, s.start, s.start + len(text), s.paragraph)
        out.append(Candidate(cut, c.position, keep, c.stems, c.content, c.bigrams))
        used = max_words
    return out


def headline(articles: Sequence[Article], summary: Sequence[SummarySentence]) -> str:
    """A title for the story: the title of the article most central to the summary, else its first line."""
    titled = [a for a in articles if a.title and a.title.strip()]
    if titled:
        summary_words: Counter[str] = Counter()
        for s in summary:
            summary_words.update(set(_content_and_bigrams(s.text)[1]))
        cited: Counter[str] = Counter(c for s in summary for c in s.citations)

        def score(a: Article) -> tuple[float, int, int]:
            content = _content_and_bigrams(a.title)[1]
            overlap = sum(summary_words[w] for w in content) / (len(content) ** 0.5 or 1.0)
            return (overlap, cited[a.id], -len(a.title))

        return max(titled, key=score).title.strip()
    if summary:
        words = summary[0].text.split()
        text = " ".join(words[: R.HEADLINE_WORDS])
        return text if len(words) <= R.HEADLINE_WORDS else text.rstrip(",;:") + "…"
    return "Untitled story"
