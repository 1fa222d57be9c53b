"""Stream clustering at scale: add throughput and peak RSS at 5k, 10k and 20k articles.

The 1,067 duc-stories articles are replicated with fresh ids and dates shifted by six years per copy
(so each copy is a new set of stories, as a long-running feed would bring), and fed one at a time in
date order to a fresh :class:`StreamClusterer`, followed by the end-of-run ``flush()``. Vectors come from
the model-free ``"tfidf"`` HashingEmbedder (computed once per copy, not timed) so the figures measure
clustering, not MiniLM. Each size runs in its own process so peak RSS is that run's own.

    .venv/bin/python bench/cluster_bench.py [--sizes 5000,10000,20000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"
SHIFT_DAYS = 6 * 365


def _one(size: int) -> dict:
    import numpy as np

    from storydesk.cluster import StreamClusterer
    from storydesk.embed import HashingEmbedder, embed_documents
    from storydesk.eval.clustering import load_stories

    base, _ = load_stories(DATA)
    base_vecs = embed_documents(HashingEmbedder(), base)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sc = StreamClusterer()
    t0 = time.perf_counter()
    marks = []
    n = 0
    copy = 0
    while n < size:
        for a, v in zip(base, base_vecs, strict=True):
            if n >= size:
                break
            day = date.fromisoformat(a.published[:10]) + timedelta(days=copy * SHIFT_DAYS)
            sc.add(replace(a, id=f"{a.id}#{copy}", published=day.isoformat()), np.asarray(v))
            n += 1
            if n % 1000 == 0:
                marks.append(time.perf_counter())
        copy += 1
    sc.flush()
    total = time.perf_counter() - t0
    per_k = np.diff([t0, *marks])
    return {
        "articles": size,
        "seconds": round(total, 1),
        "articles_per_s": round(size / total, 1),
        "first_1000_per_s": round(1000 / per_k[0], 1),
        "last_1000_per_s": round(1000 / per_k[-1], 1),
        "stories": len(sc.stories()),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mib": round(rss_before, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5000,10000,20000")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(_one(args.one)))
        return
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")


if __name__ == "__main__":
    main()
