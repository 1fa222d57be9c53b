"""Limits and policies of the web layer."""

from __future__ import annotations

#: Stories per page on ``/`` and the default ``limit`` of ``/api/stories``.
PAGE_SIZE = 20

#: Largest ``limit`` a request may ask for.
MAX_LIMIT = 100

#: Search hits per page on ``/search``.
SEARCH_PAGE_SIZE = 20

#: Largest ``offset`` a request may ask for (a larger one is a 422, never a number the database cannot hold).
MAX_OFFSET = 1_000_000_000

#: Longest a write request waits for another ingest to let go of the store (seconds; the setting
#: ``lock_timeout`` when shorter); then 503 with Retry-After.
REQUEST_LOCK_WAIT_S = 30.0

#: Seconds a client is told to wait (Retry-After) when the store was busy.
BUSY_RETRY_AFTER_S = 30

#: Shortest ``api_token`` accepted when ``serve`` listens on a host other than loopback.
MIN_NETWORK_TOKEN_CHARS = 16

#: Longest accepted search query, in characters.
MAX_QUERY_CHARS = 500

#: Related stories (same subject) listed on a story page; the rest are one link away (``/?related=id``).
RELATED_SHOWN = 10

#: Longest accepted actor filter, in characters.
MAX_ACTOR_CHARS = 200

#: Ids are lowercase hex content hashes; anything else cannot exist.
ID_PATTERN = r"^[0-9a-f]{1,64}$"

#: ``since`` / ``until`` filters: an ISO date.
DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2})?$"

#: Extensions an uploaded file may keep (the temporary file's suffix); others are refused with 415.
UPLOAD_SUFFIXES = (
    ".txt",
    ".text",
    ".html",
    ".htm",
    ".xhtml",
    ".jsonl",
    ".ndjson",
    ".warc",
    ".warc.gz",
    ".xml",
    ".rss",
    ".atom",
)

#: Content-Security-Policy sent with every response: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

#: Other headers sent with every response.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

#: Most near-duplicates of an article listed on its page and in ``GET /api/articles/{id}``.
MAX_DUPLICATES_SHOWN = 20

#: The stories list marks stories updated since the visitor's last visit, told by two cookies it sets
#: (no account): when the visitor was last active on the list, and the start of the current visit's
#: baseline (the end of the previous visit). Activity more than ``VISIT_GAP_S`` after the last starts a
#: new visit, whose baseline is the previous visit's last activity.
LAST_ACTIVE_COOKIE = "storydesk_active"
LAST_VISIT_COOKIE = "storydesk_last_visit"
VISIT_GAP_S = 30 * 60
VISIT_COOKIE_MAX_AGE_S = 365 * 24 * 3600
