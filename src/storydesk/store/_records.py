"""The records the store hands out, declared with the others in ``storydesk.model`` (they cross the seam to
the service and the web)."""

from __future__ import annotations

from ..model import SearchHit, StoryRow

__all__ = ["StoryRow", "SearchHit"]
