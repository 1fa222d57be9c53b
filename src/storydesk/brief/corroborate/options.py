"""The thresholds of claims across outlets as one frozen :class:`ClaimOptions` (defaults: :mod:`..rules`)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import rules as R

__all__ = ["ClaimOptions", "DEFAULT_CLAIM_OPTIONS"]


@dataclass(frozen=True, slots=True)
class ClaimOptions:
    """How statements are aligned, disputed and listed (see :mod:`storydesk.brief.rules` for each)."""

    min_claim_words: int = R.MIN_CLAIM_WORDS
    max_claim_words: int = R.MAX_CLAIM_WORDS
    align_cosine: float = R.ALIGN_COSINE
    align_lexical: float = R.ALIGN_LEXICAL
    wire_copy_share: float = R.WIRE_COPY_SHARE
    dispute_cosine: float = R.DISPUTE_COSINE
    dispute_rest_similarity: float = R.DISPUTE_REST_SIMILARITY
    max_conflict_span_words: int = R.MAX_CONFLICT_SPAN_WORDS
    max_corroborated: int = R.MAX_CORROBORATED
    max_single_source: int = R.MAX_SINGLE_SOURCE
    anchor_align_cosine: float = R.ANCHOR_ALIGN_COSINE
    name_anchor_align_cosine: float = R.NAME_ANCHOR_ALIGN_COSINE
    anchor_align_weight: float = R.ANCHOR_ALIGN_WEIGHT
    rare_name_share: float = R.RARE_NAME_SHARE
    rare_name_max_df: int = R.RARE_NAME_MAX_DF
    paraphrase_dispute_cosine: float = R.PARAPHRASE_DISPUTE_COSINE
    min_shared_context_words: int = R.MIN_SHARED_CONTEXT_WORDS

    def is_claim(self, text: str) -> bool:
        """Whether a sentence has a claim's length (``min_claim_words`` to ``max_claim_words`` words)."""
        return self.min_claim_words <= len(text.split()) <= self.max_claim_words


#: The shipped options (every default).
DEFAULT_CLAIM_OPTIONS = ClaimOptions()
