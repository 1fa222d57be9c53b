"""``storydesk analyse``'s output: what the analyse stage found in each article, JSON or text (#15).

::

    {"articles": [{"id", "input": {"path", "line"}, "title", "outlet", "outlet_inferred", "published",
                   "text", "sentences": [[start, end], ...],
                   "entities": [{"text", "span", "type", "canonical"}],
                   "quotes":   [{"text", "span", "speaker", "speaker_span", "cue", "direct"}],
                   "dates":    [{"text", "span", "type", "value", "anchor"}]}]}

Every ``span`` is ``[start, end]``, character offsets into ``text`` (``text[start:end]`` is the string
reported); ``line`` is the JSONL line (1-based, null for other inputs); ``anchor`` says what a relative
date was resolved against (``published:YYYY-MM-DD``, ``sentence:…``, ``previous:…``; null when absolute).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from typing import Any

from ..errors import ConfigError
from ..model import ArticleReadout

__all__ = ["ANALYSIS_FORMATS", "analysis_to_dict", "render_analysis"]

ANALYSIS_FORMATS = ("json", "text")


def analysis_to_dict(r: ArticleReadout) -> dict[str, Any]:
    """One article of the JSON output."""
    a = r.article
    return {
        "id": a.id,
        "input": {"path": r.path, "line": r.line},
        "title": a.title,
        "outlet": a.outlet,
        "outlet_inferred": a.outlet_inferred,
        "published": a.published,
        "text": a.text,
        "sentences": [[s.start, s.end] for s in r.sentences],
        "entities": [
            {"text": e.text, "span": [e.start, e.end], "type": e.type, "canonical": e.canonical}
            for e in r.entities
        ],
        "quotes": [
            {
                "text": q.text,
                "span": [q.start, q.end],
                "speaker": q.speaker,
                "speaker_span": None if q.speaker_start is None else [q.speaker_start, q.speaker_end],
                "cue": q.cue,
                "direct": q.direct,
            }
            for q in r.quotes
        ],
        "dates": [
            {"text": d.text, "span": [d.start, d.end], "type": d.type, "value": d.value, "anchor": d.anchor}
            for d in r.dates
        ],
    }


def _text(r: ArticleReadout, width: int) -> str:
    a = r.article
    where = f"{r.path}:{r.line}" if r.line else (r.path or "")
    outlet = (a.outlet or "unknown outlet") + (" (inferred)" if a.outlet_inferred else "")
    lines = [
        f"━━ {a.title}",
        f"   {a.id} · {outlet} · {(a.published or 'undated')[:10]} · {where}".rstrip(" ·"),
        f"   {len(r.sentences)} sentences, {len(a.text)} characters",
    ]
    if r.entities:
        lines += ["", "Entities"]
        for e in r.entities:
            canon = f" → {e.canonical}" if e.canonical and e.canonical != e.text else ""
            lines.append(f"  {e.start:>6}-{e.end:<6} {e.type:<7} {e.text}{canon}")
    if r.quotes:
        lines += ["", "Quotes"]
        for q in r.quotes:
            who = q.speaker or "unattributed"
            if q.speaker_start is not None:
                who += f" @{q.speaker_start}-{q.speaker_end}"
            cue = f" ({q.cue})" if q.cue else ""
            body = " ".join(q.text.split())
            lines += textwrap.wrap(
                f"{q.start:>6}-{q.end:<6} {who}{cue}: “{body}”",
                width=width,
                initial_indent="  ",
                subsequent_indent=" " * 16,
                break_on_hyphens=False,
            )
    if r.dates:
        lines += ["", "Dates"]
        for d in r.dates:
            anchor = f" ← {d.anchor}" if d.anchor else ""
            lines.append(f"  {d.start:>6}-{d.end:<6} {d.type:<8} {d.text!r} = {d.value or '?'}{anchor}")
    return "\n".join(lines)


def render_analysis(items: Iterable[ArticleReadout], fmt: str, width: int = 100) -> str:
    """The whole output in ``fmt`` (one of :data:`ANALYSIS_FORMATS`)."""
    items = list(items)
    if fmt == "json":
        return (
            json.dumps({"articles": [analysis_to_dict(i) for i in items]}, ensure_ascii=False, indent=2)
            + "\n"
        )
    if fmt == "text":
        return "\n\n".join(_text(i, width) for i in items) + ("\n" if items else "")
    raise ConfigError(f"unknown format {fmt!r} (choose from {', '.join(ANALYSIS_FORMATS)})")
