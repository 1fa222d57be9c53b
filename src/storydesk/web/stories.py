"""Pages: the story list ``/`` and one story ``/stories/{id}``.

The list marks the stories updated since the visitor's last visit (two cookies, see :mod:`._visits`).
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from ..render import story_context
from . import rules
from ._deps import DeskDep, FiltersDep
from ._pages import render_page
from ._visits import read_visit, remember_visit

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

StoryId = Annotated[str, Path(pattern=rules.ID_PATTERN, description="A story id.")]


@router.get("/", response_class=HTMLResponse)
def story_list(request: Request, desk: DeskDep, filters: FiltersDep) -> HTMLResponse:
    rows = desk.stories(limit=filters.limit, offset=filters.offset, **filters.store_filters())
    total = desk.count_stories(**filters.store_filters())
    page = filters.offset // filters.limit + 1
    pages = max(1, math.ceil(total / filters.limit))
    params = {**filters.params(), "limit": filters.limit if filters.limit != rules.PAGE_SIZE else None}
    visit = read_visit(request.cookies)
    html = render_page(
        request,
        "stories.html",
        rows=rows,
        total=total,
        ungrouped=desk.ungrouped(),
        page=page,
        pages=pages,
        filters=filters,
        params=params,
        related_to=desk.story(filters.related) if filters.related else None,
        prev_offset=max(0, filters.offset - filters.limit) if filters.offset > 0 else None,
        next_offset=filters.offset + filters.limit if filters.offset + filters.limit < total else None,
        updated={r.id for r in rows if visit.is_new(r.updated_at)},
        last_visit=visit.since.isoformat(timespec="seconds") if visit.since else None,
    )
    response = HTMLResponse(html)
    remember_visit(response, visit)
    return response


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: StoryId, desk: DeskDep) -> HTMLResponse:
    briefing = desk.briefing(story_id)
    related = desk.stories(related=story_id, limit=rules.RELATED_SHOWN) if briefing.related else []
    s = story_context(briefing)
    return HTMLResponse(render_page(request, "story.html", s=s, related=related))
