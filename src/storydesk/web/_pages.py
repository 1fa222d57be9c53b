"""Templates for the pages: one autoescaping Jinja2 environment over web/templates and render/templates."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request

__all__ = ["page_env", "render_page", "article_href", "is_web_url", "page_link", "when"]


def article_href(article_id: str, sentence: int | None = None) -> str:
    """Where a citation points: the stored article, its cited sentence highlighted and scrolled to."""
    if sentence is None:
        return f"/articles/{article_id}"
    return f"/articles/{article_id}?s={int(sentence)}#s{int(sentence)}"


def is_web_url(url: str | None) -> bool:
    """Only http(s) URLs become links (never ``javascript:``, ``data:``, ``file:``)."""
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def page_link(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with the query ``params`` updated by ``changes``; empty values are left out."""
    merged = {**params, **changes}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def when(value: str | None, never: str = "never", *, zone: bool = True) -> str:
    """An ISO 8601 UTC time as a page shows it: ``2024-03-10 08:00 UTC`` (``never`` when unset; without
    `` UTC`` when ``zone`` is false, for a column whose header says it)."""
    if not value:
        return never
    return value.replace("T", " ")[:16] + (" UTC" if zone else "")


@cache
def page_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("storydesk.web", "templates"),
                jinja2.PackageLoader("storydesk.render", "templates"),
            ]
        ),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(article_href=article_href, is_web_url=is_web_url, page_link=page_link, when=when)
    return env


def render_page(request: Request, template: str, **context: Any) -> str:
    return page_env().get_template(template).render(request_path=request.url.path, **context)
