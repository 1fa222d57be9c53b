"""The JSON API under ``/api``: stories, one story (the ``brief --format json`` story object), articles,
search, and ``POST /api/articles`` (token required)."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from ..model import Article, RawDocument
from ..service import IngestReport
from . import rules
from ._deps import DeskDep, FiltersDep
from ._security import require_token
from ._uploads import upload_suffix
from .errors import ApiError

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])


class ErrorDetail(BaseModel):
    status: int
    title: str
    detail: str


class ErrorBody(BaseModel):
    """Every API error has this shape."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such id"},
    422: {"model": ErrorBody, "description": "Bad parameter"},
}


class StoryItem(BaseModel):
    id: str
    title: str
    first_published: str | None
    last_published: str | None
    article_count: int
    outlet_count: int
    lead: str | None = Field(description="The first summary sentence.")
    updated_at: str | None = None


class StoryPage(BaseModel):
    items: list[StoryItem]
    total: int
    limit: int
    offset: int


class SummarySentenceOut(BaseModel):
    text: str
    citations: list[str]
    source: str | None = None
    source_index: int | None = None


class StoryObject(BaseModel):
    """The story object of ``storydesk brief --format json`` (see ``storydesk.render._json``)."""

    id: str
    title: str
    first_published: str | None
    last_published: str | None
    articles: list[dict[str, Any]]
    summary: list[SummarySentenceOut]
    entities: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    claims: list[dict[str, Any]]


class ArticleOut(BaseModel):
    id: str
    title: str
    text: str
    outlet: str | None
    published: str | None
    url: str | None
    author: str | None
    language: str | None
    removed: list[str] = Field(description="Lines the boilerplate filter dropped, in order.")
    story_id: str | None = Field(description="The story holding this article (or the article it duplicates).")
    duplicates: list[str] = Field(description="Ids of its near-duplicates.")


class SearchHitOut(BaseModel):
    article_id: str
    title: str
    outlet: str | None
    published: str | None
    story_id: str | None
    snippet: str = Field(description="Plain text around the matches.")
    matches: list[tuple[int, int]] = Field(description="(start, end) offsets of matched words in snippet.")


class SearchPage(BaseModel):
    q: str
    items: list[SearchHitOut]
    total: int
    limit: int
    offset: int


class ArticleIn(BaseModel):
    """An article to ingest as fields (or upload a file as multipart field ``file`` instead)."""

    text: str = Field(
        min_length=1, description="The article's text (plain text; paragraphs separated by a blank line)."
    )
    title: str | None = None
    url: str | None = None
    published: str | None = Field(default=None, description="Publication date, ISO 8601.")
    outlet: str | None = None


class FailureOut(BaseModel):
    origin: str
    reason: str


class IngestOut(BaseModel):
    article_ids: list[str]
    added: int
    existing: int
    duplicates: int
    stories_updated: int
    story_ids: list[str]
    failures: list[FailureOut]


def _row(row: Any) -> dict[str, Any]:
    return dataclasses.asdict(row) if dataclasses.is_dataclass(row) else dict(row)


@router.get("/stories", response_model=StoryPage, responses=ERRORS, summary="List stories, newest first")
def list_stories(desk: DeskDep, filters: FiltersDep) -> dict[str, Any]:
    rows = desk.stories(limit=filters.limit, offset=filters.offset, **filters.store_filters())
    return {
        "items": [_row(r) for r in rows],
        "total": desk.count_stories(**filters.store_filters()),
        "limit": filters.limit,
        "offset": filters.offset,
    }


@router.get(
    "/stories/{story_id}",
    response_model=StoryObject,
    responses=ERRORS,
    summary="One story: exactly the story object of `storydesk brief --format json`",
)
def get_story(desk: DeskDep, story_id: Annotated[str, Path(pattern=rules.ID_PATTERN)]) -> JSONResponse:
    return JSONResponse(desk.briefing(story_id))


def _article_out(desk: Any, article: Article) -> dict[str, Any]:
    story_id = desk.story_of(article.id)
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "outlet": article.outlet,
        "published": article.published,
        "url": article.url,
        "author": article.author,
        "language": article.language,
        "removed": list(article.removed),
        "story_id": story_id,
        "duplicates": [d.id for d in desk.duplicates_of(article.id, story_id)],
    }


@router.get(
    "/articles/{article_id}", response_model=ArticleOut, responses=ERRORS, summary="One stored article"
)
def get_article(desk: DeskDep, article_id: Annotated[str, Path(pattern=rules.ID_PATTERN)]) -> dict[str, Any]:
    return _article_out(desk, desk.article(article_id))


@router.get("/search", response_model=SearchPage, responses=ERRORS, summary="Full-text search over articles")
def search(
    desk: DeskDep,
    q: Annotated[
        str, Query(min_length=1, max_length=rules.MAX_QUERY_CHARS, description='Words or "a phrase".')
    ],
    limit: Annotated[int, Query(ge=1, le=rules.MAX_LIMIT)] = rules.SEARCH_PAGE_SIZE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    hits = desk.search(q, limit=limit, offset=offset)
    total = desk.search_count(q)
    return {"q": q, "items": [_row(h) for h in hits], "total": total, "limit": limit, "offset": offset}


def _report(desk: Any, report: IngestReport) -> dict[str, Any]:
    story_ids = sorted({sid for i in report.article_ids if (sid := desk.story_of(i))})
    return {
        "article_ids": report.article_ids,
        "added": report.added,
        "existing": report.existing,
        "duplicates": report.duplicates,
        "stories_updated": report.stories_updated,
        "story_ids": story_ids,
        "failures": [{"origin": f.origin, "reason": f.reason} for f in report.failures],
    }


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ArticleIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


@router.post(
    "/articles",
    response_model=IngestOut,
    status_code=201,
    dependencies=[Depends(require_token)],
    openapi_extra=_UPLOAD_BODY,
    responses={
        401: {"model": ErrorBody, "description": "Missing or wrong bearer token"},
        403: {"model": ErrorBody, "description": "Write endpoints are off (no api_token set)"},
        413: {"model": ErrorBody, "description": "Body over max_upload_mb"},
        415: {"model": ErrorBody, "description": "Unsupported content or file type"},
        422: {"model": ErrorBody, "description": "Invalid article or nothing could be ingested"},
    },
    summary="Ingest an article (JSON fields or a file upload) and update its story",
)
async def post_article(request: Request, desk: DeskDep) -> JSONResponse:
    from starlette.concurrency import run_in_threadpool

    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        try:
            fields = ArticleIn.model_validate(json.loads(await request.body())).model_dump()
        except json.JSONDecodeError as exc:
            raise ApiError(422, f"body is not valid JSON: {exc.msg} at column {exc.colno}") from None
        except ValidationError as exc:
            detail = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
            raise ApiError(422, detail) from None
        raw = RawDocument(
            origin="request body",
            kind="text",
            content=fields["text"],
            title=fields.get("title"),
            url=fields.get("url"),
            published=fields.get("published"),
            outlet=fields.get("outlet"),
        )
        report = await run_in_threadpool(desk.ingest_document, raw)
    elif ctype == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(422, "multipart upload needs a file in the field 'file'")
        data = await upload.read()
        upload_suffix(upload.filename or "")
        report = await run_in_threadpool(desk.ingest_upload, upload.filename or "", data)
    else:
        raise ApiError(
            415, "send application/json ({\"text\": ...}) or multipart/form-data with a field 'file'"
        )
    if not report.article_ids:
        reasons = "; ".join(f"{f.origin}: {f.reason}" for f in report.failures) or "no article found"
        raise ApiError(422, f"nothing could be ingested: {reasons}")
    body = await run_in_threadpool(_report, desk, report)
    return JSONResponse(body, status_code=201 if report.added else 200)
