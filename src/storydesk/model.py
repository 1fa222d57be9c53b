"""The records that cross every seam of storydesk.

The flow (see DESIGN.md)::

    RawDocument ──extract──► Article ──analyse──► Sentence / Entity / Quote / DateMention
        ──dedup──► DuplicateGroup ──cluster──► Story ──brief──► Briefing

Live sources (the ``sources`` stage, before ingest) keep their state in the store: a followed
:class:`Source`, the :class:`Entry` s it listed, the cached fetch of a :class:`Page`, and the
:class:`EntryCounts` of a source; these are here because both the stage and the store read them.

All records are frozen dataclasses. Ids are stable content hashes (see :func:`content_id`), so ingesting
the same article twice changes nothing. Dates are ISO strings (``YYYY-MM-DD`` or a full ISO timestamp)
so that records serialise to JSON and SQL without conversion.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "RawDocument",
    "Article",
    "Sentence",
    "Failure",
    "Entity",
    "Mention",
    "Quote",
    "DateMention",
    "TimelineEvent",
    "EntitySpan",
    "QuoteSpan",
    "ArticleReadout",
    "Claim",
    "SourceSupport",
    "MIN_CORROBORATING_SOURCES",
    "count_outlets",
    "SummarySentence",
    "CitationSupport",
    "RejectedSentence",
    "ArticleRef",
    "Story",
    "Briefing",
    "StoryRow",
    "SearchHit",
    "content_id",
    "normalise_for_id",
    "article_sort_key",
    # live sources (#18)
    "SourceKind",
    "FetchOutcome",
    "EntryStatus",
    "Source",
    "Entry",
    "Page",
    "EntryCounts",
]

InputKind = Literal["html", "text", "jsonl", "warc", "feed"]
EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "OTHER"]
Granularity = Literal["day", "month", "year"]
ClaimStatus = Literal["corroborated", "single_source", "disputed"]
SummaryKind = Literal["extractive", "generated"]

_WS = re.compile(r"\s+")


def publication_day(published: str | None) -> float:
    """The day number (proleptic ordinal) of an ISO publication date, NaN when absent or unreadable."""
    if not published:
        return math.nan
    try:
        return float(date.fromisoformat(published[:10]).toordinal())
    except ValueError:
        return math.nan


def article_sort_key(article: Article) -> tuple[str, str]:
    """Publication order: undated articles last, ties by id."""
    return (article.published or "9999", article.id)


def normalise_for_id(text: str) -> str:
    """Whitespace-collapsed, case-folded text: what an id is computed from."""
    return _WS.sub(" ", text).strip().casefold()


def content_id(*parts: str | None, length: int = 16) -> str:
    """A stable hex id from the given parts (``None`` counts as empty)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(normalise_for_id(p or "").encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One article as read from a source, before extraction.

    ``content`` is decoded text: an HTML page for ``kind == "html"``, plain text otherwise.
    ``origin`` names where it came from for error messages: a path, ``path:LINE`` for JSONL,
    ``path#record-N`` for WARC/feeds.
    """

    origin: str
    kind: Literal["html", "text"]
    content: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    fetched: str | None = None
    """When the page was fetched (a WARC record's date): a fallback when the page states no date."""
    line: int | None = None
    """The JSONL line (1-based) the record was read from; None for other inputs."""


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: main text with boilerplate lines removed.

    ``text`` keeps paragraphs separated by a blank line. ``removed`` holds the lines the boilerplate filter
    dropped, in order, so that a reader can see what was removed. ``outlet_inferred`` is True when no
    source or page metadata stated the outlet and storydesk read it from the page itself (a site-name
    line, the URL's host, a byline, a dateline).
    """

    id: str
    title: str
    text: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    path: str | None = None
    author: str | None = None
    language: str | None = None
    removed: tuple[str, ...] = ()
    outlet_inferred: bool = False

    @staticmethod
    def make_id(*, text: str, url: str | None, outlet: str | None, title: str | None) -> str:
        """The article id: a hash of where it was published and what it says."""
        return content_id(url, outlet, title, text)


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not become an article, with a reason a user can act on."""

    origin: str
    reason: str


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


# -- live sources (#18): what the sources stage and the store share ------------------------------------

SourceKind = Literal["auto", "feed", "sitemap", "page"]
"""``auto`` becomes ``feed`` or ``sitemap`` on the first successful fetch (an HTML answer is an error)."""

FetchOutcome = Literal["ok", "not_modified", "error", "deferred"]
"""What the last poll of a source did: read it, got 304, failed, or waited (the host asked to)."""

EntryStatus = Literal["pending", "ingested", "old", "failed"]
"""``pending``: its page is still to be fetched; ``ingested``: its text went to ingest; ``old``: older
than ``max_entry_age_days`` when first seen, skipped; ``failed``: given up (the reason is kept)."""


@dataclass(frozen=True, slots=True)
class Source:
    """A followed feed, sitemap or page, and the state of its polling.

    ``etag`` and ``last_modified`` are the validators of the last answer that parsed; ``final_url`` is
    where the last fetch ended after redirects. ``consecutive_errors`` drives the back-off; the counts are
    totals since the source was added.
    """

    id: str
    url: str
    kind: SourceKind = "auto"
    title: str | None = None
    tags: tuple[str, ...] = ()
    interval_s: int | None = None
    added_at: str | None = None
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetch_at: str | None = None
    last_status: FetchOutcome | None = None
    http_status: int | None = None
    last_error: str | None = None
    consecutive_errors: int = 0
    fetch_count: int = 0
    not_modified_count: int = 0
    error_count: int = 0
    next_poll_at: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a source (a feed entry, a sitemap URL, a version of a followed page).

    The three dates are kept apart: ``feed_published`` is what the feed or sitemap says (clamped to the
    fetch time when it lay in the future, with the flag ``future_date``), ``page_published`` what the
    page itself says (found by extraction), ``fetched_at`` when the text was fetched. The article takes
    the first of them that is known.
    """

    source_id: str
    key: str
    url: str | None = None
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    feed_published: str | None = None
    page_published: str | None = None
    fetched_at: str | None = None
    first_seen_at: str | None = None
    status: EntryStatus = "pending"
    flags: tuple[str, ...] = ()
    error: str | None = None
    attempts: int = 0
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """The fetch cache of one article page, by canonical URL: fetched once, with its time and error.

    ``final`` pages are never fetched again (fetched, or failed for good); others failed in a way that
    may pass (a timeout, a 503) and are tried again up to ``storydesk.sources.rules.PAGE_ATTEMPTS`` times.
    """

    url: str
    fetched_at: str
    final_url: str | None = None
    http_status: int | None = None
    error: str | None = None
    final: bool = True
    attempts: int = 1
    article_id: str | None = None
    published: str | None = None
    """The page's own date (what extraction found), kept apart from the feed's."""


@dataclass(frozen=True, slots=True)
class EntryCounts:
    """How many entries of one source are in each state (``future_dated`` counts flags, not a state)."""

    total: int = 0
    ingested: int = 0
    pending: int = 0
    failed: int = 0
    old: int = 0
    future_dated: int = 0
