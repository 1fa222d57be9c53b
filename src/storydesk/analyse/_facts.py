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
from .dates import find_dates
from .entities import extract_mentions
from .quotes import RawQuote, find_quotes
from .rules import MAX_PARSE_CHARS, WARM_PARSES

__all__ = [
    "AnalysisOptions",
    "DEFAULT_ANALYSIS_OPTIONS",
    "ArticleFacts",
    "article_facts",
    "FACTS_CACHE_ARTICLES",
]

#: Articles whose facts are kept per process (the most recently used).
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


def article_facts(
    article: Article,
    sentences: Sequence[Sentence],
    nlp: Any,
    options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS,
) -> ArticleFacts:
    """Mentions, quotations and dates of one article (cached by article id, text, date and pipeline)."""
    key = (article.id, hash((article.text, article.published)), id(nlp), options.max_parse_chars)
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit
    mentions, quotes, _ = parse_article(article, nlp, options)
    dates = tuple(find_dates(article, sentences))
    facts = ArticleFacts(article.id, mentions, quotes, dates)
    _cache[key] = facts
    if len(_cache) > FACTS_CACHE_ARTICLES:
        _cache.popitem(last=False)
    return facts
