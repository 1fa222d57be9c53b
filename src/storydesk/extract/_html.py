"""HTML pages: trafilatura's main text and metadata (the cascade: ``bare_extraction`` with the precision
options in :data:`rules.TRAFILATURA_OPTIONS`; if it finds nothing, trafilatura's ``baseline``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import rules

__all__ = ["HtmlExtraction", "extract_html"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None
    stage: str = "main"


def extract_html(html: str, url: str | None = None) -> HtmlExtraction | None:
    """Main text (one paragraph per line) and metadata of a page, or None when there is no text."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, **rules.TRAFILATURA_OPTIONS)  # type: ignore[arg-type]
    except Exception as exc:  # trafilatura can trip on odd markup; fall back rather than fail
        log.debug("trafilatura failed on %s: %s", url, exc)
        doc = None
    if doc is not None and (doc.text or "").strip():
        return HtmlExtraction(
            text=doc.text,
            title=doc.title or None,
            date=doc.date or None,
            author=doc.author or None,
            sitename=doc.sitename or None,
            url=doc.url or None,
            language=getattr(doc, "language", None) or None,
        )
    try:
        _, text, _ = trafilatura.baseline(html)
    except Exception:  # noqa: BLE001 - the baseline is the last resort
        text = ""
    if text and text.strip():
        meta = doc
        return HtmlExtraction(
            text=text,
            title=getattr(meta, "title", None) or None,
            date=getattr(meta, "date", None) or None,
            author=getattr(meta, "author", None) or None,
            sitename=getattr(meta, "sitename", None) or None,
            url=getattr(meta, "url", None) or None,
            stage="baseline",
        )
    return None
