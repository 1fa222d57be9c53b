"""The application: :func:`create_app` wires the Desk, the routes, the middleware and the error pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles

from ..config import Settings
from ..render import stylesheet
from ..service import Desk, Watcher, WatchThread
from . import api, articles, rules, search, sources, stories
from ._pages import render_page
from ._security import BodyLimit, SecurityHeaders
from .errors import install_error_handlers

__all__ = ["create_app", "request_lock_timeout"]

STATIC_CACHE = "public, max-age=3600"


def _static_dir() -> str:
    return str(resources.files("storydesk.web").joinpath("static"))


def request_lock_timeout(settings: Settings) -> float:
    """How long a served write waits for another ingest: as long as an HTTP client would, then 503 (a Desk
    made for a server, by :func:`create_app` or ``storydesk serve``, is built with it)."""
    return min(settings.lock_timeout, rules.REQUEST_LOCK_WAIT_S)


def create_app(settings: Settings, *, desk: Desk | None = None, watcher: Watcher | None = None) -> FastAPI:
    """The web page and JSON API over the store named by ``settings`` (or over ``desk`` when given).

    A Desk created here is closed when the app shuts down; one passed in belongs to the caller. With a
    ``watcher`` (``storydesk serve --watch``), its watch loop runs on a background thread from the app's
    start to its shutdown (the watcher, like a desk passed in, belongs to the caller).
    """
    owned = desk is None
    the_desk = desk if desk is not None else Desk(settings, lock_timeout=request_lock_timeout(settings))
    watch = WatchThread(watcher) if watcher is not None else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if watch is not None:
            watch.start()
        try:
            yield
        finally:
            if watch is not None:
                from starlette.concurrency import run_in_threadpool

                await run_in_threadpool(watch.stop)
            if owned:
                the_desk.close()

    app = FastAPI(
        title="storydesk",
        summary="Cited briefings of news stories: the JSON API.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.desk = the_desk
    app.state.watch = watch

    install_error_handlers(app)
    app.include_router(stories.router)
    app.include_router(articles.router)
    app.include_router(search.router)
    app.include_router(sources.router)
    app.include_router(api.router)

    css = (
        stylesheet() + "\n" + resources.files("storydesk.web").joinpath("static/web.css").read_text("utf-8")
    ).encode()

    @app.get("/static/style.css", include_in_schema=False)
    def style() -> PlainTextResponse:
        return PlainTextResponse(css, media_type="text/css", headers={"Cache-Control": STATIC_CACHE})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return HTMLResponse(render_page(request, "docs.html", endpoints=_endpoints(app.openapi())))

    app.mount("/static", StaticFiles(directory=_static_dir()), name="static")
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_mb * 2**20)
    app.add_middleware(SecurityHeaders)
    return app


def _endpoints(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The OpenAPI operations as rows for the docs page: method, path, summary, parameters, statuses."""
    rows = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "statuses": sorted(op.get("responses", {})),
                }
            )
    return rows
