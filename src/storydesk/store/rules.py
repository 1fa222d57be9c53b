"""Tunables of the store: timeouts, batch sizes, search settings."""

from __future__ import annotations

#: How long a SQLite connection waits for another writer before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 15_000

#: Largest number of bound parameters put in one ``IN (...)`` list (SQLite's default limit is 32766).
IN_CHUNK = 500

#: Rows fetched per round trip when streaming articles.
STREAM_BATCH = 500

#: Words of context around matches in a search snippet (SQLite FTS5 ``snippet()`` token count).
SNIPPET_TOKENS = 24

#: Postgres ``ts_headline`` options (besides the selection markers).
PG_HEADLINE_OPTIONS = "MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter= … "

#: Text-search configuration used on Postgres.
PG_TS_CONFIG = "english"

#: SQLite FTS5 tokenizer: Porter stemming over Unicode words, accents folded.
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"

#: Weight of a match in the title relative to one in the text (FTS5 bm25 column weights).
TITLE_WEIGHT = 5.0

#: Most terms kept from one search query; the rest are ignored.
MAX_QUERY_TERMS = 32

#: Characters the database puts around matched words inside a snippet, removed before it is returned.
MARK_START = "\x02"
MARK_END = "\x03"
