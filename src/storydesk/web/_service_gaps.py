"""What the web layer needs from the service that ``Desk`` does not offer yet.

Everything here reaches ``desk.store`` or ingest internals directly; it is the one place that does, so each
function can move into ``service.py`` as a ``Desk`` method unchanged:

* ``story_of(desk, article_id)``      -> ``Desk.story_of(article_id) -> str | None``
* ``duplicates_of(desk, article_id)`` -> ``Desk.duplicates_of(article_id) -> list[Article]``
* ``search_count(desk, q)``         -> ``Desk.search_count(q) -> int``
* ``ingest_upload(desk, filename, data)`` -> ``Desk.ingest_upload(filename, data: bytes) -> IngestReport``
* ``ingest_fields(desk, fields)``     -> ``Desk.ingest_text(text, *, title, url, published, outlet)``
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from typing import Any

from ..errors import NotFoundError
from ..model import Article, Failure
from ..service import Desk, IngestReport
from . import rules
from .errors import ApiError

__all__ = ["story_of", "duplicates_of", "search_count", "ingest_upload", "ingest_fields", "upload_suffix"]

_WRITE_LOCK = threading.Lock()


def story_of(desk: Desk, article_id: str) -> str | None:
    """The id of the story holding this article (as a member or as a folded near-duplicate)."""
    rows = desk.store.stories_for_article(article_id)
    return str(rows[0].id) if rows else None


def duplicates_of(desk: Desk, article_id: str, story_id: str | None = None) -> list[Article]:
    """The other articles of this article's near-duplicate group (the kept one first), from its story."""
    story_id = story_id or story_of(desk, article_id)
    if story_id is None:
        return []
    try:
        refs = desk.briefing(story_id)["articles"]
    except NotFoundError:
        return []
    for ref in refs:
        group = [ref["id"], *ref.get("duplicates", ())]
        if article_id in group:
            ids = [i for i in group if i != article_id][: rules.MAX_DUPLICATES_SHOWN]
            return list(desk.store.iter_articles(ids=ids))
    return []


def search_count(desk: Desk, q: str) -> int:
    """How many articles a search finds in all (for the pager)."""
    return int(desk.store.search_count(q))


def upload_suffix(filename: str) -> str:
    """The allowed extension of an uploaded file's name (the only part of it that reaches the disk)."""
    name = filename.lower()
    for suffix in sorted(rules.UPLOAD_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    raise ApiError(
        415,
        f"cannot ingest a file named like {os.path.basename(filename)[:80]!r}: "
        f"use one of {', '.join(rules.UPLOAD_SUFFIXES)}",
    )


def _ingest_bytes(desk: Desk, suffix: str, data: bytes, origin: str) -> IngestReport:
    with _WRITE_LOCK, tempfile.TemporaryDirectory(prefix="storydesk-upload-") as folder:
        fd, tmp = tempfile.mkstemp(suffix=suffix, dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        report = desk.ingest([tmp])
    # Never show the temporary path; name the upload instead.
    report.failures = [
        Failure(f.origin.replace(tmp, origin), f.reason.replace(tmp, origin)) for f in report.failures
    ]
    return report


def ingest_upload(desk: Desk, filename: str, data: bytes) -> IngestReport:
    """Ingest one uploaded file (HTML, text, JSONL, feed or WARC) through the ordinary ingest path."""
    suffix = upload_suffix(filename)
    return _ingest_bytes(desk, suffix, data, origin=os.path.basename(filename)[:120] or "upload")


def ingest_fields(desk: Desk, fields: dict[str, Any]) -> IngestReport:
    """Ingest one article given as fields (text, title, url, published, outlet), as a one-line JSONL file."""
    line = json.dumps({k: v for k, v in fields.items() if v is not None}, ensure_ascii=False) + "\n"
    return _ingest_bytes(desk, ".jsonl", line.encode("utf-8"), origin="request body")
