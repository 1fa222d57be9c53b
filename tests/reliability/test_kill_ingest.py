"""`kill -9`, SIGTERM and SIGINT at random moments of `storydesk ingest` (issue #16, items 4 and 5).

For each seed, one store goes through a chain of runs of the same command, each stopped by the next
signal at a moment drawn from the seed (once a drawn number of the articles still to store is stored, plus
a drawn delay of up to 4 s), then a last run that completes. After each stop: no process of the killed run's session is left running
five seconds later (extraction and briefing workers, multiprocessing's resource tracker; /proc is read
directly), and the store is whole. After the last run: every article is stored once and in exactly one
story. The input (600 invented articles in 30 stories) is long enough that both worker pools run: the
extraction pool after 256 documents, the briefing pool after the first 500 articles are placed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from _store_state import assert_each_article_in_one_story, execute_sql, read_rows

from _ingest_process import ingest_command, stored_articles
from _paths import REPO
from storydesk.config import Settings
from storydesk.service import Desk

ARTICLES = 600
STORIES = 30
SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)
SEEDS = (11, 23)
GRACE_S = 5.0


def _write_input(path: Path) -> Path:
    """Invented articles: ``STORIES`` topics with their own words and names, short enough to run fast."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(ARTICLES):
            topic = i % STORIES
            words = [f"t{topic}w{k}" for k in range(40)]
            names = [f"Name{topic}x{k}" for k in range(4)]
            text = " ".join(
                f"{rng.choice(names)} said on day {i} that {' '.join(rng.choice(words) for _ in range(14))}."
                for _ in range(8)
            )
            row = {
                "title": f"Report {i} on {names[0]} {topic}",
                "outlet": f"Outlet {i % 7}",
                "published": f"2024-03-{1 + i * 28 // ARTICLES:02d}",
                "text": text,
            }
            fh.write(json.dumps(row) + "\n")
    return path


def session_processes(sid: int) -> list[tuple[int, str, str]]:
    """(pid, state, command line) of every process of session ``sid`` that has not exited (zombies, which
    have exited and only wait to be reaped, are left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            found.append((int(entry.name), state, cmdline.strip()))
    return found


def _whole(db: Path) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        titles = [t for (t,) in con.execute("SELECT title FROM articles")]
        assert len(titles) == len(set(titles)), "an article stored twice"
        for (text,) in con.execute("SELECT text FROM articles"):  # each stored article is whole
            assert text.count(" said on day ") == 8 and text.endswith(".")
    finally:
        con.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("seed", SEEDS)
def test_signals_at_random_moments_leave_no_process_and_a_whole_store(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    source = _write_input(tmp_path / "many.jsonl")
    db = tmp_path / "kill.db"
    cmd = ingest_command(db, source, "workers=1")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    kills = []
    for sig in SIGNALS:
        # somewhere in what is left to store,
        after_articles = rng.randrange(stored_articles(db), ARTICLES + 1)
        delay = rng.uniform(0.0, 4.0)  # then up to 4 s on (placing and briefing come after storing)
        proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.monotonic() + 240
        while proc.poll() is None and stored_articles(db) < after_articles and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(delay)
        children = [p for p in session_processes(proc.pid) if p[0] != proc.pid]
        if proc.poll() is not None:  # it finished first: nothing to kill
            kills.append((sig.name, "finished first", 0, 0.0))
            continue
        os.kill(proc.pid, sig)
        start = time.monotonic()
        _, err = proc.communicate(timeout=60)
        stopped = time.monotonic() - start
        while session_processes(proc.pid) and time.monotonic() - start < GRACE_S:
            time.sleep(0.1)
        left = session_processes(proc.pid)
        assert not left, f"after {sig.name}: still running {GRACE_S} s later: {left}"
        if sig != signal.SIGKILL and proc.returncode != -sig:
            # handled: one line, exit status 128 + signal (a signal that lands while Python is still
            # starting, before the command runs, ends it the default way: -signal, nothing started yet)
            assert proc.returncode == 128 + sig, err.decode()
            assert "Traceback" not in err.decode(), err.decode()
            assert f"stopped by {sig.name}" in err.decode()
        elif sig != signal.SIGKILL:
            # ended the default way: while Python was still starting (no child yet), or after the command
            # had finished and given the signals back, while the process exits (its resource tracker may
            # still run then; CI met this once): every article is stored by then.
            assert not children or stored_articles(db) == ARTICLES, (
                "a signal that ends the process the default way came while the command ran"
            )
        _whole(db)
        kills.append((sig.name, f"after {stored_articles(db)} stored", len(children), stopped))

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    _whole(db)
    assert stored_articles(db) == ARTICLES
    placed = assert_each_article_in_one_story(f"sqlite:///{db}")
    assert len(set(placed.values())) == STORIES
    print(
        f"\n[kill] seed {seed}: "
        + "; ".join(
            f"{name} {when}, {children} children then, parent gone in {stopped:.2f} s, orphans 0"
            for name, when, children, stopped in kills
        )
        + f"; the re-run stored and grouped all {ARTICLES} articles once, {STORIES} stories"
    )


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_sigint_stops_an_ingest_started_with_sigint_ignored(tmp_path: Path) -> None:
    """`storydesk ingest ... &` in a script starts it with SIGINT ignored (no job control); `kill -INT` of
    the process alone used to be ignored and the run went on to the end (issue #16, item 4)."""
    source = _write_input(tmp_path / "many.jsonl")
    db = tmp_path / "int.db"
    proc = subprocess.Popen(
        ingest_command(db, source, "workers=1"),
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # what the shell's `&` does
    )
    deadline = time.monotonic() + 240
    while stored_articles(db) < 300:  # the extraction worker has started by then (after 256 documents)
        assert proc.poll() is None and time.monotonic() < deadline, "the ingest ended before the signal"
        time.sleep(0.05)
    assert [p for p in session_processes(proc.pid) if p[0] != proc.pid], "no worker to stop"
    os.kill(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err.decode()
    assert "stopped by SIGINT" in err.decode()
    deadline = time.monotonic() + GRACE_S
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not session_processes(proc.pid)
    assert stored_articles(db) < ARTICLES


def _groups(url: str) -> dict[str, frozenset[str]]:
    """Story id → the titles of its articles, read with plain SQL."""
    rows = read_rows(
        url, "SELECT m.story_id, a.title FROM story_articles m JOIN articles a ON a.id = m.article_id"
    )
    out: dict[str, set[str]] = {}
    for story, title in rows:
        out.setdefault(story, set()).add(title)
    return {story: frozenset(titles) for story, titles in out.items()}


def test_stories_a_stopped_run_left_unsaved_are_grouped_as_a_whole_run_groups_them(
    store_url: str, tmp_path: Path
) -> None:
    """The state a signal leaves when it lands while the run saves its last briefings: every article
    stored, some stories written, the others not. The next run placed those stories' articles after
    every stored one, and the first article of each (its own words counted in it alone, which the
    MIN_DF cut drops) started a story of its own: 32 stories of 30 (the flake of the test above, seed
    11). Made here by deleting the stories not yet written, with plain SQL. Two: with three or more
    left unsaved, their articles grew the articles seen by the share that has the clusterer weigh its
    open rows again before the end of the run, which hid the split."""
    source = _write_input(tmp_path / "many.jsonl")
    settings = Settings(db=store_url, embedder="tfidf", facts=False, workers=0)
    with Desk(settings) as desk:
        desk.ingest([source])
    whole = _groups(store_url)
    assert len(whole) == STORIES
    unsaved = sorted(whole)[::15]  # two stories of 30, by id
    marks = ", ".join(f"'{story}'" for story in unsaved)
    execute_sql(
        store_url,
        *(
            f"DELETE FROM {table} WHERE story_id IN ({marks})"
            for table in ("story_articles", "story_entities", "story_links", "briefings")
        ),
        f"DELETE FROM story_links WHERE related_id IN ({marks})",
        f"DELETE FROM stories WHERE id IN ({marks})",
    )
    with Desk(settings) as desk:
        report = desk.ingest([source])
    assert report.added == 0 and report.existing == ARTICLES
    assert_each_article_in_one_story(store_url)
    after = _groups(store_url)
    assert len(after) == STORIES
    assert sorted(after.values(), key=sorted) == sorted(whole.values(), key=sorted)
    # the stories written before the stop keep their ids and members (those never written may be named
    # after another article of theirs than in the whole run: a name nobody had seen)
    assert all(after.get(story) == group for story, group in whole.items() if story not in unsaved)
