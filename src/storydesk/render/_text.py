"""Plain-text and Markdown renderings of briefings, compact enough to read in under a minute.

Citations are written as ``[n]`` numbers into the story's numbered source list.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Sequence

from ..model import MIN_CORROBORATING_SOURCES, Briefing, count_outlets

__all__ = ["render_text", "render_markdown", "escape_markdown", "CLAIM_HEADINGS"]

MAX_CLAIMS_SHOWN = 6

#: Characters that make Markdown out of text (emphasis, code, links, tables, strike-through).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def escape_markdown(text: str) -> str:
    """Article text as Markdown that shows it literally: ``<script>`` and ``&`` become entities (as the
    HTML renderings escape them, so no renderer passes markup through), emphasis, code, link and table
    characters get a backslash, and line breaks become spaces (a field cannot start a block of its own)."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _plain(text: str) -> str:
    return text


#: The claim sections' headings, shared with the HTML story partial.
CLAIM_HEADINGS = {
    "corroborated": f"Corroborated ({MIN_CORROBORATING_SOURCES} or more independent sources)",
    "single_source": "Single source",
    "disputed": "Disputed",
}


def _refs(b: Briefing, ids: Sequence[str]) -> str:
    index = {a.id: i + 1 for i, a in enumerate(b.articles)}
    for i, a in enumerate(b.articles):
        for d in a.duplicates:
            index.setdefault(d, i + 1)
    nums = sorted({index[i] for i in ids if i in index})
    return "[" + ",".join(str(n) for n in nums) + "]" if nums else ""


def _date_range(b: Briefing) -> str:
    first, last = (b.first_published or "")[:10], (b.last_published or "")[:10]
    if first and last and first != last:
        return f"{first} – {last}"
    return first or last or "undated"


def _header(b: Briefing) -> str:
    n = len(b.articles) + sum(len(a.duplicates) for a in b.articles)
    outlets = count_outlets(b.articles)
    return (
        f"{n} article{'s' if n != 1 else ''}, {outlets} outlet{'s' if outlets != 1 else ''}, {_date_range(b)}"
    )


def _sections(b: Briefing, md: bool, titles: dict[str, str] | None = None) -> list[tuple[str, list[str]]]:
    """Each section's title and lines; every piece of article text goes through ``e`` (Markdown escaping
    with ``md``), nothing else does. ``titles``: story titles by id, for the stories of the same subject."""
    e: Callable[[str], str] = escape_markdown if md else _plain
    q = "“{}”"
    out: list[tuple[str, list[str]]] = []
    mark = {"generated": "✎ "}
    out.append(("Summary", [f"{mark.get(s.kind, '')}{e(s.text)} {_refs(b, s.citations)}" for s in b.summary]))
    if b.summary_method == "generated" or b.summary_note:
        what = "extractive"
        if b.summary_method == "generated":
            what = "written by an LLM (✎), each sentence verified against its sources"
        out.append(("Summary method", [f"{what}{'; ' + e(b.summary_note) if b.summary_note else ''}"]))
    if b.entities:
        lines = []
        for ent in b.entities[:10]:
            roles = f"; {e(', '.join(ent.roles[:2]))}" if ent.roles else ""
            lines.append(f"{e(ent.name)} ({e(ent.type.lower())}{roles}) {_refs(b, ent.articles)}")
        out.append(("Actors", lines))
    if b.quotes:
        lines = []
        for qu in b.quotes[:8]:
            who = qu.speaker or "unattributed"
            if qu.role:
                who += f", {qu.role}"
            lines.append(f"{e(who)}: {q.format(e(qu.text))} {_refs(b, qu.articles)}")
        out.append(("Who said what", lines))
    if b.timeline:
        lines = []
        for t in b.timeline[:12]:
            flags = f" ⚠ {e('; '.join(t.flags))}" if t.flags else ""
            lines.append(f"{e(t.date)}: {e(t.text)} {_refs(b, t.articles)}{flags}")
        out.append(("Timeline", lines))
    for status, title in (
        ("corroborated", CLAIM_HEADINGS["corroborated"]),
        ("single_source", CLAIM_HEADINGS["single_source"]),
    ):
        claims = [c for c in b.claims if c.status == status][:MAX_CLAIMS_SHOWN]
        if claims:
            lines = [f"{e(c.text)} {_refs(b, c.articles)} ({e(c.support.label)})" for c in claims]
            out.append((title, lines))
    disputed = [(i, c) for i, c in enumerate(b.claims) if c.status == "disputed"]
    if disputed:
        lines, seen = [], set()
        for i, c in disputed:
            if i in seen:
                continue
            seen.add(i)
            line = f"{e(c.text)} {_refs(b, c.articles)} ({e(c.support.label)})"
            for j in c.conflicts_with:
                if j < len(b.claims):
                    seen.add(j)
                    other = b.claims[j]
                    line += f"  ≠  {e(other.text)} {_refs(b, other.articles)} ({e(other.support.label)})"
            if c.reason:
                line += f"  — {e(c.reason)}"
            lines.append(line)
        out.append((CLAIM_HEADINGS["disputed"], lines))
    sources = []
    for i, a in enumerate(b.articles, 1):
        where = e(a.url or a.path or "")
        outlet, title, day = e(a.outlet or "unknown outlet"), e(a.title), e((a.published or "undated")[:10])
        line = f"[{i}] {outlet} — {title} ({day}) {where}".rstrip()
        if a.duplicates:
            also = e(", ".join(o for o in a.duplicate_outlets if o)) or f"{len(a.duplicates)} copies"
            line += f"\n    also carried by: {also}"
        sources.append(line)
    out.append(("Sources", sources))
    if b.related:
        titles = titles or {}
        out.append(
            (
                "Same subject",
                [f"{e(titles[r])} · story {r}" if r in titles else f"story {r}" for r in b.related],
            )
        )
    return out


def render_text(briefings: Iterable[Briefing], width: int = 100) -> str:
    chunks = []
    briefings = list(briefings)
    titles = {b.story_id: b.title for b in briefings}
    for b in briefings:
        lines = [f"━━ {b.title}", f"   {_header(b)}  · story {b.story_id}"]
        for title, items in _sections(b, md=False, titles=titles):
            lines.append("")
            lines.append(title)
            for item in items:
                first, *rest = item.split("\n")
                # break_on_hyphens=False: "17,000-square-foot" stays one word, so a claim copied from the
                # terminal (or searched for) reads as the sources wrote it
                lines.extend(
                    textwrap.wrap(
                        first,
                        width=width,
                        initial_indent="  • ",
                        subsequent_indent="    ",
                        break_on_hyphens=False,
                    )
                    or ["  •"]
                )
                lines.extend("  " + r for r in rest)
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"


def render_markdown(briefings: Iterable[Briefing]) -> str:
    chunks = []
    briefings = list(briefings)
    titles = {b.story_id: b.title for b in briefings}
    for b in briefings:
        lines = [f"## {escape_markdown(b.title)}", "", f"*{_header(b)} · story `{b.story_id}`*"]
        for title, items in _sections(b, md=True, titles=titles):
            lines += ["", f"### {title}", ""]
            if title == "Summary":
                lines += [f"{n}. {item}" for n, item in enumerate(items, 1)]
            else:
                lines += ["- " + item.replace("\n", "  \n  ") for item in items]
        chunks.append("\n".join(lines))
    return "# storydesk briefing\n\n" + "\n\n".join(chunks) + "\n"
