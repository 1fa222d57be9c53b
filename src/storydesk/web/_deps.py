"""Shared request parameters and access to the app's Desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from ..service import Desk, WatchState
from . import rules
from .errors import ApiError

__all__ = [
    "get_desk",
    "get_watch_state",
    "StoryFilters",
    "story_filters",
    "DeskDep",
    "FiltersDep",
    "WatchDep",
]


def get_desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def get_watch_state(request: Request) -> WatchState | None:
    """What the watch loop of this process has done (``serve --watch``); None when it runs none."""
    watch = request.app.state.watch
    return None if watch is None else watch.state()


@dataclass(frozen=True)
class StoryFilters:
    limit: int
    offset: int
    since: str | None
    until: str | None
    actor: str | None
    related: str | None = None  # a story id: only the stories of its subject

    def store_filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of ``Desk.stories`` / ``Desk.count_stories`` (unset ones left out)."""
        return {k: v for k, v in self.params().items() if v}

    def params(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "actor": self.actor, "related": self.related}

    @property
    def any(self) -> bool:
        """Whether any filter is set."""
        return any(self.params().values())


def story_filters(
    limit: Annotated[int, Query(ge=1, le=rules.MAX_LIMIT, description="Stories per page.")] = rules.PAGE_SIZE,
    offset: Annotated[int, Query(ge=0, le=rules.MAX_OFFSET, description="Stories to skip.")] = 0,
    since: Annotated[
        str | None,
        Query(
            pattern=rules.DATE_PATTERN,
            description="Only stories with news on or after this date (YYYY-MM-DD).",
            json_schema_extra={"format": "date"},  # a calendar date: 2019-02-30 is a 422
        ),
    ] = None,
    until: Annotated[
        str | None,
        Query(
            pattern=rules.DATE_PATTERN,
            description="Only stories that began on or before this date (YYYY-MM-DD).",
            json_schema_extra={"format": "date"},
        ),
    ] = None,
    actor: Annotated[
        str | None, Query(max_length=rules.MAX_ACTOR_CHARS, description="Only stories naming this actor.")
    ] = None,
    related: Annotated[
        str | None,
        Query(
            pattern=rules.ID_PATTERN,
            description="Only the stories of the same subject as the story of this id (its related stories).",
        ),
    ] = None,
) -> StoryFilters:
    for name, value in (("since", since), ("until", until)):
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ApiError(422, f"{name}: not a calendar date: {value!r} (use YYYY-MM-DD)") from None
    return StoryFilters(
        limit, offset, since or None, until or None, (actor or "").strip() or None, related or None
    )


DeskDep = Annotated[Desk, Depends(get_desk)]
FiltersDep = Annotated[StoryFilters, Depends(story_filters)]
WatchDep = Annotated[WatchState | None, Depends(get_watch_state)]
