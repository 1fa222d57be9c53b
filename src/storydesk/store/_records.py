"""Records the store hands out besides the shared ones in ``storydesk.model``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["StoryRow", "SearchHit"]


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story as listed: enough to show a line per story without loading its briefing.

    ``lead`` is the first summary sentence (or None before a briefing exists); ``updated_at`` is an
    ISO 8601 UTC timestamp of the last :meth:`Store.replace_story`.
    """

    id: str
    title: str
    first_published: str | None
    last_published: str | None
    article_count: int
    outlet_count: int
    lead: str | None
    updated_at: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article matching a search.

    ``snippet`` is **plain text** (not HTML, not escaped) from the article's text around the matches;
    ``matches`` are ``(start, end)`` character offsets of the matched words inside ``snippet``. A page
    escapes the text itself; :meth:`snippet_parts` splits it for a template such as
    ``{% for part, hit in h.snippet_parts() %}{% if hit %}<mark>{{ part }}</mark>{% else %}{{ part }}{% endif %}{% endfor %}``.
    ``story_id`` is the story holding the article (or holding the article it duplicates), else None.
    """

    article_id: str
    title: str
    outlet: str | None
    published: str | None
    story_id: str | None
    snippet: str
    matches: tuple[tuple[int, int], ...] = ()

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """The snippet as consecutive ``(text, is_match)`` pieces, in order, covering all of it."""
        parts: list[tuple[str, bool]] = []
        pos = 0
        for start, end in self.matches:
            if start > pos:
                parts.append((self.snippet[pos:start], False))
            parts.append((self.snippet[start:end], True))
            pos = end
        if pos < len(self.snippet):
            parts.append((self.snippet[pos:], False))
        return parts
