"""Precision and recall of storydesk's line-level boilerplate filter on the labelled corpus.

Usage: ``.venv/bin/python bench/boilerplate_eval.py [tests/fixtures/boilerplate/lines.tsv]``
"""

from __future__ import annotations

import sys
from pathlib import Path

from storydesk.eval.extraction import read_labelled_lines, score_boilerplate

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "boilerplate" / "lines.tsv"


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else CORPUS
    rows = read_labelled_lines(path)
    s = score_boilerplate(rows)
    n_drop = sum(1 for label, _ in rows if label == "drop")
    print(f"corpus: {path} ({n_drop} boilerplate lines, {len(rows) - n_drop} article lines)")
    print(f"removal precision={s['precision']:.3f} recall={s['recall']:.3f} f1={s['f1']:.3f}")
    print(f"tp={s['tp']} fp={s['fp']} fn={s['fn']} tn={s['tn']}")
    for line in s["false_drops"]:  # type: ignore[union-attr]
        print(f"  removed but article text: {line}")
    for line in s["missed"]:  # type: ignore[union-attr]
        print(f"  kept but boilerplate:     {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
