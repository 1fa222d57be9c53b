"""What the analyse stage found in one article, as ``storydesk analyse`` shows it (#15).

Every span is a pair of character offsets into ``Article.text`` as storydesk stored it, so
``text[start:end]`` is the string reported beside it. Names are resolved within the article alone, as a
story of one article would resolve them: ``canonical`` is the actor a mention belongs to ("Trump" →
"Donald Trump"), a quotation's ``speaker`` the actor it is attributed to (a pronoun already replaced by
the name it stands for), and ``speaker_span`` the words of the text that name the speaker.
"""

from __future__ import annotations

from ..model import ArticleReadout, EntitySpan, QuoteSpan
from . import ArticleAnalysis
from .entities import actor_name, merge_entities
from .rules import QUOTE_PAIRS

__all__ = ["read_out"]


QUOTE_MARKS = frozenset("".join(QUOTE_PAIRS) + "".join(QUOTE_PAIRS.values()) + "‘’")


def _between_marks(text: str, start: int, end: int) -> bool:
    before = text[start - 1 : start] if start > 0 else ""
    return (text[start : start + 1] in QUOTE_MARKS or before in QUOTE_MARKS) and (
        text[end - 1 : end] in QUOTE_MARKS or text[end : end + 1] in QUOTE_MARKS
    )


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the spaces and the trailing comma a quotation's shown text drops. A quotation
    running over paragraphs keeps its whole stretch (the marks that reopen it included)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def read_out(analysis: ArticleAnalysis) -> ArticleReadout:
    """The :class:`~storydesk.model.ArticleReadout` of ``analysis`` (which must hold its facts: :func:`storydesk.analyse.add_facts`)."""
    facts = analysis.facts
    if facts is None:
        raise ValueError("read_out needs an analysis with its facts (analyse_article with a spaCy pipeline)")
    article = analysis.article
    text = article.text
    speakers = [q.speaker for q in facts.quotes if q.speaker]
    _, resolver = merge_entities(facts.mentions, {article.id: article}, speakers=speakers)
    entities = []
    for m in facts.mentions:
        # A possessive ("Berg's") is cut off the mention's text, not off its end offset.
        end = m.start + len(m.text) if text[m.start : m.start + len(m.text)] == m.text else m.end
        entities.append(EntitySpan(m.text, m.start, end, m.type, resolver.resolve(m.text), m.role))
    quotes = []
    for q in facts.quotes:
        speaker = actor_name(q.speaker, q.speaker_kind, resolver) if q.speaker else None
        start, end = _trimmed(text, q.start, q.end)
        quotes.append(
            QuoteSpan(
                text=text[start:end],
                start=start,
                end=end,
                speaker=speaker,
                speaker_start=q.speaker_start if speaker else None,
                speaker_end=q.speaker_end if speaker else None,
                cue=q.cue,
                direct=_between_marks(text, q.start, q.end),
            )
        )
    dates = tuple(d for d in facts.dates if 0 <= d.start < d.end <= len(text))
    return ArticleReadout(article, analysis.sentences, tuple(entities), tuple(quotes), dates)
