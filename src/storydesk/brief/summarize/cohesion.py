"""What a reader sees first: the summary opens on the sentence that states the event, and no sentence
starts by leaning on one the reader was not shown.

* :func:`opener` — the dangling opener a sentence starts with (a pronoun, a demonstrative or a
  connective, see :data:`.rules.ANAPHORIC_OPENERS` and :data:`.rules.CONNECTIVE_OPENERS`), or a quantity
  "of them" that points back to an earlier sentence (:data:`.rules.BACK_REFERENCE`), or None;
* :func:`dangling` — per summary sentence, whether it starts dangling: it starts with an opener and the
  sentence before it in the summary is not the sentence before it in its article (same source, index
  one less). That sentence is where the pronoun's antecedent, the demonstrative's referent or the
  connective's first half is; anywhere else the reader cannot tell what "He" or "But" refers to.
  ``storydesk eval summarize`` counts the share of such sentences with this function;
* :func:`lead_score` — how well a candidate states the story's core event in its first words: the
  weight of the story's concepts (stated by several articles) among its first ``lead_words`` words,
  more for an article's first sentence and less for a later article;
* :func:`order_summary` — the chosen sentences in reading order: the best-scoring one that does not
  dangle first, then the rest by date and position, each dangling sentence moved directly after its
  article's previous sentence when that is chosen too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ...model import Sentence, SummarySentence
from ...text import concept_terms
from . import rules as R
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions

__all__ = ["opener", "dangling", "lead_score", "order_summary"]

_WORDS = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


def opener(text: str, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS) -> str | None:
    """The dangling opener ``text`` starts with, lower-cased ("he", "this", "however", "in addition"),
    or None. A demonstrative before a time word ("This week", "That year") points at the article's date,
    not at an earlier sentence, and is not one. Leading quotation marks and brackets are skipped. A
    quantity "of them" anywhere in the sentence ("all of them", :data:`.rules.BACK_REFERENCE`) leans back
    the same way and is returned as the opener."""
    words = [w.lower() for w in _WORDS.findall(text[:80])][:4]
    if not words:
        return None
    for phrase in options.connective_phrases:
        n = len(phrase)
        if tuple(words[:n]) == phrase:
            return " ".join(phrase)
    first = words[0]
    if first in options.connective_openers:
        return first
    if first in options.anaphoric_openers:
        if first in R.DEMONSTRATIVES and len(words) > 1 and words[1] in R.TIME_WORDS:
            return None
        return first
    if back := R.BACK_REFERENCE.search(text):
        return " ".join(back.group(0).lower().split())
    return None


def dangling(
    summary: Sequence[SummarySentence], options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
) -> list[bool]:
    """Per sentence of ``summary`` (in reading order): whether it starts with a dangling opener
    (:func:`opener`) without the sentence before it in its article directly before it in the summary."""
    out: list[bool] = []
    for i, s in enumerate(summary):
        prev = summary[i - 1] if i else None
        follows = prev is not None and prev.source == s.source and prev.source_index == s.source_index - 1
        out.append(opener(s.text, options) is not None and not follows)
    return out


def lead_score(
    text: str,
    position: int,
    article_rank: int,
    weights: Mapping[object, float],
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
) -> float:
    """How well ``text`` states the story's event in its first ``options.lead_words`` words: the weight of
    the story's concepts it covers there (each once), × ``lead_position_boost`` for an article's first
    sentence (``position`` 0), × ``lead_article_decay`` ** (the article's rank by date, 0 = earliest)."""
    head = " ".join(text.split()[: options.lead_words])
    stems, _, bigrams = concept_terms(head)
    score = sum(weights.get(b, 0.0) for b in bigrams) + sum(weights.get(t, 0.0) for t in set(stems))
    if position == 0:
        score *= options.lead_position_boost
    return score * options.lead_article_decay**article_rank


def order_summary(
    placed: Sequence[Sentence],
    scores: Sequence[float],
    date_order: Sequence[tuple[str, int, int]],
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
) -> list[int]:
    """Reading order of the chosen sentences ``placed`` (indices into it).

    ``scores`` are their :func:`lead_score`; ``date_order`` their (date, article number, position) keys.
    With ``options.lead_first``, the highest-scoring sentence without a dangling opener opens the summary;
    the others follow by date and position. Then each sentence with an opener whose article's previous
    sentence is also chosen moves directly after it (the pair reads as in the article).
    """
    order = sorted(range(len(placed)), key=lambda i: date_order[i])
    if options.lead_first and placed:
        free = [i for i in order if opener(placed[i].text, options) is None]
        if free:
            first = max(free, key=lambda i: (scores[i], -order.index(i)))
            order.remove(first)
            order.insert(0, first)
    leaning = [i for i in range(len(placed)) if opener(placed[i].text, options) is not None]
    for i in sorted(leaning, key=lambda i: (placed[i].article_id, placed[i].index)):
        before = next(
            (
                j
                for j in order
                if placed[j].article_id == placed[i].article_id and placed[j].index == placed[i].index - 1
            ),
            None,
        )
        if before is not None:
            order.remove(i)
            order.insert(order.index(before) + 1, i)
    return order
