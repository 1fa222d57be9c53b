"""The brief stage: one story's articles in, its :class:`~storydesk.model.Briefing` out.

::

    analyse (sentences; with the facts layer: parse, mentions, quotes, dates — once per article)
      → summarize (extractive, with citations) → headline → facts (actors, quotes, timeline, claims)
        → with summarizer=llm: the LLM writes from the summary and the facts, each sentence verified (llm/)

Every step reads the articles' :class:`~storydesk.analyse.ArticleAnalysis`; nothing splits or parses
again. Over a store, :func:`brief_story_analyses` is given the articles' stored analyses (#17: facts and
sentence vectors, see ``_stored``), computes only what they lack, and hands back what is worth storing. The options of every step are one :class:`BriefOptions`, built once from the settings
(``Components.brief_options``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from ..analyse import AnalysisOptions, StoredAnalysis, analyse_articles
from ..config import Settings
from ..model import Article, ArticleRef, Briefing, Story, article_sort_key
from ._stored import KnownVectors, analyses_to_store
from .facts import FactsOptions
from .summarize import SummaryOptions

__all__ = ["BriefComponents", "BriefOptions", "StoreWhat", "brief_story", "brief_story_analyses"]


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
class StoreWhat:
    """What a stored analysis keeps besides the facts (#17): the sentence vectors (with a model's
    embedder; a model-free one's cost less to make again than to read)."""

    vectors: bool = True


@dataclass(frozen=True, slots=True)
class BriefOptions:
    """The options of every step of a briefing; ``facts`` is None when the facts layer is off."""

    analysis: AnalysisOptions = AnalysisOptions()
    summary: SummaryOptions = SummaryOptions()
    facts: FactsOptions | None = FactsOptions()

    @classmethod
    def from_settings(cls, settings: Settings, analysis: AnalysisOptions | None = None) -> BriefOptions:
        """The product's options: ``summary_sentences``, the facts layer on or off, every threshold at its
        default; ``analysis``: how articles are parsed, if not the defaults (a briefing worker's smaller
        facts cache)."""
        analysis = analysis or AnalysisOptions()
        return cls(
            analysis=analysis,
            summary=SummaryOptions.from_settings(settings),
            facts=FactsOptions(analysis=analysis) if settings.facts else None,
        )


def brief_story(
    story: Story,
    articles: Mapping[str, Article],
    components: BriefComponents,
    *,
    stored: Mapping[str, StoredAnalysis] | None = None,
) -> Briefing:
    """Summary with citations, headline, sources and (if enabled) the facts layer for one story; the
    articles' ``stored`` analyses (#17) are used instead of parsing and embedding them again."""
    return brief_story_analyses(story, articles, components, stored=stored, keep=None)[0]


def brief_story_analyses(
    story: Story,
    articles: Mapping[str, Article],
    components: BriefComponents,
    *,
    stored: Mapping[str, StoredAnalysis] | None = None,
    keep: StoreWhat | None = StoreWhat(),
) -> tuple[Briefing, list[StoredAnalysis]]:
    """:func:`brief_story`, and the analyses of its members worth storing (``keep``: what a stored analysis
    holds; ``None``: nothing, and the run's embedder is used as it is)."""
    from .summarize import headline, summarize

    options = components.brief_options
    timer = components.timer
    members = sorted((articles[i] for i in story.article_ids), key=article_sort_key)
    nlp = components.nlp if options.facts is not None else None
    stored = stored or {}
    embedder: Any = components.embedder
    known_vectors: KnownVectors | None = None
    if keep is not None or stored:
        # the run's embedder is built only when a text is not known (a re-brief may need none)
        known = {
            t: v for a in members if (s := stored.get(a.id)) is not None for t, v in s.vector_map().items()
        }
        embedder = known_vectors = KnownVectors(lambda: components.embedder, known)
    with timer("analyse"):
        known_facts = {
            a.id: f for a in members if (s := stored.get(a.id)) is not None and (f := s.facts) is not None
        }
        analyses = analyse_articles(members, nlp=nlp, options=options.analysis, known=known_facts)
    with timer("summarize"):
        summary = summarize(members, options.summary, embedder=embedder, analyses=analyses)
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
            f = story_facts(members, nlp=nlp, embedder=embedder, analyses=analyses, options=options.facts)
        facts = {"entities": f.entities, "quotes": f.quotes, "timeline": f.timeline, "claims": f.claims}
    written: dict[str, Any] = {}
    if components.settings.summarizer == "llm":
        from .llm.briefing import llm_summary

        with timer("llm summary"):
            sentences = {a.id: analyses[a.id].sentences for a in members}
            llm = llm_summary(title, summary, members, sentences, f, components.settings, embedder)
        written = {"summary_method": llm.method, "summary_note": llm.note, "rejected": llm.rejected}
        summary = list(llm.summary)
        record = getattr(components, "record_llm", None)
        if record is not None:
            record(llm.usage)
    dates = sorted(a.published for a in members if a.published)
    to_store: list[StoredAnalysis] = []
    if keep is not None and known_vectors is not None:
        to_store = analyses_to_store(
            analyses, stored, known_vectors.fresh, facts=options.facts is not None, vectors=keep.vectors
        )
    briefing = Briefing(
        story_id=story.id,
        title=title,
        articles=tuple(refs),
        summary=tuple(summary),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        **facts,
        **written,
    )
    return briefing, to_store
