"""Rejection rate and verification cost of LLM-written summaries on a few DUC 2003 stories (dev set).

Usage: ``.venv/bin/python bench/llm_verify.py URL [--stories 5] [--model NAME] [--data FILE] [--judge URL]``

URL is an OpenAI-compatible endpoint (e.g. llama-cpp-python's server with SmolLM2-135M-Instruct:
``python -m llama_cpp.server --model .../SmolLM2-135M-Instruct.Q4_1.gguf --port 8080`` gives
``http://127.0.0.1:8080/v1``). Each story: the extractive summary (5 sentences), the plan, one LLM call,
verification of every generated sentence by the offline checker. Prints per story the method shown,
sentences kept and rejected with the reasons' kinds, the LLM's seconds and the verification's
milliseconds; then the share of generated sentences rejected and the median verification cost.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from storydesk.analyse import analyse_article
from storydesk.brief.llm import OpenAIChatClient, make_plan, write_summary
from storydesk.brief.summarize import SummaryOptions, headline, summarize
from storydesk.brief.verify import OfflineChecker
from storydesk.eval.datasets import read_mds
from storydesk.group.embed import get_embedder

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mds" / "duc2003.jsonl"


def _kind(reason: str) -> str:
    m = re.match(r"(name|number|date|quotation|cites|states|not supported)", reason)
    return m.group(1) if m else "other"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--stories", type=int, default=5)
    ap.add_argument("--model", default="local")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--max-tokens", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--judge", default="", help="verify with the judge at this URL instead of offline")
    args = ap.parse_args()
    embedder = get_embedder("minilm")
    checker = OfflineChecker(embedder)
    if args.judge:
        from storydesk.brief.verify import JudgeChecker

        checker = JudgeChecker(OpenAIChatClient(args.judge, args.model, timeout_s=args.timeout))
    client = OpenAIChatClient(args.url, args.model, timeout_s=args.timeout)
    kept = rejected = 0
    kinds: Counter[str] = Counter()
    costs: list[float] = []
    for cluster in read_mds(args.data)[: args.stories]:
        articles = list(cluster.articles)
        analyses = {a.id: analyse_article(a) for a in articles}
        sentences = {a.id: analyses[a.id].sentences for a in articles}
        summary = summarize(articles, SummaryOptions(max_sentences=5), embedder=embedder, analyses=analyses)
        plan = make_plan(headline(articles, summary), summary, articles, sentences)
        start = time.perf_counter()
        out = write_summary(plan, client, checker, max_sentences=4, max_tokens=args.max_tokens)
        seconds = time.perf_counter() - start - out.verify_ms / 1000
        kept += sum(v.supported for v in out.verdicts)
        rejected += len(out.rejected)
        if out.sentences or out.rejected:
            costs.append(out.verify_ms)
        for v in out.rejected:
            kinds.update({_kind(r) for r in v.reasons})
        print(
            f"{cluster.id}: {out.method}, passed {sum(v.supported for v in out.verdicts)}, "
            f"rejected {len(out.rejected)}, "
            f"LLM {seconds:.1f} s, {out.usage.prompt_tokens}+{out.usage.completion_tokens} tokens, "
            f"verify {out.verify_ms:.0f} ms{'; ' + out.note if out.note else ''}"
        )
        for v in out.verdicts:
            if v.supported:
                print(f"   passed   {v.text}  {list(v.cites)} score {v.score:.2f}")
        for v in out.rejected:
            print(f"   rejected {v.text}  {list(v.cites)}: {'; '.join(v.reasons)}")
    total = kept + rejected
    share = f"{100 * rejected / total:.0f}%" if total else "n/a"
    print(f"generated sentences: {total}, rejected {rejected} ({share}); reasons: {dict(kinds)}")
    if costs:
        print(f"verification per story: median {statistics.median(costs):.0f} ms ({checker.name} checker)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
