"""An article's date from the three an entry keeps apart: the feed's, the page's own, the fetch time."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from ..model import Article, Entry
from . import rules
from ._records import SourceDocument
from ._schedule import from_iso, iso

__all__ = ["settle_dates"]


def settle_dates(
    article: Article, document: SourceDocument, *, max_entry_age_days: int, now: datetime
) -> tuple[Article | None, Entry]:
    """The article dated, and its entry with the page's own date; None for the article when it is too old.

    ``article`` was extracted from ``document.raw`` (whose ``published`` is None), so its ``published``
    is the date the page itself states, if any. The article is dated by the feed's date, else the page's,
    else the fetch time. A page date in the future is clamped to the fetch time and flagged
    ``future_page_date``; an entry without a feed date whose page is older than ``max_entry_age_days`` is
    stored as ``old`` and its article dropped, as a dated feed entry would have been.
    """
    entry = document.entry
    page = from_iso(article.published) if article.published else None
    fetched = from_iso(entry.fetched_at) or now
    flags = entry.flags
    page_published = article.published
    if page is not None and page > fetched + timedelta(seconds=rules.FUTURE_TOLERANCE_S):
        page_published = iso(fetched)
        flags = (*flags, "future_page_date")
    entry = dataclasses.replace(entry, page_published=page_published, flags=flags)
    if entry.feed_published is None and page is not None and page < now - timedelta(days=max_entry_age_days):
        return None, dataclasses.replace(entry, status="old")
    published = entry.feed_published or page_published or iso(fetched)
    dated = dataclasses.replace(article, published=published)
    return dated, dataclasses.replace(entry, status="ingested", article_id=dated.id)
