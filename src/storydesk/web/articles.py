"""Page: one stored article ``/articles/{id}``, sentence by sentence, the cited one highlighted."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from ..model import Sentence
from . import rules
from ._deps import DeskDep
from ._pages import render_page

__all__ = ["router", "article_paragraphs"]

router = APIRouter(include_in_schema=False)

ArticleId = Annotated[str, Path(pattern=rules.ID_PATTERN, description="An article id.")]


def article_paragraphs(sentences: list[Sentence]) -> list[list[Sentence]]:
    """The sentences grouped by paragraph."""
    return [list(g) for _, g in groupby(sentences, key=lambda s: s.paragraph)]


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    article_id: ArticleId,
    desk: DeskDep,
    s: Annotated[int | None, Query(ge=0, description="Index of the cited sentence to highlight.")] = None,
    removed: Annotated[bool, Query(description="Show the removed boilerplate lines opened.")] = False,
) -> HTMLResponse:
    article = desk.article(article_id)
    story_id = desk.story_of(article.id)
    html = render_page(
        request,
        "article.html",
        a=article,
        paragraphs=article_paragraphs(desk.sentences(article)),
        cited=s,
        show_removed=removed,
        story_id=story_id,
        duplicates=desk.duplicates_of(article.id, story_id, limit=rules.MAX_DUPLICATES_SHOWN),
    )
    return HTMLResponse(html)
