"""The facts layer's reading of one article: spaCy parse, actor mentions, quotations, resolved dates.

Cached per process by article id (ids are content hashes), text, date and pipeline: a story is briefed
again each time it grows, and its older articles are not parsed again.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from ..model import Article, DateMention, Mention, Sentence
from .dates import find_dates, on_the_event
from .entities import extract_mentions
from .quotes import RawQuote, find_quotes
from .rules import MAX_PARSE_CHARS, PIPE_BATCH, PIPE_CHARS, WARM_PARSES

__all__ = [
    "AnalysisOptions",
    "DEFAULT_ANALYSIS_OPTIONS",
    "ArticleFacts",
    "article_facts",
    "articles_facts",
    "FACTS_CACHE_ARTICLES",
]

#: Articles whose facts are kept per process by default (the most recently used; ``AnalysisOptions.cache_articles``).
FACTS_CACHE_ARTICLES = 2048
_parses = 0
_cache: OrderedDict[tuple[Any, ...], ArticleFacts] = OrderedDict()


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """How an article is parsed (defaults: :mod:`.rules`)."""

    #: longest text handed to spaCy in one piece (characters); longer articles are cut
    max_parse_chars: int = MAX_PARSE_CHARS
    #: parses per process before each parse runs inside a spaCy memory zone (see :func:`article_facts`)
    warm_parses: int = WARM_PARSES
    #: articles handed to ``nlp.pipe`` at a time by :func:`articles_facts` ...
    pipe_batch: int = PIPE_BATCH
    #: ... and at most this many characters of them (one longer article goes alone)
    pipe_chars: int = PIPE_CHARS
    #: articles whose facts this process keeps (the most recently used; 0: none): a process that reads
    #: them from stored analyses (a briefing worker, #17) needs few
    cache_articles: int = FACTS_CACHE_ARTICLES


#: The shipped options (every default).
DEFAULT_ANALYSIS_OPTIONS = AnalysisOptions()


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What one article says, before it is merged with the rest of its story."""

    article_id: str
    mentions: tuple[Mention, ...]
    quotes: tuple[RawQuote, ...]
    dates: tuple[DateMention, ...]


def parse_article(
    article: Article, nlp: Any, options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS
) -> tuple[tuple[Mention, ...], tuple[RawQuote, ...], float]:
    """The article's one spaCy parse and what is read on it: mentions and quotations, with the seconds the
    quotations took after the parse (not cached: :func:`article_facts` caches)."""
    # Inside a memory zone, the words this parse adds to spaCy's vocabulary are dropped again when it
    # ends, so a long-running process does not keep every new name it has read (spaCy >= 3.8; mentions
    # and quotations keep plain strings, no Doc or Span outlives the zone). A zone does not fill the
    # tokenizer's cache, so a process's first parses run outside one and fill it with common words.
    global _parses
    _parses += 1
    zone = getattr(nlp, "memory_zone", None)
    with zone() if zone is not None and _parses > options.warm_parses else nullcontext():
        doc = nlp(article.text[: options.max_parse_chars])
        mentions = tuple(extract_mentions(article, doc))
        started = time.perf_counter()
        quotes = tuple(find_quotes(article, mentions, doc))
        seconds = time.perf_counter() - started
        del doc
    return mentions, quotes, seconds


def _read(article: Article, sentences: Sequence[Sentence], doc: Any) -> ArticleFacts:
    """What the facts layer reads on one parse: mentions, quotations, and dates (a date that does not date
    its sentence's event loses its date: :func:`~storydesk.analyse.dates.on_the_event`)."""
    mentions = tuple(extract_mentions(article, doc))
    quotes = tuple(find_quotes(article, mentions, doc))
    dates = tuple(on_the_event(find_dates(article, sentences), doc))
    return ArticleFacts(article.id, mentions, quotes, dates)


def _key(article: Article, nlp: Any, options: AnalysisOptions) -> tuple[Any, ...]:
    return (article.id, hash((article.text, article.published)), id(nlp), options.max_parse_chars)


def _remember(key: tuple[Any, ...], facts: ArticleFacts, options: AnalysisOptions) -> None:
    _cache[key] = facts
    while len(_cache) > options.cache_articles:
        _cache.popitem(last=False)


def article_facts(
    article: Article,
    sentences: Sequence[Sentence],
    nlp: Any,
    options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS,
) -> ArticleFacts:
    """Mentions, quotations and dates of one article (cached by article id, text, date and pipeline)."""
    key = _key(article, nlp, options)
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit
    global _parses
    _parses += 1
    zone = getattr(nlp, "memory_zone", None)
    # as in parse_article: a process's first parses fill the tokenizer's cache outside a zone
    with zone() if zone is not None and _parses > options.warm_parses else nullcontext():
        doc = nlp(article.text[: options.max_parse_chars])
        facts = _read(article, sentences, doc)
        del doc
    _remember(key, facts, options)
    return facts


def articles_facts(
    items: Sequence[tuple[Article, Sequence[Sentence]]],
    nlp: Any,
    options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS,
) -> list[ArticleFacts]:
    """:func:`article_facts` of several articles (each with its sentences), in order: those not cached
    are parsed together through ``nlp.pipe``, at most ``options.pipe_batch`` articles and
    ``options.pipe_chars`` characters at a time (the same parse as one by one, for less CPU; the character
    bound keeps spaCy's transient memory, and so a process's peak, small)."""
    global _parses
    keys = [_key(a, nlp, options) for a, _ in items]
    out: list[ArticleFacts | None] = []
    todo: list[int] = []
    for i, key in enumerate(keys):
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
        else:
            todo.append(i)
        out.append(hit)
    if len(todo) == 1:  # nothing to batch
        out[todo[0]] = article_facts(*items[todo[0]], nlp, options)
        todo = []
    pipe = getattr(nlp, "pipe", None)
    lengths = [min(len(items[i][0].text), options.max_parse_chars) for i in todo]
    for part in pipe_batches(todo, lengths, options):
        _parses += len(part)
        zone = getattr(nlp, "memory_zone", None)
        # as in parse_article: a process's first parses fill the tokenizer's cache outside a zone
        with zone() if zone is not None and _parses > options.warm_parses else nullcontext():
            texts = [items[i][0].text[: options.max_parse_chars] for i in part]
            docs = pipe(texts, batch_size=len(part)) if pipe is not None else map(nlp, texts)
            for i, doc in zip(part, docs, strict=True):
                article, sentences = items[i]
                facts = _read(article, sentences, doc)
                _remember(keys[i], facts, options)
                out[i] = facts
            del doc, docs
    assert all(f is not None for f in out)
    return out  # type: ignore[return-value]


def pipe_batches(indices: Sequence[int], lengths: Sequence[int], options: AnalysisOptions) -> list[list[int]]:
    """``indices`` in order, cut into runs of at most ``options.pipe_batch`` articles and
    ``options.pipe_chars`` characters (``lengths``: the characters each parses); a longer article goes
    alone."""
    batches: list[list[int]] = []
    current: list[int] = []
    chars = 0
    for i, n in zip(indices, lengths, strict=True):
        if current and (len(current) >= options.pipe_batch or chars + n > options.pipe_chars):
            batches.append(current)
            current, chars = [], 0
        current.append(i)
        chars += n
    if current:
        batches.append(current)
    return batches
