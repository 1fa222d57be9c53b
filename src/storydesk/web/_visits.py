"""The visitor's last visit, kept in two cookies, so the stories list can mark what was updated since.

No account and nothing stored on our side: the list sets ``storydesk_active`` (the time of this view) and
``storydesk_last_visit`` (the baseline: when the previous visit ended). A view more than
``rules.VISIT_GAP_S`` after the last one starts a new visit, whose baseline becomes the last activity of
the one before; views within a visit keep the baseline, so paging through the list or filtering it keeps
the marks. A first visit (no cookie, or one that does not parse) marks nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import Response

from . import rules

__all__ = ["Visit", "read_visit", "remember_visit"]


@dataclass(frozen=True, slots=True)
class Visit:
    """``since``: stories updated after this time are new to the visitor (None on a first visit);
    ``now``: the time of this view."""

    since: datetime | None
    now: datetime

    def is_new(self, updated_at: str | None) -> bool:
        updated = _parse(updated_at)
        return self.since is not None and updated is not None and updated > self.since


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def read_visit(cookies: Mapping[str, str], now: datetime | None = None) -> Visit:
    """The visit this view belongs to, from the request's cookies."""
    now = now or datetime.now(UTC)
    active = _parse(cookies.get(rules.LAST_ACTIVE_COOKIE))
    if active is None:
        return Visit(since=None, now=now)
    if now - active > timedelta(seconds=rules.VISIT_GAP_S):
        return Visit(since=active, now=now)  # a new visit: new to the visitor is what came after the last
    return Visit(since=_parse(cookies.get(rules.LAST_VISIT_COOKIE)), now=now)


def remember_visit(response: Response, visit: Visit) -> None:
    """Set the cookies for the next view: this view's time, and the visit's baseline (if any)."""
    values = {rules.LAST_ACTIVE_COOKIE: visit.now}
    if visit.since is not None:
        values[rules.LAST_VISIT_COOKIE] = visit.since
    for name, when in values.items():
        response.set_cookie(
            name, _stamp(when), max_age=rules.VISIT_COOKIE_MAX_AGE_S, path="/", httponly=True, samesite="lax"
        )
