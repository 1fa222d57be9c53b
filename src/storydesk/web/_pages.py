"""Templates for the pages: one autoescaping Jinja2 environment over web/templates and render/templates."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request

__all__ = ["page_env", "render_page", "article_href", "is_web_url", "page_link"]


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
    env.globals.update(article_href=article_href, is_web_url=is_web_url, page_link=page_link)
    return env


def render_page(request: Request, template: str, **context: Any) -> str:
    return page_env().get_template(template).render(request_path=request.url.path, **context)
