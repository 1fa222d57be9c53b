"""The brief stage: one story's articles in, its :class:`~storydesk.model.Briefing` out.

::

    analyse (sentences; with the facts layer: parse, mentions, quotes, dates — once per article)
      → summarize (extractive, with citations) → headline → facts (actors, quotes, timeline, claims)
        → with summarizer=llm: the LLM writes from the summary and the facts, each sentence verified (llm/)

Every step reads the articles' :class:`~storydesk.analyse.ArticleAnalysis`; nothing splits or parses
again. The options of every step are one :class:`BriefOptions`, built once from the settings
(``Components.brief_options``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from ..analyse import AnalysisOptions, analyse_articles
from ..config import Settings
from ..model import Article, ArticleRef, Briefing, Story, article_sort_key
from .facts import FactsOptions
from .summarize import SummaryOptions

__all__ = ["BriefComponents", "BriefOptions", "brief_story"]


class BriefComponents(Protocol):
    """What a briefing needs from the run (:class:`storydesk.components.Components` has it)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def timer(self) -> Callable[[str], AbstractContextManager[Any]]: ...  # read-only: a StageTimer fits

    @property
    def embedder(self) -> Any: ...

    @property
    def nlp(self) -> Any: ...

    @property
    def brief_options(self) -> BriefOptions: ...


@dataclass(frozen=True, slots=True)
class BriefOptions:
    """The options of every step of a briefing; ``facts`` is None when the facts layer is off."""

    analysis: AnalysisOptions = AnalysisOptions()
    summary: SummaryOptions = SummaryOptions()
    facts: FactsOptions | None = FactsOptions()

    @classmethod
    def from_settings(cls, settings: Settings) -> BriefOptions:
        """The product's options: ``summary_sentences``, the facts layer on or off, every threshold at its
        default."""
        analysis = AnalysisOptions()
        return cls(
            analysis=analysis,
            summary=SummaryOptions.from_settings(settings),
            facts=FactsOptions(analysis=analysis) if settings.facts else None,
        )


def brief_story(story: Story, articles: Mapping[str, Article], components: BriefComponents) -> Briefing:
    """Summary with citations, headline, sources and (if enabled) the facts layer for one story."""
    from .summarize import headline, summarize

    options = components.brief_options
    timer = components.timer
    members = sorted((articles[i] for i in story.article_ids), key=article_sort_key)
    nlp = components.nlp if options.facts is not None else None
    with timer("analyse"):
        analyses = analyse_articles(members, nlp=nlp, options=options.analysis)
    with timer("summarize"):
        summary = summarize(members, options.summary, embedder=components.embedder, analyses=analyses)
        title = headline(members, summary, options.summary)
    refs = []
    for a in members:
        dups = story.duplicates.get(a.id, ())
        dup_outlets = tuple(dict.fromkeys(o for d in dups if d in articles and (o := articles[d].outlet)))
        refs.append(
            ArticleRef(
                a.id,
                a.title,
                a.outlet,
                a.published,
                a.url,
                a.path,
                tuple(dups),
                dup_outlets,
                a.outlet_inferred,
            )
        )
    facts: dict[str, Any] = {}
    f: Any = None
    if options.facts is not None:
        from .facts import story_facts

        with timer("facts"):
            f = story_facts(
                members, nlp=nlp, embedder=components.embedder, analyses=analyses, options=options.facts
            )
        facts = {"entities": f.entities, "quotes": f.quotes, "timeline": f.timeline, "claims": f.claims}
    written: dict[str, Any] = {}
    if components.settings.summarizer == "llm":
        from .llm.briefing import llm_summary

        with timer("llm summary"):
            sentences = {a.id: analyses[a.id].sentences for a in members}
            llm = llm_summary(title, summary, members, sentences, f, components.settings, components.embedder)
        written = {"summary_method": llm.method, "summary_note": llm.note, "rejected": llm.rejected}
        summary = list(llm.summary)
        record = getattr(components, "record_llm", None)
        if record is not None:
            record(llm.usage)
    dates = sorted(a.published for a in members if a.published)
    return Briefing(
        story_id=story.id,
        title=title,
        articles=tuple(refs),
        summary=tuple(summary),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        **facts,
        **written,
    )
