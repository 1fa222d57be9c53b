"""The DUC protocol's budget in words (evaluation only): the words left after whole sentences go to the
start of one more sentence, and the summary is cut at the budget.

The DUC protocol scores the first ``max_words`` words of a summary, so a sentence cut at the budget still
counts; the product's budget in sentences never cuts one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ...model import Sentence
from ...text import concept_terms
from .candidates import Candidate
from .cohesion import opener
from .concepts import position_factor, sentence_concepts
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions
from .redundancy import overlaps, same_text

__all__ = ["fill_gap", "cut_to_words"]


def fill_gap(
    chosen: list[int],
    cands: Sequence[Candidate],
    weights: Mapping[object, float],
    max_words: int,
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
) -> int | None:
    """The sentence whose first words add the most new concept weight in the words left over, if any
    (with ``reject_dangling``, none that starts with a dangling opener: it would follow another article's
    sentence)."""
    gap = max_words - sum(cands[i].words for i in chosen)
    if gap < options.min_gap_words:
        return None
    covered: set[object] = set()
    for i in chosen:
        covered |= sentence_concepts(cands[i], options)
    taken = set(chosen)
    best, best_gain = None, 0.0
    for i, c in enumerate(cands):
        if i in taken or any(same_text(*overlaps(c.content, cands[j].content), options) for j in chosen):
            continue
        if options.reject_dangling and opener(c.sentence.text, options) is not None:
            continue  # it goes last, after a sentence that is not its antecedent
        head = c.sentence.text.split()[:gap]
        _, content, bigrams = concept_terms(" ".join(head))
        concepts: set[object] = set(bigrams)
        if options.unigram_weight > 0:
            concepts |= content
        gain = sum(weights.get(k, 0.0) for k in concepts - covered) * position_factor(c, options)
        if gain > best_gain:
            best, best_gain = i, gain
    return best


def cut_to_words(picked: Sequence[Candidate], max_words: int) -> list[Candidate]:
    """The candidates ``picked`` up to ``max_words`` words; the sentence the budget ends in is cut (its
    text is then a prefix of the source sentence)."""
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
