"""What the analyse stage finds in an article: sentences, entities, quotes, dates, and their readout."""

from __future__ import annotations

from dataclasses import dataclass

from ._articles import (
    Article,
    EntityType,
    Granularity,
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article; ``start``/``end`` are character offsets into ``Article.text``."""

    article_id: str
    index: int
    text: str
    start: int
    end: int
    paragraph: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of a named entity in one article."""

    article_id: str
    text: str
    type: EntityType
    start: int
    end: int
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """An actor of a story: mentions merged under one canonical name."""

    name: str
    type: EntityType
    articles: tuple[str, ...]
    outlets: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim quotation and who said it; ``articles`` lists every article carrying it."""

    speaker: str | None
    text: str
    articles: tuple[str, ...]
    role: str | None = None


@dataclass(frozen=True, slots=True)
class DateMention:
    """A temporal expression in an article (TimeML TIMEX3) and, when it pins a day, month or year that
    a timeline may trust, that date.

    ``type`` and ``value`` are the TIMEX3 type (DATE, TIME, DURATION, SET) and normalised value
    ("2019-04-24", "2019-W17", "P3D", "PRESENT_REF"); ``start``/``end`` index the article's text;
    ``anchor`` says what a relative expression was resolved against: ``"published:2019-04-27"`` (the
    article's date), ``"sentence:2019-04-02"`` (an explicit date earlier in the same sentence),
    ``"previous:…"`` (a date mentioned before; never trusted by a timeline), None when absolute.
    ``date``/``granularity`` are set only for a day, month or year resolved against a trusted reference.
    """

    article_id: str
    sentence_index: int
    text: str
    date: str | None
    granularity: Granularity | None
    flags: tuple[str, ...] = ()
    start: int = -1
    end: int = -1
    type: str = "DATE"
    value: str | None = None
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A named-entity mention: its text, where it is, its type and the actor it belongs to."""

    text: str
    start: int
    end: int
    type: str
    canonical: str | None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation and its speaker (None when no speaker is certain); ``cue`` is the speech verb;
    ``direct`` whether the quoted words stand between quotation marks in the text."""

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    direct: bool


@dataclass(frozen=True, slots=True)
class ArticleReadout:
    """What the analyse stage found in one article, as ``storydesk analyse`` shows it (#15): every span
    indexes ``article.text``; ``path`` and ``line`` (the JSONL line, 1-based) name the input."""

    article: Article
    sentences: tuple[Sentence, ...]
    entities: tuple[EntitySpan, ...]
    quotes: tuple[QuoteSpan, ...]
    dates: tuple[DateMention, ...]
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str
    granularity: Granularity
    text: str
    articles: tuple[str, ...]
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AnalysisBlob:
    """One article's stored analysis as the store keeps it (#17): the ``version`` key of what made it
    and the encoded record (``storydesk.analyse.encode_stored``); the store reads neither."""

    article_id: str
    version: str
    data: bytes
