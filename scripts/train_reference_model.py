"""Train the reference model of the extractive summarizer (storydesk.brief.summarize.reference) on DUC 2003.

Usage: python scripts/train_reference_model.py [--data ../shared/data/mds/duc2003.jsonl] [--out FILE]

Writes ``src/storydesk/brief/summarize/reference_model.npz`` by default. DUC 2003 is the tuning set; DUC 2004
(the test set) must never be given here. Training is deterministic: the same data give the same file
(tests/summarize/test_reference.py retrains and compares predictions).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from storydesk.brief.summarize import reference
from storydesk.eval.datasets import read_mds

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "mds" / "duc2003.jsonl"
OUT = ROOT / "src" / "storydesk" / "brief" / "summarize" / reference.MODEL_FILE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if "2004" in args.data.name:
        parser.error("DUC 2004 is the test set: train on DUC 2003")
    start = time.perf_counter()
    clusters = read_mds(args.data)
    model = reference.fit([(c.articles, c.summaries) for c in clusters])
    model.save(args.out)
    print(
        f"{args.out}: {model.feature.shape[0]} trees of at most {model.feature.shape[1]} nodes, "
        f"{len(model.prior_words)} stop-word priors, from {len(clusters)} clusters of {args.data} "
        f"in {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
