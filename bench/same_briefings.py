"""Do two checkouts of storydesk write the same briefings? (#17: stored analyses must change nothing.)

The first ``--articles`` articles of ../shared/data/stories/duc-stories.jsonl are ingested with the
default settings (MiniLM + facts, ``workers = 0``) in two runs, each a new process: all but the last,
then the last (which re-briefs its story from what the first run stored, where the code stores it). This
is done once with each ``src`` folder on ``PYTHONPATH``, and the stored briefings are compared byte for
byte (the input path each briefing names is the same file for both). Exit status 1 if they differ.

Usage::

    python bench/same_briefings.py --a src --b ../../main/src       # this checkout against main
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"
INGEST = (
    "import sys\nfrom storydesk.config import Settings\nfrom storydesk.service import Desk\n"
    "with Desk(Settings(db=sys.argv[1], workers=0)) as desk:\n    print(desk.ingest([sys.argv[2]]).line())"
)


def run(src: Path, inputs: list[Path], db: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(src.resolve())}
    for path in inputs:
        out = subprocess.run(
            [sys.executable, "-c", INGEST, str(db), str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        print(f"  {src}: {out.stdout.strip()}")
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT story_id, json FROM briefings"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", type=Path, required=True, help="one storydesk src folder")
    ap.add_argument("--b", type=Path, required=True, help="the other")
    ap.add_argument("--articles", type=int, default=150)
    args = ap.parse_args()
    with DATA.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(args.articles), fh, strict=False)]
    with tempfile.TemporaryDirectory(prefix="storydesk-same-") as tmp:
        folder = Path(tmp)
        inputs = []
        for name, part in (("first.jsonl", rows[:-1]), ("last.jsonl", rows[-1:])):
            inputs.append(folder / name)
            with inputs[-1].open("w", encoding="utf-8") as fh:
                for r in part:
                    fh.write(
                        json.dumps({k: r[k] for k in ("id", "outlet", "published", "title", "text")}) + "\n"
                    )
        a = run(args.a, inputs, folder / "a.db")
        b = run(args.b, inputs, folder / "b.db")
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    print(
        f"{len(a)} and {len(b)} briefings; byte-identical: {not differ}"
        + (f" (differ: {differ[:10]})" if differ else "")
    )
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
