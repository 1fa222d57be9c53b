"""Errors as responses: one JSON shape for the API, an HTML page for the rest; never a stack trace.

Every API error body is ``{"error": {"status": int, "title": str, "detail": str}}`` (a test checks it).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import IngestError, NotFoundError, StoreBusyError, StorydeskError
from .rules import BUSY_RETRY_AFTER_S

__all__ = ["ApiError", "install_error_handlers", "error_body", "error_response"]

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the web layer raises on purpose, with its status and a detail a user can act on."""

    def __init__(self, status: int, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def error_body(status: int, detail: str) -> dict[str, Any]:
    return {"error": {"status": status, "title": HTTPStatus(status).phrase, "detail": detail}}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(
    request: Request, status: int, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """The error as JSON under ``/api/``, else as the HTML error page."""
    if _wants_json(request):
        return JSONResponse(error_body(status, detail), status_code=status, headers=headers)
    from ._pages import render_page

    html = render_page(
        request,
        "error.html",
        status=status,
        title=HTTPStatus(status).phrase,
        detail=detail,
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.detail, exc.headers)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> Response:
        return error_response(request, 404, str(exc))

    @app.exception_handler(IngestError)
    async def _ingest(request: Request, exc: IngestError) -> Response:
        return error_response(request, 422, exc.reason)

    @app.exception_handler(StoreBusyError)
    async def _busy(request: Request, exc: StoreBusyError) -> Response:
        return error_response(
            request,
            503,
            f"the store is busy: {exc.holder} is writing; try again later",
            {"Retry-After": str(BUSY_RETRY_AFTER_S)},
        )

    @app.exception_handler(StorydeskError)
    async def _storydesk(request: Request, exc: StorydeskError) -> Response:
        log.warning("request %s failed: %s", request.url.path, exc)
        return error_response(request, 500, f"storydesk could not answer: {exc}")

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _describe_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"nothing at {request.url.path}"
        return error_response(request, exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error on %s", request.url.path, exc_info=exc)
        return error_response(request, 500, "unexpected error; the server log has the details")
