"""HTML renderings: one self-contained page (``--format html``) and the story partial the web app reuses."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from ..model import Briefing
from ._json import briefing_to_dict
from ._text import CLAIM_HEADINGS

__all__ = ["render_html", "template_env", "story_context", "stylesheet"]


@cache
def template_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("storydesk.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet() -> str:
    """The CSS of the story partial (``--format html`` inlines it; the web app serves it)."""
    return resources.files("storydesk.render").joinpath("templates/_style.css").read_text(encoding="utf-8")


def story_context(briefing: Briefing) -> dict[str, Any]:
    """The story object of the JSON contract, with the derived fields the story template
    (``_story.html``) needs: citation numbers, counts, date range. The web app renders its story page
    from it."""
    d = briefing_to_dict(briefing)
    s = dict(d)
    num: dict[str, int] = {}
    title: dict[str, str] = {}
    n = 0
    for i, a in enumerate(d["articles"], 1):
        num[a["id"]] = i
        title[a["id"]] = f"{a.get('outlet') or 'unknown outlet'}: {a['title']}"
        n += 1 + len(a.get("duplicates", ()))
        for dup in a.get("duplicates", ()):
            num.setdefault(dup, i)
            title.setdefault(dup, title[a["id"]])
    first, last = (d.get("first_published") or "")[:10], (d.get("last_published") or "")[:10]
    # Which sentence of each article the summary took from it: citation links highlight it.
    sent = {x["source"]: x.get("source_index", 0) for x in d.get("summary", ()) if x.get("source")}

    def cites(ids: Iterable[str]) -> list[tuple[int, str]]:
        """Sorted citation numbers, one link per source (a folded copy cites its kept article)."""
        numbers = {num[aid] for aid in ids if aid in num}
        return [(n, d["articles"][n - 1]["id"]) for n in sorted(numbers)]

    s.update(
        _cites=cites,
        _num=num,
        _title=title,
        _sent=sent,
        _n_articles=n,
        _n_outlets=d["outlet_count"],
        _headings=CLAIM_HEADINGS,
        _range=f"{first} – {last}" if first and last and first != last else (first or last or "undated"),
    )
    return s


def _local_href(article_id: str, sentence: int | None = None) -> str:
    return f"#src-{article_id}"


def render_html(
    briefings: Iterable[Briefing], article_href: Callable[[str, int | None], str] = _local_href
) -> str:
    stories = [story_context(b) for b in briefings]
    titles = {s["id"]: s["title"] for s in stories}
    tpl = template_env().get_template("briefings.html")
    return tpl.render(stories=stories, titles=titles, css=stylesheet(), article_href=article_href)
