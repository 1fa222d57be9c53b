"""Page: the followed live sources ``/sources`` (what ``storydesk sources list`` shows), and the watch
loop of this process when it runs one (``storydesk serve --watch``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..service import list_sources
from ._deps import DeskDep, WatchDep
from ._pages import render_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, desk: DeskDep, watch: WatchDep) -> HTMLResponse:
    listings = list_sources(desk)
    failing = sum(1 for item in listings if item.source.last_status == "error")
    html = render_page(request, "sources.html", listings=listings, failing=failing, watch=watch)
    return HTMLResponse(html)
