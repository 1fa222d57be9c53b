"""Tuning loop for what a reader sees first (#15): per variant of the summarizer's options, under the
product's budget (five sentences), ROUGE-1 recall of the first summary sentence cut to 25 words next to
the news lead's, the share of summary sentences that start dangling, and ROUGE-1/2 of the whole summary.

Uses the cached MiniLM vectors of ``bench/summary_tuning.py``. Tune on DUC 2003 only; DUC 2004 is the test set.

    .venv/bin/python bench/first_sentence_tuning.py --data ../shared/data/mds/duc2003.jsonl \\
        "LEAD_FIRST=False" base "LEAD_POSITION_BOOST=1.5"
    .venv/bin/python bench/first_sentence_tuning.py --data ../shared/data/mds/duc2003.jsonl --duc \
        "LEAD_FIRST=False;REJECT_DANGLING=False" base
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from summary_tuning import load, options_for, parse_variant, without_citations  # noqa: E402


def main() -> None:
    from storydesk.analyse import analyse_article
    from storydesk.brief.summarize import summarize
    from storydesk.brief.summarize.cohesion import dangling
    from storydesk.eval.rouge import paired_bootstrap, score_system
    from storydesk.eval.summarization import FIRST_SENTENCE_WORDS, news_lead

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--show", type=int, default=0, help="print this many dangling sentences per variant")
    parser.add_argument(
        "--duc", action="store_true", help="ROUGE-1/2/L recall of the 100-word DUC summaries instead"
    )
    parser.add_argument("variants", nargs="*", default=["base"])
    args = parser.parse_args()
    clusters, embedder = load(args.data)
    refs = [list(c.summaries) for c in clusters]
    if args.duc:
        for spec in args.variants:
            options = options_for(parse_variant(spec), product=False)
            texts = [
                " ".join(
                    s.text
                    for s in summarize(c.articles, options, embedder=embedder, steps=without_citations())
                )
                for c in clusters
            ]
            duc = score_system(texts, refs, words=100)
            print(
                f"{spec:<50} 100 words: "
                + "  ".join(
                    f"{m}={duc.mean(m):.2f}" for m in ("rouge1_recall", "rouge2_recall", "rougeL_recall")
                ),
                flush=True,
            )
        return
    analyses = [{a.id: analyse_article(a) for a in c.articles} for c in clusters]
    leads = [news_lead([an[a.id] for a in c.articles]) for c, an in zip(clusters, analyses, strict=True)]
    lead = score_system(leads, refs, words=FIRST_SENTENCE_WORDS)
    print(f"news lead: R1@{FIRST_SENTENCE_WORDS}={lead.mean('rouge1_recall'):.2f}", flush=True)
    for spec in args.variants:
        options = options_for(parse_variant(spec), product=True)
        firsts, whole, flags_all, shown = [], [], [], []
        for c, an in zip(clusters, analyses, strict=True):
            summary = summarize(
                c.articles, options, embedder=embedder, analyses=an, steps=without_citations()
            )
            firsts.append(summary[0].text if summary else "")
            whole.append(" ".join(s.text for s in summary))
            flags = dangling(summary, options)
            flags_all.extend(flags)
            shown.extend(f"  {c.id}: {s.text[:120]}" for s, f in zip(summary, flags, strict=True) if f)
        first = score_system(firsts, refs, words=FIRST_SENTENCE_WORDS)
        full = score_system(whole, refs, words=None)
        diff, lo, hi = paired_bootstrap(first.values["rouge1_recall"], lead.values["rouge1_recall"])
        print(
            f"{spec:<50} first R1@{FIRST_SENTENCE_WORDS}={first.mean('rouge1_recall'):.2f} "
            f"(vs lead {diff:+.2f} [{lo:+.2f}, {hi:+.2f}])  dangling={sum(flags_all)}/{len(flags_all)} "
            f"({100 * sum(flags_all) / max(len(flags_all), 1):.2f}%)  whole R1={full.mean('rouge1_recall'):.2f} "
            f"R2={full.mean('rouge2_recall'):.2f}",
            flush=True,
        )
        for line in shown[: args.show]:
            print(line)


if __name__ == "__main__":
    main()
