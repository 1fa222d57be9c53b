"""Thresholds and file-kind rules for reading inputs."""

from __future__ import annotations

import re

#: Default per-file (and, for WARC/JSONL, per-record) size limit; the setting is ``max_file_mb``.
MAX_FILE_BYTES = 50 * 2**20
#: Most bytes read from one input in all, after decompression (setting ``max_input_mb``): a small gzip
#: file can hold gigabytes, so this bounds the time one input can take, not only its memory.
MAX_INPUT_BYTES = 4096 * 2**20
#: Most lines of one JSON Lines input, blank ones included (setting ``max_lines``).
MAX_LINES = 1_000_000
#: Most records of one WARC archive or entries of one feed (setting ``max_records``).
MAX_RECORDS = 1_000_000
#: Seconds an explicitly named pipe (``<(command)``) may stay silent before it is given up.
PIPE_IDLE_SECONDS = 30.0

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
#: A file with no known name ending is read as plain text when its first bytes hold at least this many
#: words, this share of them with a letter (prose, not markup or a table of numbers).
SNIFF_MIN_WORDS = 20
SNIFF_MIN_WORD_SHARE = 0.8

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

#: Bytes that fail strict UTF-8 under a single-byte charset label are still read as UTF-8 when they hold at
#: least MIN_UTF8_SEQUENCES well-formed multi-byte sequences and at most MAX_STRAY_BYTE_SHARE stray high
#: bytes per sequence (a page saved in UTF-8 with a wrong label and one pasted Windows-1252 character).
MIN_UTF8_SEQUENCES = 3
MAX_STRAY_BYTE_SHARE = 0.1

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
