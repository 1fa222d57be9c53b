"""Thresholds and file-kind rules for reading inputs."""

from __future__ import annotations

import re

#: Default per-file (and, for WARC/JSONL, per-record) size limit; the setting is ``max_file_mb``.
MAX_FILE_BYTES = 50 * 2**20

#: Name endings (lower case) mapped to the reader that handles them; longest ending wins. When a folder is
#: walked, files with none of these endings are skipped (a file named explicitly is sniffed instead).
SUFFIX_KINDS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".txt.gz": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".html.gz": "html",
    ".htm.gz": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}

#: How many leading bytes content sniffing looks at.
SNIFF_BYTES = 4096

GZIP_MAGIC = b"\x1f\x8b"
WARC_MAGIC = b"WARC/"

#: Signatures of binary formats that are never articles, with a name for the error message.
BINARY_MAGIC: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ\x00": "an xz archive",
}

#: A decoded text with more than this share of control characters is binary.
MAX_CONTROL_CHAR_RATIO = 0.02

HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
FEED_SNIFF = re.compile(rb"<rss[\s>]|<feed[\s>][^>]*|<rdf:RDF[\s>]|<feed\s+xmlns", re.IGNORECASE)

#: A feed entry becomes an article only when its full content has at least this many words; shorter
#: entries carry a teaser only and are reported as Failures ("fetch the page itself").
MIN_FEED_CONTENT_WORDS = 80

#: Optional JSONL fields copied onto the RawDocument (``text`` is required).
JSONL_FIELDS = ("title", "url", "published", "outlet", "author")

#: WARC response records whose HTTP Content-Type starts with one of these are read as HTML pages.
WARC_HTML_TYPES = ("text/html", "application/xhtml+xml")
