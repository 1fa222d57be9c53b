"""Tunables of the store: timeouts, batch sizes, search settings."""

from __future__ import annotations

#: How long a SQLite connection waits for another writer before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 15_000

#: How often an ingest waiting for another's writer lock tries again (seconds).
LOCK_POLL_S = 0.2

#: Largest number of bound parameters put in one ``IN (...)`` list (SQLite's default limit is 32766).
IN_CHUNK = 500

#: Largest LIMIT or OFFSET sent to the database: both backends hold 64-bit integers, and a larger number
#: (``offset=99999999999999999999``) raised OverflowError in the driver; any offset this large is past the
#: last row anyway.
MAX_ROWS = 2**62

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

#: A vector is written in its sparse encoding (8 bytes per non-zero entry: a uint32 position and a float32
#: value) when that takes less than this share of its dense encoding (4 bytes per entry): an article's
#: hashed TF-IDF vector (~5 % of 4,096 entries filled) shrinks from 16 kB to about 1.6 kB. (Not the
#: clusterer's sparse-vector threshold in ``group/rules.py``, which is a share of non-zero entries.)
SPARSE_ENCODING_SIZE_RATIO = 0.5
