"""Page: one stored article ``/articles/{id}``, sentence by sentence, the cited one highlighted."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from ..model import Article, Sentence
from . import rules
from ._deps import DeskDep
from ._pages import render_page

__all__ = ["router", "article_paragraphs"]

router = APIRouter(include_in_schema=False)

ArticleId = Annotated[str, Path(pattern=rules.ID_PATTERN, description="An article id.")]


def article_paragraphs(article: Article) -> list[list[Sentence]]:
    """The article's sentences grouped by paragraph; sentence indices match the summary's citations."""
    try:
        from ..analyse.sentences import split_sentences
    except ImportError:  # pragma: no cover - the analyse stage ships with storydesk
        split_sentences = None
    if split_sentences is not None:
        sentences = split_sentences(article)
    else:  # pragma: no cover
        paras = [p for p in article.text.split("\n\n") if p.strip()]
        sentences = [Sentence(article.id, i, p, 0, 0, i) for i, p in enumerate(paras)]
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
        paragraphs=article_paragraphs(article),
        cited=s,
        show_removed=removed,
        story_id=story_id,
        duplicates=desk.duplicates_of(article.id, story_id),
    )
    return HTMLResponse(html)
