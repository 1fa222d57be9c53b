"""Sentence splitting with blingfire, paragraph by paragraph.

Every :class:`~storydesk.model.Sentence` carries character offsets into ``Article.text`` such that
``article.text[s.start:s.end] == s.text`` always holds. blingfire knows abbreviations ("Mr.", "U.S.",
"p.m.") and closing quotes; paragraphs (separated by blank lines) never share a sentence.

A dateline or agency prefix naming an outlet at the start of the text ("HANOI, Vietnam (AP) — ",
"LIMA (CoastWire)Officials said…", "AFP – The meeting…"; see :func:`storydesk.extract.read_dateline`)
is part of no sentence: the first sentence starts after it.
"""

from __future__ import annotations

import re

from ..extract import read_dateline
from ..model import Article, Sentence

__all__ = ["split_sentences", "split_text"]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Spans of the sentences of one paragraph (offsets into ``paragraph``), whitespace trimmed.

    blingfire's own ``text_to_sentences_and_offsets`` maps byte offsets back to characters in a Python
    loop over every byte (4× the cost of the split itself), so the sentences are located with
    ``str.find`` instead; if blingfire ever rewrote a sentence so that it is not found verbatim, the
    paragraph falls back to blingfire's offsets.
    """
    if not paragraph.strip():
        return []
    import blingfire

    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in blingfire.text_to_sentences(paragraph).split("\n"):
        if not sentence.strip():
            continue
        start = paragraph.find(sentence, cursor)
        if start < 0:
            return _sentence_spans_by_offsets(paragraph)
        cursor = start + len(sentence)
        spans.extend(_trim(paragraph, start, cursor))
    return spans


def _sentence_spans_by_offsets(paragraph: str) -> list[tuple[int, int]]:
    import blingfire

    _, offsets = blingfire.text_to_sentences_and_offsets(paragraph)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for start, end in offsets:
        piece = paragraph[start:end]
        if not piece.strip():
            continue
        if start < cursor or end > len(paragraph):  # defensive: never trust offsets blindly
            continue
        spans.extend(_trim(paragraph, start, end))
        cursor = end
    return spans


def _trim(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trim whitespace around ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end > start else []


def split_text(text: str, article_id: str = "") -> list[Sentence]:
    """The sentences of ``text`` with offsets into it (see :func:`split_sentences`)."""
    sentences: list[Sentence] = []
    for para_no, (p_start, p_end) in enumerate(
        span for span in _paragraph_spans(text) if text[span[0] : span[1]].strip()
    ):
        for s_start, s_end in _sentence_spans(text[p_start:p_end]):
            start, end = p_start + s_start, p_start + s_end
            sentences.append(
                Sentence(
                    article_id=article_id,
                    index=len(sentences),
                    text=text[start:end],
                    start=start,
                    end=end,
                    paragraph=para_no,
                )
            )
    return sentences


def split_sentences(article: Article) -> list[Sentence]:
    """Split an article into sentences, per paragraph, with offsets into ``article.text``; an opening
    dateline naming an outlet belongs to no sentence."""
    sentences = split_text(article.text, article.id)
    if not sentences:
        return sentences
    first = sentences[0]
    known = [article.outlet] if article.outlet else []
    first_paragraph = article.text[first.start :].split("\n", 1)[0]
    dateline = read_dateline(first_paragraph, known=known, url=article.url)
    if dateline is None:
        return sentences
    cut = first.start + dateline.end
    kept: list[Sentence] = []
    for s in sentences:
        if s.end <= cut:
            continue  # a piece of the dateline split off as a sentence ("ST. JOSEPH, Mich.")
        if s.start < cut:
            start = cut
            while start < s.end and article.text[start].isspace():
                start += 1
            s = Sentence(s.article_id, s.index, article.text[start : s.end], start, s.end, s.paragraph)
        kept.append(s)
    return [Sentence(s.article_id, i, s.text, s.start, s.end, s.paragraph) for i, s in enumerate(kept)]
