"""The JSON API's schemas, in one place, and the mapping of the service's records onto them.

Where a record already has the shape of the JSON, the record *is* the schema (FastAPI builds the JSON
schema from the dataclass): a listed story is a :class:`~storydesk.store.StoryRow`, a search hit a
:class:`~storydesk.store.SearchHit`, a failed input a :class:`~storydesk.model.Failure`, and the story
object is made of the model's records, a followed source is the service's
:class:`~storydesk.service.SourceListing` (a :class:`~storydesk.model.Source` and its
:class:`~storydesk.model.EntryCounts`) and the watch loop's state a :class:`~storydesk.service.WatchState`.
Pydantic models remain only for what no record describes: the page wrappers, the article as the API shows it (with its story and copies, without its local path), the ingest
report, the error body and the body of ``POST /api/articles``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..model import (
    Article,
    ArticleRef,
    Entity,
    Failure,
    Quote,
    RejectedSentence,
    SearchHit,
    StoryRow,
    SummarySentence,
    TimelineEvent,
)
from ..service import IngestReport, SourceListing, WatchState

__all__ = [
    "ErrorBody",
    "StoryPage",
    "StoryObject",
    "ArticleOut",
    "SearchPage",
    "ArticleIn",
    "IngestOut",
    "SourcePage",
    "article_out",
    "ingest_out",
]


class ErrorDetail(BaseModel):
    status: int
    title: str
    detail: str


class ErrorBody(BaseModel):
    """Every API error has this shape."""

    error: ErrorDetail


class StoryPage(BaseModel):
    items: list[StoryRow] = Field(
        description="Stories, newest first; ``lead`` is the first summary sentence."
    )
    total: int
    limit: int
    offset: int
    ungrouped: int = Field(
        0,
        description="Stored articles not grouped into a story yet: an ingest is running or was interrupted "
        "(the next ingest, or `storydesk repair`, groups them).",
    )


class ClaimOut(BaseModel):
    """A claim of the story object: the :class:`~storydesk.model.Claim` record's fields and ``support``,
    the wording every rendering shows for its sources."""

    text: str
    status: str = Field(
        description="'corroborated' (2 or more independent sources), 'single_source', 'disputed'."
    )
    articles: list[str]
    outlets: list[str]
    conflicts_with: list[int]
    confidence: float | None
    reason: str | None
    sources: int = Field(
        description="Independent sources: distinct outlets, wire copies once, an unknown outlet one each."
    )
    unnamed_sources: int = Field(description="Sources whose outlet is unknown.")
    support: str = Field(
        description='"stated by 3 independent sources: Herald, Post and 1 more (outlet unknown)".'
    )


class StoryObject(BaseModel):
    """The story object of ``storydesk brief --format json`` (``render.briefing_to_dict`` of a Briefing:
    its ``story_id`` is ``id``)."""

    id: str
    title: str
    first_published: str | None
    last_published: str | None
    related: list[str] = Field(
        default_factory=list, description="Ids of the stories of the same subject, most alike first."
    )
    outlet_count: int = Field(
        description="Distinct outlets of the listed articles and their copies; an unknown outlet counts one each."
    )
    articles: list[ArticleRef]
    summary_method: str = Field(description="'generated' (written by an LLM, verified) or 'extractive'.")
    summary_note: str | None = Field(
        description="One line on the LLM summary: why the extractive one is shown, or what was rejected."
    )
    summary: list[SummarySentence]
    rejected: list[RejectedSentence] = Field(
        description="Generated sentences that failed verification, with their reasons (not shown)."
    )
    entities: list[Entity]
    quotes: list[Quote]
    timeline: list[TimelineEvent]
    claims: list[ClaimOut]


class ArticleOut(BaseModel):
    id: str
    title: str
    text: str
    outlet: str | None
    outlet_inferred: bool = Field(
        default=False,
        description="True when storydesk read the outlet from the page (a dateline, a site-name line, the URL).",
    )
    published: str | None
    url: str | None
    author: str | None
    language: str | None
    removed: list[str] = Field(description="Lines the boilerplate filter dropped, in order.")
    story_id: str | None = Field(description="The story holding this article (or the article it duplicates).")
    duplicates: list[str] = Field(description="Ids of its near-duplicates.")


class SearchPage(BaseModel):
    q: str
    items: list[SearchHit] = Field(
        description="Best first; ``snippet`` is plain text around the matches, ``matches`` the (start, end) "
        "offsets of the matched words in it."
    )
    total: int
    limit: int
    offset: int


class SourcePage(BaseModel):
    items: list[SourceListing] = Field(
        description="Every followed source, in the order added: ``source`` is its state (last fetch, status, "
        "ETag / Last-Modified, 304 answers out of fetches, errors, next poll), ``counts`` its entries by state."
    )
    total: int
    watch: WatchState | None = Field(
        description="The watch loop of this server (``storydesk serve --watch``); null when it runs none."
    )


class ArticleIn(BaseModel):
    """An article to ingest as fields (or upload a file as multipart field ``file`` instead)."""

    text: str = Field(
        min_length=1, description="The article's text (plain text; paragraphs separated by a blank line)."
    )
    title: str | None = None
    url: str | None = None
    published: str | None = Field(default=None, description="Publication date, ISO 8601.")
    outlet: str | None = None


class IngestOut(BaseModel):
    article_ids: list[str]
    added: int
    existing: int
    duplicates: int
    stories_updated: int
    story_ids: list[str]
    failures: list[Failure]


def article_out(article: Article, story_id: str | None, duplicates: list[Article]) -> ArticleOut:
    """The article as ``GET /api/articles/{id}`` shows it."""
    return ArticleOut(
        id=article.id,
        title=article.title,
        text=article.text,
        outlet=article.outlet,
        outlet_inferred=article.outlet_inferred,
        published=article.published,
        url=article.url,
        author=article.author,
        language=article.language,
        removed=list(article.removed),
        story_id=story_id,
        duplicates=[d.id for d in duplicates],
    )


def ingest_out(report: IngestReport, story_ids: list[str]) -> IngestOut:
    """What ``POST /api/articles`` answers: the report of the ingest and the stories it touched."""
    return IngestOut(
        article_ids=report.article_ids,
        added=report.added,
        existing=report.existing,
        duplicates=report.duplicates,
        stories_updated=report.stories_updated,
        story_ids=story_ids,
        failures=list(report.failures),
    )
