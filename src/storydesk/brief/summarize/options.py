"""What the extractive summarizer may be told: one frozen :class:`SummaryOptions`, defaults from :mod:`.rules`.

Built once per run (:func:`SummaryOptions.from_settings`) and passed to every step; a benchmark or a test
that tries other values builds its own (``dataclasses.replace(SummaryOptions(), greedy_swaps=0)``).
Field names are the lower-case names of the constants in :mod:`.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...config import Settings
from . import rules as R

__all__ = ["SummaryOptions", "DEFAULT_SUMMARY_OPTIONS"]


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    """The budget and every threshold of a summary (see :mod:`.rules` for what each does and why)."""

    # --- the budget: at most ``max_sentences`` sentences, or with ``max_words`` (the DUC protocol) that
    # many words, the last sentence cut to fit
    max_sentences: int = 5
    max_words: int | None = None
    # --- which sentences may enter a summary
    min_sentence_words: int = R.MIN_SENTENCE_WORDS
    max_sentence_words: int = R.MAX_SENTENCE_WORDS
    max_position: int = R.MAX_POSITION
    product_max_position: int = R.PRODUCT_MAX_POSITION
    prune_attribution: bool = R.PRUNE_ATTRIBUTION
    dangling_openers: frozenset[str] = R.DANGLING_OPENERS
    # --- what a reader sees first: the opening sentence and dangling starts (cohesion.py)
    anaphoric_openers: frozenset[str] = R.ANAPHORIC_OPENERS
    connective_openers: frozenset[str] = R.CONNECTIVE_OPENERS
    connective_phrases: tuple[tuple[str, ...], ...] = R.CONNECTIVE_PHRASES
    lead_first: bool = R.LEAD_FIRST
    reject_dangling: bool = R.REJECT_DANGLING
    dangling_rounds: int = R.DANGLING_ROUNDS
    lead_words: int = R.LEAD_WORDS
    lead_position_boost: float = R.LEAD_POSITION_BOOST
    lead_article_decay: float = R.LEAD_ARTICLE_DECAY
    # --- the concept-coverage objective
    concept_min_df: int = R.CONCEPT_MIN_DF
    concept_min_df_small: int = R.CONCEPT_MIN_DF_SMALL
    small_story_articles: int = R.SMALL_STORY_ARTICLES
    unigram_weight: float = R.UNIGRAM_WEIGHT
    position_decay: float = R.POSITION_DECAY
    fill_gap: bool = R.FILL_GAP
    min_gap_words: int = R.MIN_GAP_WORDS
    centrality_weight: float = R.CENTRALITY_WEIGHT
    centrality_support: bool = R.CENTRALITY_SUPPORT
    # --- the solvers
    sentence_budget_solver: str = R.SENTENCE_BUDGET_SOLVER
    word_budget_solver: str = R.WORD_BUDGET_SOLVER
    greedy_cost_scales: tuple[float, ...] = R.GREEDY_COST_SCALES
    greedy_swaps: int = R.GREEDY_SWAPS
    ilp_node_limit: int = R.ILP_NODE_LIMIT
    words_per_sentence_budget: int = R.WORDS_PER_SENTENCE_BUDGET
    # --- the reference model (0 turns it off)
    expected_r1_weight: float = R.EXPECTED_R1_WEIGHT
    # --- citations: when another article states the same thing
    same_text_jaccard: float = R.SAME_TEXT_JACCARD
    same_text_containment: float = R.SAME_TEXT_CONTAINMENT
    same_text_min_shared: int = R.SAME_TEXT_MIN_SHARED
    equivalent_cosine: float = R.EQUIVALENT_COSINE
    equivalent_min_overlap: float = R.EQUIVALENT_MIN_OVERLAP
    candidate_min_shared: int = R.CANDIDATE_MIN_SHARED
    # --- headline
    headline_words: int = R.HEADLINE_WORDS

    @classmethod
    def from_settings(cls, settings: Settings) -> SummaryOptions:
        """The product's options: ``summary_sentences`` sentences, every threshold at its default."""
        return cls(max_sentences=settings.summary_sentences)

    @property
    def word_budget(self) -> bool:
        """Whether the budget is in words (the DUC protocol) rather than in sentences."""
        return self.max_words is not None


#: The shipped options (every default).
DEFAULT_SUMMARY_OPTIONS = SummaryOptions()
