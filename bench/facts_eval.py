"""Hand-checked evaluation of the facts layer, and its cost per article.

    .venv/bin/python bench/facts_eval.py            # P/R on tests/fixtures/facts + time on 100 DUC articles
    .venv/bin/python bench/facts_eval.py --no-time  # P/R only

Quotes: a predicted quotation is correct when its text matches a gold one (normalised) and its speaker is
the gold speaker (case-insensitive). Dates: a resolved date is correct when a gold date of the same
sentence has the same value and granularity (and the same flags where the gold case lists flags).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "facts"
DATA = ROOT / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    p = correct / predicted if predicted else 1.0
    r = correct / gold if gold else 1.0
    return {"precision": p, "recall": r, "correct": correct, "predicted": predicted, "gold": gold}


def evaluate_quotes(nlp: Any = None) -> tuple[dict[str, float], list[str]]:
    """P/R of quotations with the speaker a briefing shows on the fixture set, and the failing case ids."""
    from storydesk.analyse.quotes import quote_key
    from storydesk.brief.facts import story_facts
    from storydesk.group.embed import get_embedder
    from storydesk.model import Article

    cases = json.loads((FIXTURES / "quotes.json").read_text(encoding="utf-8"))
    embedder = get_embedder("tfidf")
    correct = predicted = gold = 0
    failures = []
    for case in cases:
        article = Article(id=case["id"], title="", text=case["text"], outlet="Fixture")
        quotes = story_facts([article], nlp=nlp, embedder=embedder).quotes
        # A speaker found below the briefing's confidence threshold is shown as none ("shown": false).
        expected = {
            (quote_key(q["text"]), q["speaker"].casefold() if q.get("shown", True) else "")
            for q in case["expected"]
        }
        got = {(quote_key(q.text), (q.speaker or "").casefold()) for q in quotes}
        hits = len(expected & got)
        correct, predicted, gold = correct + hits, predicted + len(got), gold + len(expected)
        if hits != len(expected) or len(got) != len(expected):
            failures.append(f"{case['id']}: got {sorted(got)}")
    return _prf(correct, predicted, gold), failures


def evaluate_dates() -> tuple[dict[str, float], list[str]]:
    """P/R of resolved dates on the fixture set, and the failing case ids."""
    from storydesk.analyse.dates import resolve_date_expression

    cases = json.loads((FIXTURES / "dates.json").read_text(encoding="utf-8"))
    correct = predicted = gold = 0
    failures = []
    for case in cases:
        found = resolve_date_expression(case["text"], case["published"])
        got = [(d, g, flags) for _, d, g, flags in found if d is not None]
        expected = [e for e in case["expected"] if e["date"] is not None]
        unresolved_ok = all(d is None for _, d, _, _ in found) if not expected and case["expected"] else True
        hits = 0
        remaining = list(got)
        for e in expected:
            for item in remaining:
                d, g, flags = item
                if (
                    d == e["date"]
                    and g == e["granularity"]
                    and ("flags" not in e or list(flags) == e["flags"])
                ):
                    hits += 1
                    remaining.remove(item)
                    break
        correct, predicted, gold = correct + hits, predicted + len(got), gold + len(expected)
        if hits != len(expected) or len(got) != len(expected) or not unresolved_ok:
            failures.append(f"{case['id']}: got {found}")
    return _prf(correct, predicted, gold), failures


def time_per_article(n: int = 100) -> dict[str, float]:
    """Milliseconds per article: per-article facts (spaCy, quotes, dates) and the whole story step."""
    from storydesk.analyse import _facts, add_facts, analyse_article
    from storydesk.analyse._nlp import load_nlp
    from storydesk.brief.facts import story_facts
    from storydesk.group.embed import get_embedder
    from storydesk.model import Article

    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    by_story: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_story.setdefault(r["story"], []).append(r)
    chosen: list[list[Article]] = []
    total = 0
    for members in by_story.values():
        arts = [
            Article(
                id=r["id"],
                title=r.get("title") or "",
                text=r["text"],
                outlet=r["outlet"],
                published=r["published"],
            )
            for r in members[:10]
        ]
        chosen.append(arts)
        total += len(arts)
        if total >= n:
            break
    nlp = load_nlp()
    embedder = get_embedder("minilm")
    embedder.embed(["warm up"])
    split = {a.id: analyse_article(a) for arts in chosen for a in arts}
    _facts._cache.clear()
    t0 = time.perf_counter()
    per_doc = []
    analyses = {}
    for arts in chosen:
        for a in arts:
            t = time.perf_counter()
            analyses[a.id] = add_facts(split[a.id], nlp)
            per_doc.append(time.perf_counter() - t)
    t1 = time.perf_counter()
    for arts in chosen:
        story_facts(arts, nlp=nlp, embedder=embedder, analyses=analyses)
    t2 = time.perf_counter()
    return {
        "articles": total,
        "stories": len(chosen),
        "article_facts_ms_mean": 1000 * (t1 - t0) / total,
        "article_facts_ms_median": 1000 * statistics.median(per_doc),
        "story_step_ms_per_article": 1000 * (t2 - t1) / total,
        "total_ms_per_article": 1000 * (t2 - t0) / total,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-time", action="store_true", help="skip the timing on DUC articles")
    parser.add_argument("-n", type=int, default=100, help="articles to time (default 100)")
    args = parser.parse_args(argv)
    q, q_fail = evaluate_quotes()
    d, d_fail = evaluate_dates()
    print(
        f"quotes with correct speaker: P={q['precision']:.3f} R={q['recall']:.3f} ({q['correct']}/{q['predicted']} predicted, {q['gold']} gold)"
    )
    print(
        f"resolved dates:              P={d['precision']:.3f} R={d['recall']:.3f} ({d['correct']}/{d['predicted']} predicted, {d['gold']} gold)"
    )
    for f in q_fail + d_fail:
        print("  miss:", f)
    if not args.no_time:
        t = time_per_article(args.n)
        print(
            f"time on {t['articles']} DUC articles ({t['stories']} stories): per-article facts "
            f"{t['article_facts_ms_mean']:.0f} ms mean / {t['article_facts_ms_median']:.0f} ms median; "
            f"story step (merge, embed, timeline, claims) {t['story_step_ms_per_article']:.0f} ms/article; "
            f"total {t['total_ms_per_article']:.0f} ms/article"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
