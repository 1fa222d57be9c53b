"""Stream clustering at scale: add throughput, peak RSS and what stays in memory at 5k, 10k and 20k articles.

Input: the replicas of bench/throughput.py (the 1,067 duc-stories articles; replica k shifted by k × 800
days, its names and longer words marked with a letters-only suffix so that each replica is new stories in its own vocabulary), fed one
at a time in publication order to a fresh :class:`StreamClusterer`, with a ``flush()`` every
``FLUSH_EVERY`` articles and at the end, as ``storydesk ingest`` places articles in chunks. Vectors come
from the model-free ``"tfidf"`` HashingEmbedder, one chunk at a time with the clock stopped, so the figures
measure clustering, not embedding. Each size runs in its own process so that its peak RSS is its own;
``rss_before_mib`` is the process with its input (all N articles) loaded, before clustering starts.

Columns: ``ms_per_article`` over the whole run, ``first_1000_per_s`` / ``last_1000_per_s`` (flat means
time per article does not grow with what was seen), ``held_stories`` / ``held_articles`` (what the
clusterer still holds at the end: stories past the horizon are let go of), and B³ F1 of the stories as a
store would hold them (each flush's changed stories written over earlier ones) against the replicas'
gold stories. That store view is a dict kept by the benchmark (a few MB at 20k; counted in peak RSS).

    .venv/bin/python bench/cluster_bench.py [--sizes 5000,10000,20000]

Run it against another checkout's code with ``PYTHONPATH=<that checkout>/src``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

FLUSH_EVERY = 500  # as storydesk ingest (service.PLACE_EVERY)


def _articles(size: int) -> tuple[list, dict[str, str]]:
    from throughput import as_article, load, replicate  # the end-to-end benchmark's replicas

    rows = replicate(load(), size)
    arts = [as_article(r) for r in rows]
    gold = {r["id"]: r["story"] for r in rows}
    arts.sort(key=lambda a: (a.published, a.id))
    return arts, gold


def _one(size: int) -> dict:
    import storydesk
    import storydesk.group.cluster as cluster
    from storydesk.eval.bcubed import bcubed
    from storydesk.group.embed import HashingEmbedder, embed_documents

    arts, gold = _articles(size)
    embedder = HashingEmbedder()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sc = cluster.StreamClusterer()
    stored: dict[str, str] = {}  # article id -> story id, as the store holds it
    clock = 0.0  # seconds spent in add() and flush() only
    marks = []

    def flush() -> None:
        changes = sc.flush()
        held = {s.id: s for s in sc.stories()}
        for sid in changes.changed:
            for aid in held[sid].article_ids:
                stored[aid] = sid

    for first in range(0, size, FLUSH_EVERY):
        chunk = arts[first : first + FLUSH_EVERY]
        vecs = embed_documents(embedder, chunk)  # not timed; one chunk of vectors at a time
        t = time.perf_counter()
        for n, (a, v) in enumerate(zip(chunk, vecs, strict=True), start=first + 1):
            sc.add(a, v)
            if n % 1000 == 0:
                marks.append(clock + time.perf_counter() - t)
        flush()
        clock += time.perf_counter() - t
    per_k = [b - a for a, b in zip([0.0, *marks], marks, strict=False)]
    return {
        "articles": size,
        "seconds": round(clock, 1),
        "articles_per_s": round(size / clock, 1),
        "ms_per_article": round(1000 * clock / size, 2),
        "first_1000_per_s": round(1000 / per_k[0], 1),
        "last_1000_per_s": round(1000 / per_k[-1], 1),
        "held_stories": len(sc.stories()),
        "held_articles": len(sc.assignments()),
        "bcubed_f1": round(bcubed(stored, gold)[2], 4),
        "rss_before_mib": round(rss_before, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "code": str(Path(storydesk.__file__).resolve().parent),
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
    cols = [c for c in rows[0] if c != "code"]
    print(f"# code: {rows[0]['code']}")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")


if __name__ == "__main__":
    main()
