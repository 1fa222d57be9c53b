"""The brief stage: one story's articles in, its :class:`~storydesk.model.Briefing` out.

::

    sentences → summarize (extractive, with citations) → headline → facts (actors, quotes, timeline, claims)
        → with summarizer=llm: the LLM writes from the summary and the facts, each sentence verified (llm/)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

from ..config import Settings
from ..model import Article, ArticleRef, Briefing, Story, article_sort_key

__all__ = ["BriefComponents", "brief_story"]


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


def brief_story(story: Story, articles: Mapping[str, Article], components: BriefComponents) -> Briefing:
    """Summary with citations, headline, sources and (if enabled) the facts layer for one story."""
    from ..analyse import analyse_article
    from .summarize import SummaryOptions, headline, summarize

    settings = components.settings
    timer = components.timer
    members = sorted((articles[i] for i in story.article_ids), key=article_sort_key)
    with timer("summarize"):
        analyses = {a.id: analyse_article(a) for a in members}
        sentences = {a.id: list(analyses[a.id].sentences) for a in members}
        summary = summarize(
            members,
            SummaryOptions.from_settings(settings),
            embedder=components.embedder,
            analyses=analyses,
        )
        title = headline(members, summary)
    refs = []
    for a in members:
        dups = story.duplicates.get(a.id, ())
        dup_outlets = tuple(dict.fromkeys(o for d in dups if d in articles and (o := articles[d].outlet)))
        refs.append(ArticleRef(a.id, a.title, a.outlet, a.published, a.url, a.path, tuple(dups), dup_outlets))
    facts: dict[str, Any] = {}
    f: Any = None
    if settings.facts:
        from .facts import story_facts

        with timer("facts"):
            f = story_facts(members, nlp=components.nlp, embedder=components.embedder, sentences=sentences)
        facts = {"entities": f.entities, "quotes": f.quotes, "timeline": f.timeline, "claims": f.claims}
    written: dict[str, Any] = {}
    if settings.summarizer == "llm":
        from .llm.briefing import llm_summary

        with timer("llm summary"):
            llm = llm_summary(title, summary, members, sentences, f, settings, components.embedder)
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
