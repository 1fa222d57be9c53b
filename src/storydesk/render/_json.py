"""The JSON contract of a briefing (``storydesk brief --format json``, ``GET /api/stories/{id}``).

::

    {"stories": [{"id", "title", "first_published", "last_published", "outlet_count", "related": [story id, ...],
                  "articles": [{"id", "title", "outlet", "outlet_inferred", "published", "url", "path",
                                "duplicates": [...]}],
                  "summary_method": "extractive" | "generated", "summary_note": str | null,
                  "summary":  [{"text", "citations": [article id, ...], "source", "source_index",
                                "kind": "extractive" | "generated",
                                "support": [{"article_id", "index", "text", "score", "matched": [...]}]}],
                  "rejected": [{"text", "citations": [article id, ...], "reasons": [str, ...]}],
                  "entities": [{"name", "type", "articles", "outlets", "roles", "aliases"}],
                  "quotes":   [{"speaker", "role", "text", "articles"}],
                  "timeline": [{"date", "granularity", "text", "articles", "flags"}],
                  "claims":   [{"text", "status", "articles", "outlets", "conflicts_with", "confidence",
                                "reason", "sources", "unnamed_sources", "support"}]}]}

``briefing_from_dict`` reads it back, so the store can cache briefings as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..model import (
    ArticleRef,
    Briefing,
    CitationSupport,
    Claim,
    Entity,
    Quote,
    RejectedSentence,
    SummarySentence,
    TimelineEvent,
    count_outlets,
)

__all__ = ["briefing_to_dict", "briefing_from_dict", "render_json"]


def briefing_to_dict(b: Briefing) -> dict[str, Any]:
    return {
        "id": b.story_id,
        "title": b.title,
        "first_published": b.first_published,
        "last_published": b.last_published,
        "related": list(b.related),
        "outlet_count": count_outlets(b.articles),
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "outlet": a.outlet,
                "outlet_inferred": a.outlet_inferred,
                "published": a.published,
                "url": a.url,
                "path": a.path,
                "duplicates": list(a.duplicates),
                "duplicate_outlets": list(a.duplicate_outlets),
            }
            for a in b.articles
        ],
        "summary_method": b.summary_method,
        "summary_note": b.summary_note,
        "summary": [
            {
                "text": s.text,
                "citations": list(s.citations),
                "source": s.source,
                "source_index": s.source_index,
                "kind": s.kind,
                "support": [
                    {
                        "article_id": c.article_id,
                        "index": c.index,
                        "text": c.text,
                        "score": c.score,
                        "matched": list(c.matched),
                    }
                    for c in s.support
                ],
            }
            for s in b.summary
        ],
        "rejected": [
            {"text": r.text, "citations": list(r.citations), "reasons": list(r.reasons)} for r in b.rejected
        ],
        "entities": [
            {
                "name": e.name,
                "type": e.type,
                "articles": list(e.articles),
                "outlets": list(e.outlets),
                "roles": list(e.roles),
                "aliases": list(e.aliases),
            }
            for e in b.entities
        ],
        "quotes": [
            {"speaker": q.speaker, "role": q.role, "text": q.text, "articles": list(q.articles)}
            for q in b.quotes
        ],
        "timeline": [
            {
                "date": t.date,
                "granularity": t.granularity,
                "text": t.text,
                "articles": list(t.articles),
                "flags": list(t.flags),
            }
            for t in b.timeline
        ],
        "claims": [
            {
                "text": c.text,
                "status": c.status,
                "articles": list(c.articles),
                "outlets": list(c.outlets),
                "conflicts_with": list(c.conflicts_with),
                "confidence": c.confidence,
                "reason": c.reason,
                "sources": c.support.sources,
                "unnamed_sources": c.support.unnamed,
                "support": c.support.label,
            }
            for c in b.claims
        ],
    }


def briefing_from_dict(d: dict[str, Any]) -> Briefing:
    return Briefing(
        story_id=d["id"],
        title=d["title"],
        first_published=d.get("first_published"),
        last_published=d.get("last_published"),
        related=tuple(d.get("related", ())),
        articles=tuple(
            ArticleRef(
                id=a["id"],
                title=a["title"],
                outlet=a.get("outlet"),
                published=a.get("published"),
                url=a.get("url"),
                path=a.get("path"),
                duplicates=tuple(a.get("duplicates", ())),
                duplicate_outlets=tuple(a.get("duplicate_outlets", ())),
                outlet_inferred=bool(a.get("outlet_inferred", False)),
            )
            for a in d["articles"]
        ),
        summary=tuple(
            SummarySentence(
                text=s["text"],
                citations=tuple(s["citations"]),
                source=s.get("source") or (s["citations"][0] if s["citations"] else ""),
                source_index=int(s.get("source_index", 0)),
                kind=s.get("kind", "extractive"),
                support=tuple(
                    CitationSupport(
                        c["article_id"],
                        int(c["index"]),
                        c["text"],
                        float(c["score"]),
                        tuple(c.get("matched", ())),
                    )
                    for c in s.get("support", ())
                ),
            )
            for s in d["summary"]
        ),
        summary_method=d.get("summary_method", "extractive"),
        summary_note=d.get("summary_note"),
        rejected=tuple(
            RejectedSentence(r["text"], tuple(r.get("citations", ())), tuple(r.get("reasons", ())))
            for r in d.get("rejected", ())
        ),
        entities=tuple(
            Entity(
                name=e["name"],
                type=e["type"],
                articles=tuple(e["articles"]),
                outlets=tuple(e.get("outlets", ())),
                roles=tuple(e.get("roles", ())),
                aliases=tuple(e.get("aliases", ())),
            )
            for e in d.get("entities", ())
        ),
        quotes=tuple(
            Quote(speaker=q.get("speaker"), role=q.get("role"), text=q["text"], articles=tuple(q["articles"]))
            for q in d.get("quotes", ())
        ),
        timeline=tuple(
            TimelineEvent(
                date=t["date"],
                granularity=t["granularity"],
                text=t["text"],
                articles=tuple(t["articles"]),
                flags=tuple(t.get("flags", ())),
            )
            for t in d.get("timeline", ())
        ),
        claims=tuple(
            Claim(
                text=c["text"],
                status=c["status"],
                articles=tuple(c["articles"]),
                outlets=tuple(c.get("outlets", ())),
                conflicts_with=tuple(c.get("conflicts_with", ())),
                confidence=c.get("confidence"),
                reason=c.get("reason"),
                sources=int(c.get("sources") or 0),
                unnamed_sources=int(c.get("unnamed_sources") or 0),
            )
            for c in d.get("claims", ())
        ),
    )


def render_json(briefings: Iterable[Briefing]) -> str:
    return json.dumps({"stories": [briefing_to_dict(b) for b in briefings]}, ensure_ascii=False, indent=2)
