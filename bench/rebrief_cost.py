"""What re-briefing a grown story costs once its articles' analyses are stored (#17), part by part.

With every article's stored analysis given (facts and sentence vectors, as a re-brief reads them from the
store), the parse and MiniLM cost nothing; what is left is the work over the whole story. This benchmark
times each part of :func:`storydesk.brief.brief_story_analyses` for stories of growing size plus one new
article, and prints the milliseconds per part per size and the slope (ms added per article of story size,
least squares over the sizes):

* analyse — sentence split and the stored facts put back together (``analyse_articles`` with ``known``);
* summary — each step of :func:`storydesk.brief.summarize.summarize` (candidates, concept weights, vectors
  looked up, salience, the reference model, the selection with its redundancy pairs, reading order,
  citations) and the headline;
* facts — :func:`storydesk.brief.facts.story_facts` less its claims (actors merged, quotations resolved,
  vectors looked up, the timeline);
* claims — :func:`storydesk.brief.corroborate.corroborate`; within it ``_align``: the cosine matrix
  ``vec @ vec.T`` (timed alone on the same rows), ``rare_names``, the pair decisions (``decide_pair``, or
  where the per-process memo exists its lookups, with the ``decide_pair`` calls it makes counted) and the
  rest of ``_align`` (candidate pairs, the screen where it exists, groups);
* render — the briefing as stored (JSON) and as a page (HTML).

The story: the articles of duc-stories' largest gold stories, largest story first (d30025t, d30005t, …),
the first N of them; the new article is the latest article of the largest gold story, held out of the
pool. Stories above 26 articles therefore span several gold stories, whose statements rarely align
across them: the statement and candidate pair counts are printed so the density can be judged. The analyses are made
once, by a cold briefing of the largest story (spaCy + MiniLM; not timed). Before each timed run the
per-process text caches of the claims (:func:`storydesk.brief.corroborate.words.clear_caches`) and the
pair decisions are emptied, as in a new process; ``--warm`` keeps them (a worker re-briefing a story it
briefed before). Each size is run ``--repeat`` times and the fastest run is printed (the machine is
shared).

Usage::

    python bench/rebrief_cost.py                        # sizes 10, 20, 40, 80
    python bench/rebrief_cost.py --sizes 10,20 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from storydesk.components import StageTimer

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"

PARTS = [
    "analyse",
    "summary: candidates",
    "summary: concept weights",
    "summary: vectors",
    "summary: salience",
    "summary: reference model",
    "summary: selection",
    "summary: order",
    "summary: citations",
    "summary: other",
    "headline",
    "facts: actors + quotes",
    "facts: vectors",
    "facts: timeline",
    "facts: other",
    "claims: cosine matrix",
    "claims: rare_names",
    "claims: decide_pair",
    "claims: align other",
    "claims: other",
    "render",
]
TOTALS = ["summary", "facts (no claims)", "claims", "whole briefing"]


class Clock(StageTimer):
    """Seconds per part (a part never timed reads 0), and counts, of one run."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.counts: Counter[str] = Counter()

    def wrap(self, part: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.counts[part] += 1
            with self(part):
                return fn(*args, **kwargs)

        return timed


def load_pool(n: int) -> tuple[list[dict], dict]:
    """``n`` articles of the largest gold stories (largest first) and the held-out new article."""
    with DATA.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    sizes = Counter(r["story"] for r in rows)
    first = {}
    for k, r in enumerate(rows):
        first.setdefault(r["story"], k)
    order = sorted(sizes, key=lambda s: (-sizes[s], first[s]))
    largest = order[0]
    held = max((r for r in rows if r["story"] == largest), key=lambda r: (r["published"] or "", r["id"]))
    by_story: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r is not held:
            by_story[r["story"]].append(r)
    pool = [r for s in order for r in by_story[s]]
    if len(pool) < n:
        raise SystemExit(f"only {len(pool)} articles in duc-stories")
    return pool[:n], held


def as_article(row: dict) -> Any:
    from storydesk.model import Article

    return Article(
        id=row["id"],
        title=row.get("title") or "",
        text=row["text"],
        outlet=row.get("outlet"),
        published=row.get("published"),
    )


class Instrumented:
    """Wraps the parts of a briefing with a :class:`Clock` for the duration of a ``with`` block."""

    def __init__(self, clock: Clock, options: Any) -> None:
        self.clock = clock
        self.options = options
        self.saved: list[tuple[Any, str, Any]] = []

    def patch(self, module: Any, name: str, value: Any) -> None:
        self.saved.append((module, name, getattr(module, name)))
        setattr(module, name, value)

    def __enter__(self) -> Instrumented:
        import numpy as np

        import storydesk.brief as brief
        import storydesk.brief.facts as facts
        import storydesk.brief.summarize as summarize_pkg
        import storydesk.brief.summarize.extractive as extractive
        from storydesk.brief.corroborate import alignment, claims

        c = self.clock
        steps = extractive.SummarySteps()
        timed_steps = replace(
            steps,
            candidates=c.wrap("summary: candidates", steps.candidates),
            concept_weights=c.wrap("summary: concept weights", steps.concept_weights),
            embed=c.wrap("summary: vectors", steps.embed),
            salience_bonus=c.wrap("summary: salience", steps.salience_bonus),
            expected=c.wrap("summary: reference model", steps.expected),
            select=c.wrap("summary: selection", steps.select),
            order=c.wrap("summary: order", steps.order),
            cite=c.wrap("summary: citations", steps.cite),
        )
        summarize = summarize_pkg.summarize

        def timed_summarize(*args: Any, **kwargs: Any) -> Any:
            with c("summary"):
                return summarize(*args, **kwargs, steps=timed_steps)

        self.patch(summarize_pkg, "summarize", timed_summarize)
        self.patch(summarize_pkg, "headline", c.wrap("headline", summarize_pkg.headline))
        self.patch(brief, "analyse_articles", c.wrap("analyse", brief.analyse_articles))
        self.patch(facts, "merge_entities", c.wrap("facts: actors + quotes", facts.merge_entities))
        self.patch(facts, "_resolve_quotes", c.wrap("facts: actors + quotes", facts._resolve_quotes))
        self.patch(facts, "_timeline", c.wrap("facts: timeline", facts._timeline))
        self.patch(facts, "corroborate", c.wrap("claims", facts.corroborate))
        story_facts = facts.story_facts

        def timed_story_facts(*args: Any, **kwargs: Any) -> Any:
            embedder = kwargs["embedder"]

            class TimedEmbedder:
                def __getattr__(self, attr: str) -> Any:
                    return getattr(embedder, attr)

                def embed(self, texts: Any) -> Any:
                    with c("facts: vectors"):
                        return embedder.embed(texts)

            with c("facts"):
                return story_facts(*args, **{**kwargs, "embedder": TimedEmbedder()})

        self.patch(facts, "story_facts", timed_story_facts)
        align = claims._align
        opts = self.options

        def timed_align(sts: Any, vec: Any, *args: Any) -> Any:
            with c("bench overhead"):  # not the briefing's: subtracted from the claims
                with c("claims: cosine matrix"):  # the same product as _align's, timed alone
                    sims = vec @ vec.T if len(vec) else np.zeros((0, 0))
                low = min(opts.align_cosine, opts.dispute_cosine, opts.anchor_align_cosine)
                rows, cols = np.nonzero(np.triu(sims >= low * 0.75, k=1))
                article = np.array([s.article_id for s in sts])
                c.counts["statements"] += len(sts)
                c.counts["candidate pairs"] += int(np.count_nonzero(article[rows] != article[cols]))
            with c("claims: align"):
                return align(sts, vec, *args)

        self.patch(claims, "_align", timed_align)
        self.patch(claims, "rare_names", c.wrap("claims: rare_names", claims.rare_names))
        if hasattr(claims, "decide_pair"):  # every pair decided (before the screen and the memo)
            decided = c.wrap("pairs: decided", claims.decide_pair)
            self.patch(claims, "decide_pair", c.wrap("claims: decide_pair", decided))
        else:  # through the per-process memo: its lookups timed, the decisions it makes counted
            from storydesk.brief.corroborate import memo

            self.patch(memo.pair_memo, "decide", c.wrap("claims: decide_pair", memo.pair_memo.decide))
            self.patch(memo, "decide_pair", c.wrap("pairs: decided", memo.decide_pair))
        self.patch(
            alignment, "lexically_aligned", c.wrap("pairs: lexically_aligned", alignment.lexically_aligned)
        )
        self.patch(alignment, "find_conflict", c.wrap("pairs: find_conflict", alignment.find_conflict))
        return self

    def __exit__(self, *exc: object) -> None:
        for module, name, value in reversed(self.saved):
            setattr(module, name, value)


def one_run(story: Any, articles: dict, components: Any, stored: dict, warm: bool) -> Clock:
    from storydesk.brief import brief_story_analyses
    from storydesk.brief.corroborate import words
    from storydesk.render import render

    if not warm:
        words.clear_caches()
        from storydesk.brief.corroborate import claims

        clear = getattr(claims, "clear_decisions", None)  # the pair decisions' cache, where there is one
        if clear is not None:
            clear()
    clock = Clock()
    options = components.brief_options.facts.claims
    with Instrumented(clock, options):
        with clock("whole briefing"):
            briefing, _ = brief_story_analyses(story, articles, components, stored=stored)
            with clock("render"):
                render([briefing], "json")
                render([briefing], "html")
    s = clock.seconds
    s["summary: other"] = s["summary"] - sum(s[p] for p in PARTS if p.startswith("summary: "))
    s["claims"] -= s["bench overhead"]
    s["claims: align other"] = (
        s["claims: align"] - s["claims: rare_names"] - s["claims: decide_pair"] - s["claims: cosine matrix"]
    )
    s["claims: other"] = s["claims"] - s["claims: align"]
    s["facts (no claims)"] = s["facts"] - s["bench overhead"] - s["claims"]
    s["whole briefing"] -= s["bench overhead"]
    s["facts: other"] = s["facts (no claims)"] - sum(
        s[p] for p in ("facts: actors + quotes", "facts: vectors", "facts: timeline")
    )
    return clock


def slope(xs: list[int], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,20,40,80", help="story sizes before the new article joins")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest is printed")
    ap.add_argument("--warm", action="store_true", help="keep the per-process caches between runs")
    args = ap.parse_args()
    sizes = sorted(int(x) for x in args.sizes.split(","))

    from storydesk.brief import brief_story_analyses
    from storydesk.components import Components
    from storydesk.config import Settings
    from storydesk.model import Story

    pool_rows, held_row = load_pool(sizes[-1])
    pool = [as_article(r) for r in pool_rows]
    new = as_article(held_row)
    articles = {a.id: a for a in [*pool, new]}
    components = Components(Settings(db=":memory:", workers=0))
    started = time.process_time()
    _, to_store = brief_story_analyses(Story("all", tuple(articles)), articles, components)
    stored = {s.article_id: s for s in to_store}
    print(
        f"# analyses of {len(stored)} articles made by one cold briefing: {time.process_time() - started:.1f} CPU s;"
        f" load average {os.getloadavg()[0]:.1f}"
    )

    embedded = Counter[str]()
    base = components.embedder

    class Counting:  # counts the texts a timed run still had to embed (none: every vector is stored)
        def __getattr__(self, attr: str) -> Any:
            return getattr(base, attr)

        def embed(self, texts: Any) -> Any:
            embedded["texts"] += len(texts)
            return base.embed(texts)

    components._embedder = Counting()
    results: dict[int, Clock] = {}
    for n in sizes:
        story = Story(f"s{n}", tuple(a.id for a in pool[:n]) + (new.id,))
        best: Clock | None = None
        for _ in range(args.repeat):
            clock = one_run(story, articles, components, stored, args.warm)
            if best is None or clock.seconds["whole briefing"] < best.seconds["whole briefing"]:
                best = clock
        assert best is not None
        results[n] = best

    print(
        f"# load average after: {os.getloadavg()[0]:.1f}; {'warm' if args.warm else 'cold'} caches;"
        f" fastest of {args.repeat}; texts embedded by the timed runs: {embedded['texts']}"
    )
    xs = [n + 1 for n in sizes]
    head = f"{'part (ms)':28}" + "".join(f"{n}+1".rjust(9) for n in sizes) + f"{'ms/article':>12}"
    print(head)
    for part in [*PARTS, *TOTALS]:
        ys = [results[n].seconds.get(part, 0.0) * 1000 for n in sizes]
        print(f"{part:28}" + "".join(f"{y:9.1f}" for y in ys) + f"{slope(xs, ys):12.2f}")
    counts = {
        "statements": "# statements",
        "candidate pairs": "# candidate pairs",
        "claims: decide_pair": "# pairs to decide",
        "pairs: decided": "# decide_pair calls",
        "pairs: lexically_aligned": "# lexically_aligned calls",
        "pairs: find_conflict": "# find_conflict calls",
    }
    for count, label in counts.items():
        ys = [float(results[n].counts.get(count, 0)) for n in sizes]
        print(f"{label:28}" + "".join(f"{y:9.0f}" for y in ys) + f"{slope(xs, ys):12.2f}")


if __name__ == "__main__":
    main()
