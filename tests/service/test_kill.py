"""Killing `storydesk ingest` mid-run loses at most the articles in flight; the next run picks up."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from _ingest_process import ingest_command, stored_articles

TOTAL = 400


def test_kill_mid_ingest_then_resume(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(TOTAL):
            words = " ".join(f"w{(i * 31 + k * 7) % 997}" for k in range(120))
            fh.write(
                json.dumps(
                    {
                        "title": f"Article {i}",
                        "outlet": f"Outlet {i % 9}",
                        "text": f"Report number {i} says this. {words}.",
                    }
                )
                + "\n"
            )
    db = tmp_path / "kill.db"
    cmd = ingest_command(db, src)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while stored_articles(db) < 40 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed: raise TOTAL"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = stored_articles(db)
    assert 40 <= stored < TOTAL
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    rows = con.execute("select title, text from articles").fetchall()
    con.close()
    for title, text in rows:  # every stored article is whole
        n = int(title.split()[1])
        assert text.startswith(f"Report number {n} says this.") and text.endswith(".")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from articles").fetchone()[0] == TOTAL
    assert con.execute("select count(distinct title) from articles").fetchone()[0] == TOTAL
    # every article is now placed in a story or folded as a duplicate
    placed = con.execute(
        "select count(*) from articles where id in (select article_id from story_articles)"
        " or id in (select article_id from duplicates)"
    ).fetchone()[0]
    assert placed == TOTAL
