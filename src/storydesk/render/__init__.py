"""Renderings of briefings shared by the CLI and the web app: text, Markdown, JSON, HTML.

:func:`render` gives a whole output in one of :data:`FORMATS`; :func:`briefing_to_dict` /
:func:`briefing_from_dict` are the JSON contract; :func:`story_context` and :func:`stylesheet` are the
story partial's context and CSS, which the web app's pages reuse; :func:`render_analysis` is
``storydesk analyse``'s output (what the analyse stage found in each article).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import ConfigError
from ..model import Briefing
from ._analysis import ANALYSIS_FORMATS, analysis_to_dict, render_analysis
from ._html import render_html, story_context, stylesheet
from ._json import briefing_from_dict, briefing_to_dict, render_json
from ._text import render_markdown, render_text

__all__ = [
    "FORMATS",
    "render",
    "render_text",
    "render_markdown",
    "render_json",
    "render_html",
    "briefing_to_dict",
    "briefing_from_dict",
    "story_context",
    "stylesheet",
    "ANALYSIS_FORMATS",
    "analysis_to_dict",
    "render_analysis",
]

FORMATS = ("text", "md", "json", "html")


def render(briefings: Iterable[Briefing], fmt: str) -> str:
    """Render briefings in one of :data:`FORMATS`."""
    items = list(briefings)
    if fmt == "text":
        return render_text(items)
    if fmt == "md":
        return render_markdown(items)
    if fmt == "json":
        return render_json(items) + "\n"
    if fmt == "html":
        return render_html(items)
    raise ConfigError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
