"""ASGI middleware for response headers and the request body limit, and the bearer-token check."""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import Request

from . import rules
from .errors import ApiError, error_body

__all__ = ["SecurityHeaders", "BodyLimit", "require_token"]

Scope = dict[str, Any]


class SecurityHeaders:
    """Adds the CSP and the other :data:`rules.SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.headers = [(b"content-security-policy", rules.CONTENT_SECURITY_POLICY.encode())] + [
            (k.lower().encode(), v.encode()) for k, v in rules.SECURITY_HEADERS.items()
        ]

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.headers if h[0] not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413, whether announced by Content-Length or streamed."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, send: Any) -> None:
        detail = f"request body over the limit of {self.max_bytes // 2**20} MB (setting max_upload_mb)"
        body = json.dumps(error_body(413, detail)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    announced = self.max_bytes + 1
                if announced > self.max_bytes:
                    await self._reject(send)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reject(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def require_token(request: Request) -> None:
    """Allow a write only with ``Authorization: Bearer <settings.api_token>``; writes are off without a token."""
    token: str = request.app.state.settings.api_token
    if not token:
        raise ApiError(
            403,
            "write endpoints are off: set the api_token setting (STORYDESK_API_TOKEN) and send "
            "'Authorization: Bearer <token>'",
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(
            401,
            "missing or wrong token: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
