"""How much branch-and-bound each ILP solve of the DUC word-budget summaries needs (``ILP_NODE_LIMIT``).

Summarizes every cluster as ``storydesk eval summarize`` does (100 words, MiniLM vectors) and records, for
each ``scipy.optimize.milp`` call, HiGHS's node count, status and seconds; prints one JSON line per
cluster (``--out`` to a file, which a second run resumes) and the largest node counts at the end.

    .venv/bin/python bench/ilp_nodes.py ../shared/data/mds/duc2003.jsonl [--out nodes.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import scipy.optimize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="An MDS file, e.g. ../shared/data/mds/duc2004.jsonl.")
    parser.add_argument("--out", type=Path, help="Append the per-cluster lines here (resumes a run).")
    parser.add_argument("--words", type=int, default=100)
    parser.add_argument("--clusters", type=int, help="Only the first N clusters.")
    args = parser.parse_args()

    from storydesk.brief.summarize import SummaryOptions, summarize
    from storydesk.eval.datasets import read_mds
    from storydesk.group.embed import get_embedder

    solves: list[dict[str, Any]] = []
    real = scipy.optimize.milp

    def recording(*a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        result = real(*a, **k)
        solves.append(
            {
                "nodes": int(result.mip_node_count or 0),
                "status": int(result.status),
                "seconds": round(time.perf_counter() - start, 3),
                "variables": len(a[0]),
            }
        )
        return result

    scipy.optimize.milp = recording  # select_ilp imports milp from scipy.optimize at each call
    done = set()
    if args.out and args.out.exists():
        done = {json.loads(line)["id"] for line in args.out.open()}
    sink = args.out.open("a") if args.out else sys.stdout
    embedder = get_embedder("minilm")
    options = SummaryOptions(max_words=args.words)
    for cluster in read_mds(args.data)[: args.clusters]:
        if cluster.id in done:
            continue
        solves.clear()
        summary = summarize(cluster.articles, options, embedder=embedder)
        line = {"id": cluster.id, "solves": list(solves), "summary": " ".join(s.text for s in summary)}
        print(json.dumps(line), file=sink, flush=True)
    if args.out:
        sink.close()
        rows = [json.loads(line) for line in args.out.open()]
        every = [(r["id"], s) for r in rows for s in r["solves"]]
        top = sorted(every, key=lambda x: -x[1]["nodes"])[:5]
        print(
            f"{len(rows)} clusters, {len(every)} solves, statuses {sorted({s['status'] for _, s in every})}"
        )
        for ident, s in top:
            print(f"{ident}: {s['nodes']} nodes, {s['seconds']} s, {s['variables']} variables")


if __name__ == "__main__":
    main()
