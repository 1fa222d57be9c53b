"""The analyse stage: each article read once, into an :class:`ArticleAnalysis` every later stage reads.

::

    Article ─► sentences (blingfire) ─► [with a spaCy pipeline] parse ─► mentions ─► quotes ─► dates

Sentences are always there; the facts layer's part (actor mentions, quotations, resolved dates) is
filled only when :func:`analyse_article` is given a spaCy pipeline, so a run with ``facts = false``
never loads or runs spaCy. The parse is cached per process (see :mod:`._facts`), so a story briefed
again as it grows does not parse its articles again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..model import Article, Sentence
from ._facts import (
    DEFAULT_ANALYSIS_OPTIONS,
    AnalysisOptions,
    ArticleFacts,
    article_facts,
    articles_facts,
    parse_article,
)
from ._stored import (
    StoredAnalysis,
    StoredAnalysisError,
    analysis_version,
    article_fingerprint,
    decode_stored,
    encode_stored,
    merge_vectors,
)
from .sentences import split_sentences

__all__ = [
    "ArticleAnalysis",
    "ArticleFacts",
    "AnalysisOptions",
    "analyse_article",
    "analyse_articles",
    "add_facts",
    "article_facts",
    "parse_article",
    "StoredAnalysis",
    "StoredAnalysisError",
    "analysis_version",
    "article_fingerprint",
    "encode_stored",
    "decode_stored",
    "merge_vectors",
]


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """One article as every later stage reads it: its sentences (offsets into ``article.text``) and,
    when the facts layer is on, its :class:`ArticleFacts` (``None`` when it is off)."""

    article: Article
    sentences: tuple[Sentence, ...]
    facts: ArticleFacts | None = None

    @property
    def id(self) -> str:
        return self.article.id


def analyse_article(
    article: Article, *, nlp: Any = None, options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS
) -> ArticleAnalysis:
    """Split ``article`` into sentences and, with a spaCy pipeline ``nlp``, read its facts (see
    :func:`add_facts`)."""
    analysis = ArticleAnalysis(article, tuple(split_sentences(article)))
    return analysis if nlp is None else add_facts(analysis, nlp, options)


def add_facts(
    analysis: ArticleAnalysis, nlp: Any, options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS
) -> ArticleAnalysis:
    """``analysis`` with its facts: actor mentions, quotations and resolved dates, read with the spaCy
    pipeline ``nlp`` (cached per process by article id, text, date and pipeline). The sentences are
    not split again; an analysis that has its facts is returned as it is."""
    if analysis.facts is not None:
        return analysis
    return replace(analysis, facts=article_facts(analysis.article, analysis.sentences, nlp, options))


def analyse_articles(
    articles: Sequence[Article],
    *,
    nlp: Any = None,
    options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS,
    known: Mapping[str, ArticleFacts] | None = None,
) -> dict[str, ArticleAnalysis]:
    """:func:`analyse_article` of each of ``articles``, by id; with ``nlp``, the articles whose facts are
    not ``known`` (stored, #17) nor parsed yet in this process are parsed together (``nlp.pipe``,
    ``options.pipe_batch`` at a time)."""
    analyses = [ArticleAnalysis(a, tuple(split_sentences(a))) for a in articles]
    if nlp is not None:
        known = known or {}
        todo = [x for x in analyses if x.id not in known]
        found = dict(known)
        if todo:
            parsed = articles_facts([(x.article, x.sentences) for x in todo], nlp, options)
            found.update((x.id, f) for x, f in zip(todo, parsed, strict=True))
        analyses = [replace(x, facts=found[x.id]) for x in analyses]
    return {x.id: x for x in analyses}
