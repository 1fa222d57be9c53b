"""Rules of polite fetching and of reading feeds, sitemaps and OPML files.

Defaults that a user may change are settings (``poll_interval``, ``fetch_timeout``, ``fetch_max_mb``,
``fetch_concurrency``, ``max_entry_age_days``, ``contact_url``); what follows are the fixed rules.
"""

from __future__ import annotations

import re

#: A polled source with errors waits ``interval × 2 ** (errors - 1)`` at least, doubled per consecutive
#: error (the first error already waits one interval), and never more than this (seconds).
BACKOFF_MAX_S = 24 * 3600

#: ``Retry-After`` on a 429 or 503 is honoured, clamped between these (seconds): a server asking for
#: more than a day gets a day; one asking for zero still gets a minute, so a watch loop never spins.
RETRY_AFTER_MIN_S = 60
RETRY_AFTER_MAX_S = 24 * 3600

#: HTTP statuses after which a server asks to be left alone for a while.
RETRY_AFTER_STATUSES = frozenset({429, 503})

#: Page fetches that failed with these statuses are tried again on a later pass (at most
#: ``PAGE_ATTEMPTS`` times); other 4xx answers are final.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})

#: Most tries of one article page before its entry is given up.
PAGE_ATTEMPTS = 3

#: Redirects followed per request; one more is an error ("too many redirects").
MAX_REDIRECTS = 5

#: Longest a whole request may take, body included, as a multiple of the ``fetch_timeout`` setting
#: (which bounds each network operation): a server that trickles bytes is cut off too.
TOTAL_TIMEOUT_FACTOR = 3.0

#: Largest robots.txt read (bytes); Google reads 500 KiB.
ROBOTS_MAX_BYTES = 500 * 1024

#: How long a host's robots.txt is trusted before it is fetched again (seconds).
ROBOTS_TTL_S = 24 * 3600

#: The product token a robots.txt names to address storydesk.
ROBOTS_AGENT = "storydesk"

#: An entry whose own content has fewer words than this is a teaser: its page is fetched for the full
#: text. (The same number as ``ingest.rules.MIN_FEED_CONTENT_WORDS``, for feed files.)
FULL_TEXT_MIN_WORDS = 80

#: Seconds a date may lie in the future before it counts as wrong (clocks differ a little); a later
#: date is clamped to the fetch time and flagged.
FUTURE_TOLERANCE_S = 300

#: Most new article pages fetched for one source in one pass; the others stay pending for the next.
MAX_PAGES_PER_POLL = 200

#: Most sub-sitemaps of a sitemap index read in one poll (newest ``lastmod`` first).
MAX_SITEMAP_CHILDREN = 20

#: Query parameters that only track a reader and never change the page: removed from URLs before they
#: are compared or fetched. ``utm_*`` (any suffix) is matched by ``TRACKING_PREFIXES``.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga"}
)
TRACKING_PREFIXES = ("utm_",)

#: ``Accept`` headers per kind of request.
ACCEPT_FEED = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
ACCEPT_SITEMAP = "application/xml, text/xml;q=0.9, */*;q=0.5"
ACCEPT_PAGE = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

#: Content types an article page may have.
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")

#: Bytes of a body looked at to tell HTML, XML and JSON apart.
SNIFF_BYTES = 2048

HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
XML_DTD_SNIFF = re.compile(rb"<!ENTITY", re.IGNORECASE)
FEED_LINK = re.compile(rb"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.IGNORECASE)
HREF = re.compile(rb"\bhref=[\"']([^\"']+)[\"']", re.IGNORECASE)
META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)

#: JSON Feed documents declare one of these versions.
JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"

#: Errors of feedparser's that still leave a usable feed (an encoding it had to guess, a wrong
#: Content-Type, an HTML entity such as ``&nbsp;`` that XML does not define).
BENIGN_FEED_PROBLEMS = ("CharacterEncodingOverride", "NonXMLContentType")
BENIGN_XML_MESSAGES = ("undefined entity",)

#: A source whose interval is not set is polled at the ``poll_interval`` setting; these are the units
#: a duration may be written in ("90s", "15m", "1h", "1d", or a number of seconds).
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
