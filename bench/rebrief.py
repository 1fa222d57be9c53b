"""Re-briefing a grown story in a new process, with and without the stored analyses (#17).

A store is filled with the first ``--articles`` articles of ../shared/data/stories/duc-stories.jsonl
(default settings: MiniLM vectors and the facts layer) except one: the latest article of the largest gold
story among them. Then, each in a new process (as the next ``storydesk ingest`` run, the other briefing
worker or ``serve --watch`` after a restart would be), that one article is ingested into a copy of the
store: once as it is, once with its ``analyses`` table emptied (a store without stored analyses, as
before #17). Printed per run: CPU seconds of the ingest call and of the whole process, articles parsed by
spaCy, texts run through MiniLM, the stored analyses read, the stories re-briefed, stage times, and
whether the two runs wrote the same briefings.

Usage::

    python bench/rebrief.py                  # 300 articles
    python bench/rebrief.py --articles 500
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"

CHILD = r"""
import json, resource, sys, time
from storydesk.analyse import _facts
from storydesk.config import Settings
from storydesk.group import embed
from storydesk.service import Desk

texts = [0]
run = embed.MiniLMEmbedder._run
def counted(self, batch):
    texts[0] += len(batch)
    return run(self, batch)
embed.MiniLMEmbedder._run = counted

settings = Settings(**json.loads(sys.argv[1]))
with Desk(settings) as desk:
    parses_before = _facts._parses
    cpu = time.process_time()
    wall = time.perf_counter()
    report = desk.ingest([sys.argv[2]])
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    timer = dict(desk.components.timer.seconds)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "cpu_ingest": cpu, "wall_ingest": wall, "cpu_process": usage.ru_utime + usage.ru_stime,
    "peak_rss_mb": usage.ru_maxrss / 1024, "parses": _facts._parses - parses_before, "embedded": texts[0],
    "added": report.added, "stories": report.stories_updated, "timer": timer,
    "analyses_read": report.analyses_read, "analyses_unusable": report.analyses_unusable,
}))
"""


def load(n: int) -> tuple[list[dict], dict]:
    """The first ``n`` articles but one, and that one: the latest article of the largest gold story."""
    with DATA.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(n), fh, strict=False)]
    largest, _ = Counter(r["story"] for r in rows).most_common(1)[0]
    held = max((r for r in rows if r["story"] == largest), key=lambda r: (r["published"] or "", r["id"]))
    return [r for r in rows if r is not held], held


def write_jsonl(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: r[k] for k in ("id", "outlet", "published", "title", "text")}) + "\n")


def child(settings: dict, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(settings), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def briefings(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT story_id, json FROM briefings"))


def analyses(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        n, size = conn.execute("SELECT count(*), coalesce(sum(length(data)), 0) FROM analyses").fetchone()
    return int(n), int(size)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--articles", type=int, default=300, help="articles in the store before the one that joins"
    )
    ap.add_argument("--workers", type=int, default=0, help="briefing workers while the store is filled")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = ap.parse_args()
    rows, held = load(args.articles + 1)
    with tempfile.TemporaryDirectory(prefix="storydesk-rebrief-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        write_jsonl(rows, folder / "first.jsonl")
        write_jsonl([held], folder / "one.jsonl")
        base = folder / "base.db"
        settings = {"db": str(base), "embedder": "minilm", "facts": True, "workers": args.workers}
        started = time.perf_counter()
        first = child(settings, folder / "first.jsonl")
        stored, size = analyses(base)
        print(
            f"filled: {first['added']} articles, {first['stories']} stories in {time.perf_counter() - started:.0f} s "
            f"({first['cpu_process']:.0f} CPU s); {stored} stored analyses, {size / 1e6:.1f} MB "
            f"({size / max(stored, 1) / 1e3:.1f} kB each)"
        )
        print(f"joining: {held['id']} (gold story {held['story']})")
        results = {}
        for name, drop in (("stored analyses", False), ("no stored analyses", True)):
            db = folder / f"{'with' if not drop else 'without'}.db"
            shutil.copy(base, db)
            if drop:
                with sqlite3.connect(db) as conn:
                    conn.execute("DELETE FROM analyses")
            results[name] = (
                child({**settings, "db": str(db), "workers": 0}, folder / "one.jsonl"),
                briefings(db),
            )
        print(
            f"{'run (new process)':<22}{'CPU s ingest':>13}{'CPU s process':>14}{'parsed':>8}{'embedded':>10}"
            f"{'stories':>9}{'read':>6}{'unusable':>9}{'peak MB':>9}"
        )
        for name, (r, _) in results.items():
            print(
                f"{name:<22}{r['cpu_ingest']:>13.2f}{r['cpu_process']:>14.2f}{r['parses']:>8}{r['embedded']:>10}"
                f"{r['stories']:>9}{r['analyses_read']:>6}{r['analyses_unusable']:>9}{r['peak_rss_mb']:>9.0f}"
            )
        for name, (r, _) in results.items():
            stages = ", ".join(
                f"{k} {v:.2f}" for k, v in sorted(r["timer"].items(), key=lambda kv: -kv[1])[:6]
            )
            print(f"  {name}: {stages}")
        (_, with_b), (_, without_b) = results.values()
        same = with_b == without_b
        print(f"briefings identical in both runs: {same} ({len(with_b)} stories)")
        if not same:
            changed = [s for s in with_b if with_b[s] != without_b.get(s)]
            print(f"  differ: {changed[:10]}")
            sys.exit(1)


if __name__ == "__main__":
    main()
