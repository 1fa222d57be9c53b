"""Extractive multi-document summarization by concept coverage (Gillick & Favre 2009, ICSISumm-style).

The recipe, one module per step:

1. :mod:`.candidates` — the sentences of every article (from its :class:`~storydesk.analyse.ArticleAnalysis`),
   cleaned (a sentence-initial dateline is cut off; the rest stays verbatim, so its offsets still point
   into the article) and kept when fit for a summary (long enough, not a question, not a quote fragment
   or byline);
2. :mod:`.concepts` — concepts are the stemmed content bigrams stated by at least ``concept_min_df``
   articles, weighted by how many articles state them (plus, optionally, content unigrams); with an
   embedder, each sentence also earns a bonus for its closeness to the story's centroid (MiniLM), so
   central sentences win ties of coverage; :mod:`.reference` adds the expected ROUGE-1 recall of a human
   summary;
3. :mod:`.coverage` and :mod:`.selection` — an integer program (``scipy.optimize.milp``) picks the
   sentences that cover the most concept weight within the budget, so that a concept counts once;
   sentences stating the same thing (:mod:`.redundancy`) exclude each other. Under the product's budget
   in sentences, Lin & Bilmes' budgeted greedy with a few local swaps solves it instead (milliseconds
   instead of most of a second, as good in ROUGE); it is also the ILP's fall-back;
4. :mod:`.word_budget` — under the DUC protocol's budget in words only: the words left over go to the
   start of one more sentence, and the summary is cut at the budget;
5. :mod:`.cohesion` — the chosen sentence that best states the event opens the summary, the others
   follow by publication date, then position; a sentence starting with a pronoun, demonstrative or
   connective stays only directly after its article's previous sentence (else it is ruled out and the
   selection made again);
6. each sentence is cited by every article that states it (:mod:`.citations`).

One function serves the product (``options.max_sentences``) and the DUC evaluation (``options.max_words``).
Each step is a field of :class:`SummarySteps`, so an experiment can replace one for a run without
touching the others (``bench/r1_experiments.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ...analyse import ArticleAnalysis, analyse_article
from ...group.embed import Embedder
from ...model import Article, SummarySentence
from .candidates import Candidate, find_candidates
from .citations import cite
from .cohesion import lead_score, opener, order_summary
from .concepts import concept_weights, embed_candidates, salience_bonus
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions
from .redundancy import redundant_pairs
from .reference import expected_counts
from .selection import RedundantPairs, select_sentences
from .word_budget import cut_to_words, fill_gap

__all__ = ["SummarySteps", "summarize", "expected_word_counts"]


def expected_word_counts(
    articles: Sequence[Article], cands: Sequence[Candidate], options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
) -> dict[str, np.ndarray] | None:
    """The reference model's expected counts for the words the candidates say, or None when it is off
    (``expected_r1_weight`` 0)."""
    if options.expected_r1_weight <= 0:
        return None
    return expected_counts(articles, only={t for c in cands for t in c.stems})


def reading_order(
    chosen: Sequence[int],
    cands: Sequence[Candidate],
    articles: Sequence[Article],
    weights: Mapping[object, float],
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
) -> list[int]:
    """The chosen candidates in reading order (:func:`.cohesion.order_summary`): the one that best states
    the event first, the others by publication date and position, a sentence leaning on its article's
    previous one right after it."""
    when = {a.id: (a.published or "", n) for n, a in enumerate(articles)}
    rank = {aid: r for r, aid in enumerate(sorted(when, key=when.__getitem__))}
    placed = [cands[i] for i in chosen]
    scores = [
        lead_score(c.sentence.text, c.position, rank[c.sentence.article_id], weights, options) for c in placed
    ]
    keys = [(*when[c.sentence.article_id], c.position) for c in placed]
    order = order_summary([c.sentence for c in placed], scores, keys, options)
    return [chosen[k] for k in order]


@dataclass(frozen=True, slots=True)
class SummarySteps:
    """The steps of :func:`summarize`; the defaults are the shipped ones. An experiment replaces one
    (``dataclasses.replace(SummarySteps(), salience_bonus=mine)``) with a function of the same signature."""

    #: (analyses, options, *, prune, max_position) → the candidate sentences
    candidates: Callable[..., list[Candidate]] = find_candidates
    #: (candidates, number of articles, options) → concept → weight
    concept_weights: Callable[[Sequence[Candidate], int, SummaryOptions], dict[object, float]] = (
        concept_weights
    )
    #: (candidates, embedder) → their vectors, or None
    embed: Callable[[Sequence[Candidate], Embedder | None], np.ndarray | None] = embed_candidates
    #: (candidates, vectors, options) → per candidate, a bonus for choosing it, or None
    salience_bonus: Callable[[Sequence[Candidate], np.ndarray | None, SummaryOptions], np.ndarray | None] = (
        salience_bonus
    )
    #: (articles, candidates, options) → the reference model's expected counts per word, or None
    expected: Callable[
        [Sequence[Article], Sequence[Candidate], SummaryOptions], dict[str, np.ndarray] | None
    ] = expected_word_counts
    #: (candidates, weights, budget in words, max sentences, bonus, options, *, solver, expected,
    #: conflicts_of) → the indices of the chosen candidates
    select: Callable[..., list[int]] = select_sentences
    #: (usable positions, candidates, options) → the pairs of which at most one may be chosen
    redundant_pairs: RedundantPairs = redundant_pairs
    #: (chosen indices, candidates, articles, weights, options) → the chosen indices in reading order
    order: Callable[..., list[int]] = reading_order
    #: (summary sentences, analyses, options, *, embedder, known, vectors) → per sentence, the citing ids
    cite: Callable[..., list[tuple[str, ...]]] = cite


def _select_without_dangling(
    cands: Sequence[Candidate],
    weights: Mapping[object, float],
    budget: int,
    bonus: np.ndarray | None,
    expected: Mapping[str, np.ndarray] | None,
    options: SummaryOptions,
    steps: SummarySteps,
) -> list[int]:
    """The selection (``steps.select``) with, under ``options.reject_dangling``, no sentence that would
    start dangling: a chosen sentence with a dangling opener (:func:`.cohesion.opener`) whose article's
    previous sentence is not chosen too is ruled out and the selection made again, at most
    ``dangling_rounds`` times; one still left then is dropped (a shorter summary is better than one whose
    "He" or "But" points at nothing)."""
    word_budget = options.max_words
    allowed = list(range(len(cands)))
    chosen: list[int] = []
    for _ in range(options.dangling_rounds + 1 if options.reject_dangling else 1):
        pool = [cands[i] for i in allowed]
        picked = steps.select(
            pool,
            weights,
            budget,
            None if word_budget is not None else options.max_sentences,
            None if bonus is None else bonus[allowed],
            options,
            solver=options.word_budget_solver if word_budget is not None else options.sentence_budget_solver,
            expected=expected,
            conflicts_of=steps.redundant_pairs,
        )
        chosen = [allowed[j] for j in picked]
        leaning = (
            set(leaning_without_antecedent(chosen, cands, options)) if options.reject_dangling else set()
        )
        if not leaning:
            return chosen
        allowed = [i for i in allowed if i not in leaning]
    leaning = set(leaning_without_antecedent(chosen, cands, options))
    return [i for i in chosen if i not in leaning]


def leaning_without_antecedent(
    chosen: Sequence[int], cands: Sequence[Candidate], options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
) -> list[int]:
    """The chosen candidates that start with a dangling opener while their article's previous sentence is
    not chosen: wherever they are put, they would start dangling."""
    have = {(cands[i].sentence.article_id, cands[i].sentence.index) for i in chosen}
    return [
        i
        for i in chosen
        if opener(cands[i].sentence.text, options) is not None
        and (cands[i].sentence.article_id, cands[i].sentence.index - 1) not in have
    ]


def summarize(
    articles: Sequence[Article],
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
    *,
    embedder: Embedder | None = None,
    analyses: Mapping[str, ArticleAnalysis] | None = None,
    steps: SummarySteps = SummarySteps(),
) -> list[SummarySentence]:
    """A cited extractive summary of a story told by ``articles``.

    With ``options.max_words`` (the DUC protocol) the budget is that many words and the last sentence is
    cut to fit (its text is then a prefix of the source sentence); otherwise at most
    ``options.max_sentences`` sentences. Every sentence is verbatim from its source article (after a
    dateline is cut off) and cites every article that states it. ``analyses`` gives the articles'
    analyses by id (each article missing from it is analysed here).
    """
    articles = list(articles)
    if not articles:
        return []
    analysed = [
        analyses[a.id] if analyses is not None and a.id in analyses else analyse_article(a) for a in articles
    ]
    word_budget = options.max_words
    cands = steps.candidates(
        analysed,
        options,
        prune=word_budget is not None and options.prune_attribution,
        max_position=options.max_position if word_budget is not None else options.product_max_position,
    )
    if not cands:
        return []
    weights = steps.concept_weights(cands, len(articles), options)
    vectors = steps.embed(cands, embedder)
    bonus = steps.salience_bonus(cands, vectors, options)
    expected = steps.expected(articles, cands, options)
    filler = None
    budget = (
        word_budget if word_budget is not None else options.max_sentences * options.words_per_sentence_budget
    )
    chosen = _select_without_dangling(cands, weights, budget, bonus, expected, options, steps)
    if word_budget is not None and options.fill_gap:
        filler = fill_gap(chosen, cands, weights, word_budget, options)
    picked = [cands[i] for i in steps.order(chosen, cands, articles, weights, options)]
    if filler is not None:  # it goes last, where the budget cuts it
        picked.append(cands[filler])
    if word_budget is not None:
        picked = cut_to_words(picked, word_budget)
    citations = steps.cite(
        [c.sentence for c in picked],
        analysed,
        options,
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
