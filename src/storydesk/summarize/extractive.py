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
   sentences win ties of coverage; a greedy cover is the fall-back;
4. the chosen sentences are ordered by publication date, then position, and each is cited by every
   article that states it (:mod:`.citations`).

One method serves the product (``max_sentences``) and the DUC evaluation (``max_words``).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..analyse.sentences import split_sentences
from ..embed import Embedder
from ..model import Article, Sentence, SummarySentence
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


@lru_cache(maxsize=200_000)
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
    raw = _TOKEN.findall(text.lower())
    stops = _stop_words()
    stems = tuple(_stem(t) for t in raw)
    is_content = [t not in stops and not t.isdigit() and len(t) > 1 for t in raw]
    content = frozenset(s for s, c in zip(stems, is_content, strict=True) if c)
    bigrams = frozenset(
        (stems[i], stems[i + 1]) for i in range(len(stems) - 1) if is_content[i] or is_content[i + 1]
    )
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
) -> list[Candidate]:
    """The cleaned, summary-worthy sentences of ``articles`` in article order."""
    out: list[Candidate] = []
    for article in articles:
        sents = sentences.get(article.id) if sentences is not None else None
        if sents is None:
            sents = split_sentences(article)
        for position, sent in enumerate(sents):
            if position >= R.MAX_POSITION:
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
    df: Counter[object] = Counter()
    credit: dict[object, float] = {}
    per_article: dict[str, dict[object, float]] = {}
    for c in cands:
        seen = per_article.setdefault(c.sentence.article_id, {})
        factor = _position_factor(c)
        concepts: set[object] = set(c.bigrams)
        if R.UNIGRAM_WEIGHT > 0:
            concepts |= {(w,) for w in c.content}
        for k in concepts:
            if seen.get(k, -1.0) < factor:
                seen[k] = factor
    for concepts in per_article.values():
        for k, factor in concepts.items():
            df[k] += 1
            credit[k] = credit.get(k, 0.0) + factor
    min_df = R.CONCEPT_MIN_DF if n_articles > R.SMALL_STORY_ARTICLES else R.CONCEPT_MIN_DF_SMALL
    if n_articles <= 1:
        min_df = 1
    return {
        k: credit[k] * (R.UNIGRAM_WEIGHT if len(k) == 1 else 1.0)  # type: ignore[arg-type]
        for k, n in df.items()
        if n >= min_df
    }


def _sentence_concepts(c: Candidate) -> set[object]:
    concepts: set[object] = set(c.bigrams)
    if R.UNIGRAM_WEIGHT > 0:
        concepts |= {(w,) for w in c.content}
    return concepts


def _select(
    cands: Sequence[Candidate],
    weights: Mapping[object, float],
    budget_words: int,
    max_sentences: int | None,
    bonus: np.ndarray | None = None,
) -> list[int]:
    """Indices of the candidates covering the most concept weight within the budget."""
    usable = [i for i, c in enumerate(cands) if c.words <= budget_words]
    if not usable:
        return []
    concept_ids: dict[object, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for j, i in enumerate(usable):
        for concept in _sentence_concepts(cands[i]):
            if concept in weights:
                k = concept_ids.setdefault(concept, len(concept_ids))
                rows.append(k)
                cols.append(j)
    if not concept_ids:
        # nothing shared between articles: fall back to the leads
        order = sorted(usable, key=lambda i: (cands[i].position, i))
        return _fill(order, cands, budget_words, max_sentences)
    conflicts = _redundant_pairs(usable, cands)
    extra = bonus[usable] if bonus is not None else None
    chosen = _select_ilp(
        usable, cands, weights, concept_ids, rows, cols, budget_words, max_sentences, conflicts, extra
    )
    if chosen is None:
        chosen = _select_greedy(usable, cands, weights, budget_words, max_sentences, conflicts)
    return chosen


def _redundant_pairs(usable: Sequence[int], cands: Sequence[Candidate]) -> list[tuple[int, int]]:
    """Pairs (positions in ``usable``) of sentences that state the same thing: at most one may be chosen."""
    from .citations import _overlaps, _same_text

    pairs: list[tuple[int, int]] = []
    for a in range(len(usable)):
        ca = cands[usable[a]].content
        for b in range(a + 1, len(usable)):
            cb = cands[usable[b]].content
            if len(ca & cb) < R.SAME_TEXT_MIN_SHARED and len(ca & cb) < 2:
                continue
            if _same_text(*_overlaps(ca, cb)):
                pairs.append((a, b))
    return pairs


def _salience_bonus(cands: Sequence[Candidate], embedder: Embedder | None) -> np.ndarray | None:
    """Per candidate, what the objective adds for choosing it: ``CENTRALITY_WEIGHT`` × its words × the
    cosine of its vector to the story's centroid (or, with ``CENTRALITY_SUPPORT``, its support across
    articles). Without an embedder there is no bonus."""
    if embedder is None or not cands or R.CENTRALITY_WEIGHT <= 0:
        return None
    vectors = np.asarray(embedder.embed([c.sentence.text for c in cands]), dtype=np.float32)
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
    usable: list[int],
    cands: Sequence[Candidate],
    weights: Mapping[object, float],
    concept_ids: dict[object, int],
    rows: list[int],
    cols: list[int],
    budget_words: int,
    max_sentences: int | None,
    conflicts: Sequence[tuple[int, int]] = (),
    bonus: np.ndarray | None = None,
) -> list[int] | None:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix, hstack, vstack

    n_s, n_c = len(usable), len(concept_ids)
    w = np.zeros(n_c)
    for concept, k in concept_ids.items():
        w[k] = weights[concept]
    # a tiny preference for early sentences breaks ties between equal covers
    tie = np.array([1e-3 * _position_factor(cands[i]) - 1e-3 for i in usable])
    if bonus is not None:
        tie = tie + bonus
    objective = -np.concatenate([tie, w])
    occurrence = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_c, n_s))
    # y_k <= sum of x_j over sentences containing concept k
    cover = hstack([-occurrence, coo_matrix(np.eye(n_c))]).tocsr()
    lengths = np.array([[cands[i].words for i in usable] + [0] * n_c], dtype=float)
    constraint_rows = [cover, coo_matrix(lengths)]
    upper = [np.zeros(n_c), np.array([budget_words], dtype=float)]
    if max_sentences is not None:
        constraint_rows.append(coo_matrix(np.array([[1.0] * n_s + [0.0] * n_c])))
        upper.append(np.array([float(max_sentences)]))
    if conflicts:
        pair_rows = np.repeat(np.arange(len(conflicts)), 2)
        pair_cols = np.array(conflicts, dtype=int).ravel()
        constraint_rows.append(
            coo_matrix((np.ones(len(pair_cols)), (pair_rows, pair_cols)), shape=(len(conflicts), n_s + n_c))
        )
        upper.append(np.ones(len(conflicts)))
    matrix = vstack(constraint_rows).tocsr()
    result = milp(
        objective,
        constraints=LinearConstraint(matrix, -np.inf, np.concatenate(upper)),
        integrality=np.ones(n_s + n_c),
        bounds=Bounds(0, 1),
        options={"time_limit": R.ILP_TIME_LIMIT_S},
    )
    if result.x is None:
        log.debug("ILP found no solution (%s); greedy fall-back", result.message)
        return None
    return [usable[j] for j in range(n_s) if result.x[j] > 0.5]


def _select_greedy(
    usable: list[int],
    cands: Sequence[Candidate],
    weights: Mapping[object, float],
    budget_words: int,
    max_sentences: int | None,
    conflicts: Sequence[tuple[int, int]] = (),
) -> list[int]:
    clash: dict[int, set[int]] = {}
    for a, b in conflicts:
        clash.setdefault(usable[a], set()).add(usable[b])
        clash.setdefault(usable[b], set()).add(usable[a])
    covered: set[object] = set()
    chosen: list[int] = []
    used = 0
    remaining = set(usable)
    while remaining and (max_sentences is None or len(chosen) < max_sentences):
        best, best_gain = -1, 0.0
        for i in remaining:
            c = cands[i]
            if used + c.words > budget_words:
                continue
            gain = sum(weights.get(k, 0.0) for k in _sentence_concepts(c) - covered) / c.words**0.5
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            break
        chosen.append(best)
        covered |= _sentence_concepts(cands[best])
        used += cands[best].words
        remaining.discard(best)
        remaining -= clash.get(best, set())
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
    cands = candidates(articles, splits, prune=max_words is not None and R.PRUNE_ATTRIBUTION)
    if not cands:
        return []
    weights = _concept_weights(cands, len(articles))
    bonus = _salience_bonus(cands, embedder)
    if max_words is not None:
        chosen = _select(cands, weights, max_words, None, bonus)
        filler = _fill_gap(chosen, cands, weights, max_words) if R.FILL_GAP else None
    else:
        filler = None
        budget = max_sentences * R.WORDS_PER_SENTENCE_BUDGET
        chosen = _select(cands, weights, budget, max_sentences, bonus)
    when = _chronological_key(articles)
    chosen.sort(key=lambda i: (when[cands[i].sentence.article_id], cands[i].position))
    picked = [cands[i] for i in chosen]
    if filler is not None:  # it goes last, where the budget cuts it
        picked.append(cands[filler])
    if max_words is not None:
        picked = _cut_to_words(picked, max_words)
    citations = cite([c.sentence for c in picked], articles, splits, embedder=embedder)
    return [
        SummarySentence(
            text=c.sentence.text, citations=cites, source=c.sentence.article_id, source_index=c.sentence.index
        )
        for c, cites in zip(picked, citations, strict=True)
    ]


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
            concepts |= {(w,) for w in content}
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
