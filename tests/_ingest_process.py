"""Running ``storydesk ingest`` as a process to stop it midway: the command, and how many articles the
SQLite store holds meanwhile (the tests that kill an ingest, tests/service and tests/reliability)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

#: Settings that make an ingest fast and need no model: TF-IDF vectors, no facts.
FAST_INGEST = ("embedder=tfidf", "facts=false")


def ingest_command(db: Path, source: Path, *settings: str) -> list[str]:
    """``python -m storydesk.cli --set … ingest --quiet --db DB SOURCE`` with :data:`FAST_INGEST` and
    ``settings`` (``KEY=VALUE``)."""
    sets = [arg for setting in (*FAST_INGEST, *settings) for arg in ("--set", setting)]
    return [sys.executable, "-m", "storydesk.cli", *sets, "ingest", "--quiet", "--db", str(db), str(source)]


def stored_articles(db: Path) -> int:
    """Articles in the SQLite store ``db``, read-only while another process writes; 0 while it does not
    exist or cannot be read yet."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0
