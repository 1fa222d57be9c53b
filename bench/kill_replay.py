"""An ingest stopped at a chosen store write, then run again to the end: is the grouping the one a run
that was not stopped gives?

Each case is a chain of stops: ``633`` stops the first run just before its 634th store write (articles
stored, duplicates recorded, stories deleted, stories written, counted in order), ``300+200`` stops a
first run at its 300th and a second at its 200th; ``end-2`` is two writes before the last of an
uninterrupted run (two stories left unwritten). A stop raises out of the store call, so the store is left
as a signal at that moment leaves it (every write is its own transaction). A last run then completes.
Printed per case: stories at the end against the uninterrupted run's, the stories of the uninterrupted
run split (and their articles), the stories holding articles of several of them, and whether every
story written before a stop keeps its id and members.

    python bench/kill_replay.py                                   # 600 invented articles, 30 stories
    python bench/kill_replay.py --input duc --cases end-1,end-10  # duc-stories.jsonl (1,067 articles)
    python bench/kill_replay.py --after-one                       # no stop: one more article ingested

Settings as tests/reliability/test_kill_ingest.py: ``embedder=tfidf``, ``facts=false``, ``workers=1``.
Run it against another checkout's code with ``PYTHONPATH=<that checkout>/src``.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if "PYTHONPATH" not in os.environ:
    sys.path.insert(0, str(ROOT / "src"))

DUC = ROOT.parent / "shared" / "data" / "stories" / "duc-stories.jsonl"
WRITES = ("add_article", "add_failure", "set_duplicates", "replace_story", "delete_stories")


class Stopped(BaseException):
    """Raised out of a store write, as a signal stops the run there."""


class _StoppingStore:
    """The real store, whose ``stop_at``-th write (0-based) raises :class:`Stopped` instead."""

    def __init__(self, store: Any, stop_at: int | None) -> None:
        self._store, self._stop_at, self.writes = store, stop_at, 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if name not in WRITES:
            return attr

        def write(*args: Any, **kwargs: Any) -> Any:
            if self._stop_at is not None and self.writes >= self._stop_at:
                raise Stopped(name)
            self.writes += 1
            return attr(*args, **kwargs)

        return write


def ingest(db: Path, source: Path, stop_at: int | None) -> int:
    """One ``ingest`` of ``source`` into ``db``, stopped at write ``stop_at``; the writes it made."""
    from storydesk.config import load_settings
    from storydesk.service import Desk

    settings, _ = load_settings(
        overrides={"embedder": "tfidf", "facts": "false", "workers": "1", "db": str(db)}
    )
    desk = Desk(settings)
    real = desk.store
    proxy = _StoppingStore(real, stop_at)
    desk.__dict__["store"] = proxy
    try:
        desk.ingest([source])
    except Stopped:
        pass
    finally:
        real.close()
    return proxy.writes


def groups(db: Path) -> dict[str, frozenset[str]]:
    """Story id → its articles' ids (members and folded copies)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT story_id, article_id FROM story_articles").fetchall()
    finally:
        con.close()
    out: dict[str, set[str]] = {}
    for story, article in rows:
        out.setdefault(story, set()).add(article)
    return {s: frozenset(a) for s, a in out.items()}


def compare(whole: dict[str, frozenset[str]], end: dict[str, frozenset[str]]) -> tuple[int, int, int]:
    """(stories of ``whole`` split in ``end``, their articles, stories of ``end`` joining several)."""
    where = {a: s for s, g in end.items() for a in g}
    was = {a: s for s, g in whole.items() for a in g}
    split = [g for g in whole.values() if len({where.get(a) for a in g}) > 1]
    joined = [g for g in end.values() if len({was.get(a) for a in g}) > 1]
    return len(split), sum(len(g) for g in split), len(joined)


def invented(path: Path) -> Path:
    """The input of tests/reliability/test_kill_ingest.py: 600 articles in 30 stories (its own writer)."""
    sys.path[:0] = [str(ROOT / "tests" / "reliability"), str(ROOT / "tests")]
    from test_kill_ingest import _write_input

    return _write_input(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", choices=["invented", "duc"], default="invented")
    ap.add_argument("--cases", default="end-1,end-2,end-3,end-10,300,300+200")
    ap.add_argument("--after-one", action="store_true", help="no stop: ingest one unrelated article more")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kill-replay-") as tmp:
        folder = Path(tmp)
        source = DUC if args.input == "duc" else invented(folder / "invented.jsonl")
        if args.input == "duc":  # the fields a feed gives (as tests/reliability/_store_state.duc_rows)
            rows = [json.loads(line) for line in DUC.read_text(encoding="utf-8").splitlines() if line.strip()]
            source = folder / "duc.jsonl"
            source.write_text(
                "".join(
                    json.dumps({k: r[k] for k in ("title", "text", "outlet", "published") if r.get(k)}) + "\n"
                    for r in rows
                ),
                encoding="utf-8",
            )
        start = time.perf_counter()
        writes = ingest(folder / "whole.db", source, None)
        whole = groups(folder / "whole.db")
        print(
            f"uninterrupted: {len(whole)} stories, {writes} store writes ({time.perf_counter() - start:.0f} s)"
        )
        if args.after_one:
            one = folder / "one.jsonl"
            text = (
                "A recipe for lemon cake: whisk butter and sugar, fold in flour and bake until golden. " * 3
            )
            one.write_text(json.dumps({"title": "Lemon cake", "outlet": "Kitchen", "text": text}) + "\n")
            ingest(folder / "whole.db", one, None)
            end = groups(folder / "whole.db")
            split, articles, joined = compare(whole, end)
            print(
                f"one article more: {len(end)} stories; split {split} ({articles} articles), joined {joined}"
            )
            return
        for case in args.cases.split(","):
            db = folder / f"case-{case}.db"
            for stop in case.split("+"):
                at = writes - int(stop[4:]) if stop.startswith("end-") else int(stop)
                ingest(db, source, at)
            before = groups(db)
            ingest(db, source, None)
            end = groups(db)
            split, articles, joined = compare(whole, end)
            kept = all(end.get(s) == g or (s in end and g <= end[s]) for s, g in before.items())
            print(
                f"stop at {case}: {len(before)} stories written, {len(end)} at the end; uninterrupted stories "
                f"split {split} ({articles} articles), joined {joined}; written stories kept: {kept}",
                flush=True,
            )


if __name__ == "__main__":
    main()
