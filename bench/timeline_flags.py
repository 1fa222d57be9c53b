"""Which dates the timeline leaves out on real news, and why: every DUC 2004 article analysed with the facts
layer, the trusted dates counted, the dates left out by the event rules (``date_in_noun_phrase``,
``date_in_noun_clause``, ``date_in_time_clause``, ``month_range``, ``future_in_past``) counted, and a seeded sample of each printed with its sentence to
be read by hand (docs/facts.md, step 4b).

No peer: this measures storydesk's own rules on public data.

Usage::

    python bench/timeline_flags.py            # ~2 min
    python bench/timeline_flags.py --sample 30
"""

from __future__ import annotations

import argparse
import collections
import json
import random
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mds" / "duc2004.jsonl"
RULES = (
    "date_in_noun_phrase",
    "date_in_noun_clause",
    "date_in_time_clause",
    "month_range",
    "future_in_past",
)


def main() -> None:
    from storydesk.analyse import analyse_articles
    from storydesk.analyse._nlp import load_nlp
    from storydesk.model import Article

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=15, help="sentences printed per rule")
    args = ap.parse_args()
    nlp = load_nlp()
    kept = 0
    removed: collections.Counter[str] = collections.Counter()
    samples: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    with DATA.open(encoding="utf-8") as fh:
        clusters = [json.loads(line) for line in fh]
    for cluster in clusters:
        articles = [
            Article(
                id=a["id"],
                title=a.get("title") or "",
                text=a["text"],
                outlet=a.get("outlet"),
                published=a["published"],
            )
            for a in cluster["articles"]
        ]
        for analysis in analyse_articles(articles, nlp=nlp).values():
            assert analysis.facts is not None
            sentences = {s.index: s.text for s in analysis.sentences}
            for d in analysis.facts.dates:
                rule = next((f for f in d.flags if f in RULES), None)
                if d.date:
                    kept += 1
                elif rule:
                    removed[rule] += 1
                    samples[rule].append((d.text, sentences.get(d.sentence_index, "")))
    print(
        f"trusted dates kept: {kept}; left out by the event rules: {dict(removed)} "
        f"({sum(removed.values())} of {kept + sum(removed.values())})"
    )
    rng = random.Random(5)
    for rule, found in samples.items():
        print(f"== {rule}")
        for expression, sentence in rng.sample(found, min(args.sample, len(found))):
            print(f"  [{expression}] {sentence[:240]}")


if __name__ == "__main__":
    main()
