"""Page: full-text search over articles ``/search?q=``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from . import rules
from ._deps import DeskDep
from ._pages import render_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    desk: DeskDep,
    q: Annotated[str, Query(max_length=rules.MAX_QUERY_CHARS)] = "",
    offset: Annotated[int, Query(ge=0, le=rules.MAX_OFFSET)] = 0,
) -> HTMLResponse:
    q = q.strip()
    limit = rules.SEARCH_PAGE_SIZE
    hits = desk.search(q, limit=limit, offset=offset) if q else []
    total = desk.search_count(q) if q else 0
    html = render_page(
        request,
        "search.html",
        q=q,
        hits=hits,
        total=total,
        offset=offset,
        prev_offset=max(0, offset - limit) if offset > 0 else None,
        next_offset=offset + limit if offset + limit < total else None,
    )
    return HTMLResponse(html)
