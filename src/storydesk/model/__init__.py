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

from ._analysis import (
    AnalysisBlob,
    ArticleReadout,
    DateMention,
    Entity,
    EntitySpan,
    Mention,
    Quote,
    QuoteSpan,
    Sentence,
    TimelineEvent,
)
from ._articles import (
    Article,
    ClaimStatus,
    EntityType,
    Failure,
    Granularity,
    InputKind,
    RawDocument,
    SummaryKind,
    article_sort_key,
    content_id,
    normalise_for_id,
    publication_day,
    title_opens_text,
)
from ._briefing import (
    MIN_CORROBORATING_SOURCES,
    ArticleRef,
    Briefing,
    CitationSupport,
    Claim,
    RejectedSentence,
    SearchHit,
    SourceSupport,
    Story,
    StoryRow,
    SummarySentence,
    count_outlets,
)
from ._sources import (
    Entry,
    EntryCounts,
    EntryStatus,
    FetchOutcome,
    Page,
    Source,
    SourceKind,
)

__all__ = [
    "InputKind",
    "EntityType",
    "Granularity",
    "ClaimStatus",
    "SummaryKind",
    "publication_day",
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
    "AnalysisBlob",
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
    "title_opens_text",
    # live sources (#18)
    "SourceKind",
    "FetchOutcome",
    "EntryStatus",
    "Source",
    "Entry",
    "Page",
    "EntryCounts",
]
