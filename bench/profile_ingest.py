"""Where an article's milliseconds go: one ``storydesk ingest`` under cProfile, in a single process.

The articles are the throughput benchmark's replicas (``bench/throughput.py``); the run has
``workers = 0`` so every stage (extraction, vectors, clustering, briefings) runs in the profiled
process. Prints the StageTimer's seconds per stage, the CPU seconds per article, and the functions with
the most cumulative time.

Usage::

    python bench/profile_ingest.py --size 500                    # default settings (MiniLM + facts)
    python bench/profile_ingest.py --size 500 --out prof.pstats  # keep the profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import load, replicate, write_jsonl  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=500)
    ap.add_argument("--embedder", default="minilm", choices=["tfidf", "minilm"])
    ap.add_argument("--no-facts", action="store_true")
    ap.add_argument("--out", help="write the pstats file here")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()

    from storydesk.config import Settings
    from storydesk.service import Desk

    with tempfile.TemporaryDirectory(prefix="sd-prof-") as tmp:
        src = Path(tmp) / "articles.jsonl"
        write_jsonl(replicate(load(), args.size), src)
        settings = Settings(
            db=str(Path(tmp) / "store.db"), embedder=args.embedder, facts=not args.no_facts, workers=0
        )
        prof = cProfile.Profile()
        cpu, wall = time.process_time(), time.perf_counter()
        with Desk(settings) as desk:
            prof.enable()
            report = desk.ingest([src])
            prof.disable()
            stages = dict(desk.components.timer.seconds)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = report.added + report.existing
    print(f"{n} articles, {wall:.1f} s wall, {cpu:.1f} CPU s, {1000 * cpu / n:.1f} CPU ms per article")
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<24} {seconds:7.1f} s  {1000 * seconds / n:7.1f} ms/article")
    if args.out:
        prof.dump_stats(args.out)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
