"""The sentences that may enter a summary: cleaned (a dateline cut off, and under a word budget a
trailing attribution) and kept when a reader can take them alone.

A cleaned sentence stays a verbatim span of its article, so its offsets still point into the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...analyse import ArticleAnalysis
from ...model import Sentence
from ...text import concept_terms
from . import rules as R
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions

__all__ = ["Candidate", "find_candidates", "is_summary_worthy", "strip_attribution", "strip_dateline"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A cleaned sentence that may enter a summary."""

    sentence: Sentence
    position: int  # rank among the article's sentences (0 = lead)
    words: int  # whitespace words, as the DUC protocol counts them
    stems: tuple[str, ...]  # stemmed tokens, as ROUGE sees them
    content: frozenset[str]  # stemmed content words
    bigrams: frozenset[tuple[str, str]]  # stemmed bigrams with at least one content word


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


def strip_attribution(sentence: Sentence, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS) -> Sentence:
    """Cut a trailing attribution (", officials said Tuesday.") off a sentence that is not a quotation.

    The result stays a verbatim span of the article (without the final full stop).
    """
    if any(q in sentence.text for q in R.QUOTE_CHARS):
        return sentence
    m = R.TRAILING_ATTRIBUTION.search(sentence.text)
    if not m or len(sentence.text[: m.start()].split()) < options.min_sentence_words:
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


def is_summary_worthy(text: str, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS) -> bool:
    """False for sentences a reader cannot take alone: short, questions, bylines, quote fragments."""
    words = text.split()
    if not options.min_sentence_words <= len(words) <= options.max_sentence_words:
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
    if words[0].lower().strip(",") in options.dangling_openers:
        return False
    return True


def find_candidates(
    analyses: Sequence[ArticleAnalysis],
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
    *,
    prune: bool = False,
    max_position: int | None = None,
) -> list[Candidate]:
    """The cleaned, summary-worthy sentences of the analysed articles in article order, among the first
    ``max_position`` (default ``options.max_position``) of each article; with ``prune``, trailing
    attributions are cut off."""
    limit = options.max_position if max_position is None else max_position
    out: list[Candidate] = []
    for analysis in analyses:
        for position, sent in enumerate(analysis.sentences):
            if position >= limit:
                break
            clean = strip_dateline(sent)
            if not is_summary_worthy(clean.text, options):
                continue
            if prune:
                clean = strip_attribution(clean, options)
            stems, content, bigrams = concept_terms(clean.text)
            out.append(Candidate(clean, position, len(clean.text.split()), stems, content, bigrams))
    return out
