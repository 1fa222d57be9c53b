"""A real crash: SIGKILL a process in the middle of an ingest, then check nothing is lost or damaged."""

from __future__ import annotations

import os
import runpy
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from storydesk.store import Store

TOTAL = 3000

WRITER = """
import sys
import numpy as np
from storydesk.model import Article

def make(i):
    return Article(
        id=f"k{i:06d}",
        title=f"Harbour report {i}",
        text=("Paragraph one of report %d about the harbour.\\n\\n" % i) + ("Filler sentence %d. " % i) * (i % 40 + 1),
        outlet=f"Outlet {i % 7}",
        published=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00",
        url=f"https://harbour.example/{i}",
        path=f"/in/{i}.html",
        author=None if i % 5 else f"Writer {i}",
        language="en",
        removed=tuple(f"boiler {j}" for j in range(i % 3)),
    )

def vector(i):
    return np.arange(8, dtype=np.float32) * (i + 1)

if __name__ == "__main__":
    from storydesk.store import Store
    url, total = sys.argv[1], int(sys.argv[2])
    new = 0
    with Store.open(url) as store:
        for i in range(total):
            new += store.add_article(make(i), vector=vector(i), model="test")
    print(new)
"""


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=10)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet
    finally:
        conn.close()


def test_sigkill_mid_ingest_loses_nothing_committed(tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    helpers = runpy.run_path(str(script), run_name="helpers")
    db = tmp_path / "kill.db"
    url = f"sqlite:///{db}"
    env = {**os.environ, "PYTHONHASHSEED": "0"}

    proc = subprocess.Popen([sys.executable, str(script), url, str(TOTAL)], env=env, stdout=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _count(db) < 300:
        assert proc.poll() is None, "the writer ended before it could be killed"
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    finally:
        conn.close()

    with Store.open(url) as store:
        stored = store.article_count()
        assert 300 <= stored < TOTAL, "the kill must land mid-ingest"
        print(f"killed after {stored} of {TOTAL} articles were committed")
        ids = [a.id for a in store.iter_articles()]
        assert len(ids) == len(set(ids)) == stored
        # Articles are written in order: what survived is exactly a prefix, each one complete.
        assert sorted(ids) == [f"k{i:06d}" for i in range(stored)]
        vectors = store.get_vectors(ids, "test")
        assert len(vectors) == stored
        for i in range(stored):
            assert store.get_article(f"k{i:06d}") == helpers["make"](i)
            assert (vectors[f"k{i:06d}"] == helpers["vector"](i)).all()

    rerun = subprocess.run(
        [sys.executable, str(script), url, str(TOTAL)], env=env, capture_output=True, text=True, timeout=120
    )
    assert rerun.returncode == 0, rerun.stderr
    assert int(rerun.stdout.strip()) == TOTAL - stored
    with Store.open(url) as store:
        assert store.article_count() == TOTAL
        ids = [a.id for a in store.iter_articles()]
        assert len(set(ids)) == TOTAL
        assert store.search_count("harbour") == TOTAL


def test_two_writers_at_once_share_the_file(tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    with Store.open(url):
        pass  # migrate once, so both writers start on a ready schema
    total = 600
    procs = [
        subprocess.Popen([sys.executable, str(script), url, str(total)], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [proc.communicate(timeout=120)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0]
    assert sum(int(out.strip()) for out in outs) == total  # each article was new to exactly one writer
    with Store.open(url) as store:
        assert store.article_count() == total
