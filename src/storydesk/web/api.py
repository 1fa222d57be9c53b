"""The JSON API under ``/api``: stories, one story (the ``brief --format json`` story object), articles,
search, the followed live sources, and ``POST /api/articles`` (token required)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from ..model import RawDocument
from ..render import briefing_to_dict
from ..service import Desk, IngestReport, list_sources
from . import rules
from ._deps import DeskDep, FiltersDep, WatchDep
from ._schemas import (
    ArticleIn,
    ArticleOut,
    ErrorBody,
    IngestOut,
    SearchPage,
    SourcePage,
    StoryObject,
    StoryPage,
    article_out,
    ingest_out,
)
from ._security import require_token
from ._uploads import upload_suffix
from .errors import ApiError

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such id"},
    422: {"model": ErrorBody, "description": "Bad parameter"},
}


@router.get("/stories", response_model=StoryPage, responses=ERRORS, summary="List stories, newest first")
def list_stories(desk: DeskDep, filters: FiltersDep) -> StoryPage:
    rows = desk.stories(limit=filters.limit, offset=filters.offset, **filters.store_filters())
    return StoryPage(
        items=rows,
        total=desk.count_stories(**filters.store_filters()),
        limit=filters.limit,
        offset=filters.offset,
        ungrouped=desk.ungrouped(),
    )


@router.get(
    "/stories/{story_id}",
    response_model=StoryObject,
    responses=ERRORS,
    summary="One story: exactly the story object of `storydesk brief --format json`",
)
def get_story(desk: DeskDep, story_id: Annotated[str, Path(pattern=rules.ID_PATTERN)]) -> JSONResponse:
    return JSONResponse(briefing_to_dict(desk.briefing(story_id)))


@router.get(
    "/articles/{article_id}", response_model=ArticleOut, responses=ERRORS, summary="One stored article"
)
def get_article(desk: DeskDep, article_id: Annotated[str, Path(pattern=rules.ID_PATTERN)]) -> ArticleOut:
    article = desk.article(article_id)
    story_id = desk.story_of(article.id)
    duplicates = desk.duplicates_of(article.id, story_id, limit=rules.MAX_DUPLICATES_SHOWN)
    return article_out(article, story_id, duplicates)


@router.get("/search", response_model=SearchPage, responses=ERRORS, summary="Full-text search over articles")
def search(
    desk: DeskDep,
    q: Annotated[
        str, Query(min_length=1, max_length=rules.MAX_QUERY_CHARS, description='Words or "a phrase".')
    ],
    limit: Annotated[int, Query(ge=1, le=rules.MAX_LIMIT)] = rules.SEARCH_PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=rules.MAX_OFFSET, description="Hits to skip.")] = 0,
) -> SearchPage:
    hits = desk.search(q, limit=limit, offset=offset)
    return SearchPage(q=q, items=hits, total=desk.search_count(q), limit=limit, offset=offset)


@router.get(
    "/sources",
    response_model=SourcePage,
    summary="Followed live sources: last fetch, status, ETag/304 hits, entries, errors, next poll",
)
def get_sources(desk: DeskDep, watch: WatchDep) -> SourcePage:
    items = list_sources(desk)
    return SourcePage(items=items, total=len(items), watch=watch)


def _article_fields(body: bytes) -> dict[str, Any]:
    """The fields of a JSON article body; ApiError 422 naming what is wrong with any other body."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(422, f"body is not UTF-8: byte {body[exc.start]:#04x} at offset {exc.start}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApiError(422, f"body is not valid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:  # Python's parser recurses per level: 100,000 "[" would otherwise be a 500
        raise ApiError(422, "body is nested too deeply to be an article") from None
    try:
        return ArticleIn.model_validate(data).model_dump()
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise ApiError(422, detail) from None


def _report(desk: Desk, report: IngestReport) -> dict[str, Any]:
    story_ids = sorted({sid for i in report.article_ids if (sid := desk.story_of(i))})
    return ingest_out(report, story_ids).model_dump(mode="json")


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
        200: {"model": IngestOut, "description": "Every article sent was stored already: nothing changed"},
        400: {"model": ErrorBody, "description": "A multipart body that cannot be parsed"},
        401: {"model": ErrorBody, "description": "Missing or wrong bearer token"},
        403: {"model": ErrorBody, "description": "Write endpoints are off (no api_token set)"},
        413: {"model": ErrorBody, "description": "Body over max_upload_mb"},
        415: {"model": ErrorBody, "description": "Unsupported content or file type"},
        422: {"model": ErrorBody, "description": "Invalid article or nothing could be ingested"},
        503: {"model": ErrorBody, "description": "Another ingest held the store too long; retry later"},
    },
    summary="Ingest an article (JSON fields or a file upload) and update its story",
)
async def post_article(request: Request, desk: DeskDep) -> JSONResponse:
    from starlette.concurrency import run_in_threadpool

    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        fields = _article_fields(await request.body())
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
