"""A story's briefing: its claims and their independent sources, summary sentences, stories and rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ._analysis import (
    Entity,
    Quote,
    TimelineEvent,
)
from ._articles import (
    ClaimStatus,
    SummaryKind,
    content_id,
)

#: Independent sources a claim needs before any rendering calls it corroborated (#15).
MIN_CORROBORATING_SOURCES = 2

_STATED_BY = re.compile(r"stated by (\d+) independent sources")


@dataclass(frozen=True, slots=True)
class SourceSupport:
    """How many independent sources state a claim, and the one wording every rendering uses for it.

    ``sources`` counts independent sources: distinct outlets, with copies of one wire story counted once
    and every article whose outlet is unknown counted as its own source; ``outlets`` are the outlets
    named; ``unnamed`` the sources with no outlet known. Built by :meth:`count` (the claims step) or read
    back from a :class:`Claim` (:attr:`Claim.support`); text, Markdown, JSON, HTML and the web page all
    print :attr:`label`, so they say the same thing with the same numbers.
    """

    sources: int
    outlets: tuple[str, ...] = ()
    unnamed: int = 0

    @classmethod
    def count(
        cls,
        article_ids: Iterable[str],
        source_of: Mapping[str, str],
        outlet_of: Mapping[str, str | None],
    ) -> SourceSupport:
        """The support of the articles ``article_ids``: ``source_of`` maps an article id to its source
        key (an article missing from it is its own source), ``outlet_of`` to its outlet name (or None)."""
        named: dict[str, bool] = {}
        outlets: dict[str, None] = {}
        for aid in article_ids:
            key = source_of.get(aid) or aid
            outlet = outlet_of.get(aid)
            named[key] = named.get(key, False) or bool(outlet)
            if outlet:
                outlets.setdefault(outlet)
        return cls(len(named), tuple(outlets), sum(1 for v in named.values() if not v))

    @property
    def corroborated(self) -> bool:
        """Whether enough independent sources state it (:data:`MIN_CORROBORATING_SOURCES`)."""
        return self.sources >= MIN_CORROBORATING_SOURCES

    @property
    def label(self) -> str:
        """How a briefing states it: "stated by 3 independent sources: Herald, Post and 1 more (outlet
        unknown)", "stated by 2 independent sources, outlets unknown", "one source: Herald", "one source,
        outlet unknown"."""
        if self.sources <= 1:
            if not self.outlets:
                return "one source, outlet unknown"
            return f"one source: {' / '.join(self.outlets)}"
        if not self.outlets:
            return f"stated by {self.sources} independent sources, outlets unknown"
        names = list(self.outlets)
        if self.unnamed:
            names.append(f"{self.unnamed} more (outlet{'s' if self.unnamed > 1 else ''} unknown)")
        listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        if len(self.outlets) + self.unnamed > self.sources:
            listed += "; copies and names of one source count once"
        return f"stated by {self.sources} independent sources: {listed}"


def count_outlets(articles: Iterable[ArticleRef]) -> int:
    """The outlets of a story's listed articles: distinct outlet names (their folded copies' outlets
    too), and each article whose outlet is unknown as one. The header of every rendering and the stored
    ``outlet_count`` use it."""
    keys: set[str] = set()
    for a in articles:
        keys.add((a.outlet or "").strip().casefold() or f"\x00{a.id}")
        keys.update(o.strip().casefold() for o in a.duplicate_outlets if o and o.strip())
    return len(keys)


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement of the story and its sources; ``sources``/``unnamed_sources`` as in
    :class:`SourceSupport` (0 when the claim was made without counting them, as by older versions)."""

    text: str
    status: ClaimStatus
    articles: tuple[str, ...]
    outlets: tuple[str, ...] = ()
    conflicts_with: tuple[int, ...] = ()
    confidence: float | None = None
    reason: str | None = None
    sources: int = 0
    unnamed_sources: int = 0

    @property
    def support(self) -> SourceSupport:
        """Its :class:`SourceSupport`. A claim stored without the count (an older briefing) reads it from
        its reason ("stated by 3 independent sources") or its outlets."""
        if self.sources:
            return SourceSupport(self.sources, self.outlets, self.unnamed_sources)
        found = _STATED_BY.search(self.reason or "")
        if found:
            n = int(found.group(1))
            return SourceSupport(n, self.outlets, max(0, n - len(self.outlets)))
        return SourceSupport(max(1, len(self.outlets)), self.outlets, 0 if self.outlets else 1)


@dataclass(frozen=True, slots=True)
class CitationSupport:
    """What one cited source sentence gives a generated summary sentence: the share of the generated
    sentence's content words it holds (``score``) and the names, numbers, dates and quotations found in
    it (``matched``)."""

    article_id: str
    index: int
    text: str
    score: float
    matched: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A summary sentence, cited by every article stating it.

    ``kind`` is ``extractive`` (verbatim from ``source``, an article id) or ``generated`` (written by an
    LLM from the source sentences in ``support``, each verified before it is shown).
    """

    text: str
    citations: tuple[str, ...]
    source: str
    source_index: int
    kind: SummaryKind = "extractive"
    support: tuple[CitationSupport, ...] = ()


@dataclass(frozen=True, slots=True)
class RejectedSentence:
    """A generated sentence that failed verification, with its cited article ids and the reasons."""

    text: str
    citations: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article as listed in a briefing; ``duplicates`` are near-duplicates folded into it;
    ``outlet_inferred`` as in :class:`Article`."""

    id: str
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    path: str | None
    duplicates: tuple[str, ...] = ()
    duplicate_outlets: tuple[str, ...] = ()
    outlet_inferred: bool = False


@dataclass(frozen=True, slots=True)
class Story:
    """A group of articles about one real-world event; ``article_ids`` exclude folded near-duplicates.

    ``related``: the ids of other stories of the same subject (a second level above stories, like a news
    site's "full coverage"), most alike first.
    """

    id: str
    article_ids: tuple[str, ...]
    duplicates: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    related: tuple[str, ...] = field(default=(), compare=False)

    @staticmethod
    def make_id(seed_article_id: str) -> str:
        """A story is named after its seed (earliest-seen) article, so its id survives growth."""
        return content_id("story", seed_article_id)


@dataclass(frozen=True, slots=True)
class Briefing:
    story_id: str
    title: str
    articles: tuple[ArticleRef, ...]
    summary: tuple[SummarySentence, ...]
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    claims: tuple[Claim, ...] = ()
    first_published: str | None = None
    last_published: str | None = None
    summary_method: SummaryKind = "extractive"
    """``generated`` when ``summary`` was written by an LLM and verified, else ``extractive``."""
    summary_note: str | None = None
    """One line on the LLM summary: why the extractive one is shown, or how many sentences were rejected."""
    rejected: tuple[RejectedSentence, ...] = ()
    related: tuple[str, ...] = ()
    """Ids of the stories of the same subject (``Story.related``, #21)."""


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story as listed: enough to show a line per story without loading its briefing.

    ``lead`` is the first summary sentence (or None before a briefing exists); ``updated_at`` is an
    ISO 8601 UTC timestamp of the story's last briefing write.
    """

    id: str
    title: str
    first_published: str | None
    last_published: str | None
    article_count: int
    outlet_count: int
    lead: str | None
    updated_at: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article matching a search.

    ``snippet`` is **plain text** (not HTML, not escaped) from the article's text around the matches;
    ``matches`` are ``(start, end)`` character offsets of the matched words inside ``snippet``. A page
    escapes the text itself; :meth:`snippet_parts` splits it for a template such as
    ``{% for part, hit in h.snippet_parts() %}{% if hit %}<mark>{{ part }}</mark>{% else %}{{ part }}{% endif %}{% endfor %}``.
    ``story_id`` is the story holding the article (or holding the article it duplicates), else None.
    """

    article_id: str
    title: str
    outlet: str | None
    published: str | None
    story_id: str | None
    snippet: str
    matches: tuple[tuple[int, int], ...] = ()

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The snippet as consecutive ``(text, is_match)`` pieces, in order, covering all of it."""
        parts: list[tuple[str, bool]] = []
        pos = 0
        for start, end in self.matches:
            if start > pos:
                parts.append((self.snippet[pos:start], False))
            parts.append((self.snippet[start:end], True))
            pos = end
        if pos < len(self.snippet):
            parts.append((self.snippet[pos:], False))
        return parts
