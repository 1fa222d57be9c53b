"""Summary speed: storydesk's product-mode ``summarize()`` against sumy's LexRank on the same stories.

The 1,067 articles of ``duc-stories.jsonl`` are grouped by their gold ``story`` field (84 stories of 8–26
articles). Articles are analysed (split into sentences) once beforehand, as the brief stage does before
it calls ``summarize()``; vectors come from the model-free ``"tfidf"`` embedder, whose time is measured and reported apart (the
figure "excl. embedding" subtracts it). sumy's LexRank (``storydesk.eval.summarization.sumy_summary``,
100 words) runs on the same stories in the same process, as the peer.

    .venv/bin/python bench/summary_speed.py [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"


class TimedEmbedder:
    """Wraps an embedder and adds up the seconds spent in ``embed``."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.seconds = 0.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        t0 = time.perf_counter()
        try:
            return self.inner.embed(texts)
        finally:
            self.seconds += time.perf_counter() - t0


def load_groups(path: Path) -> list[list]:  # type: ignore[type-arg]
    """The articles of ``path`` grouped by their gold story, each group in date order."""
    from storydesk.model import Article

    groups: dict[str, list[Article]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            article = Article(
                id=r["id"], title=r.get("title") or "", text=r["text"], published=r.get("published")
            )
            groups.setdefault(r["story"], []).append(article)
    return [sorted(g, key=lambda a: (a.published or "", a.id)) for g in groups.values()]


def time_storydesk(stories: list[list], repeat: int) -> dict:  # type: ignore[type-arg]
    """Median over ``repeat`` runs of the seconds for all stories, with and without embedding."""
    from storydesk.analyse import analyse_article
    from storydesk.brief.summarize import SummaryOptions, summarize
    from storydesk.group.embed import get_embedder

    analysed = [{a.id: analyse_article(a) for a in story} for story in stories]
    options = SummaryOptions(max_sentences=5)
    totals, embeds = [], []
    for _ in range(repeat):
        embedder = TimedEmbedder(get_embedder("tfidf"))
        t0 = time.perf_counter()
        for story, analyses in zip(stories, analysed, strict=True):
            summarize(story, options, embedder=embedder, analyses=analyses)
        totals.append(time.perf_counter() - t0)
        embeds.append(embedder.seconds)
    total, embed = statistics.median(totals), statistics.median(embeds)
    n = len(stories)
    return {
        "system": "storydesk summarize (max_sentences=5, tfidf)",
        "ms_per_story": round(1000 * total / n, 1),
        "ms_per_story_excl_embedding": round(1000 * (total - embed) / n, 1),
        "stories_per_s": round(n / total, 1),
    }


def time_lexrank(stories: list[list]) -> dict:  # type: ignore[type-arg]
    from storydesk.eval.summarization import sumy_summary

    t0 = time.perf_counter()
    for story in stories:
        sumy_summary(story, "lexrank", words=100)
    total = time.perf_counter() - t0
    n = len(stories)
    return {
        "system": "sumy LexRank (100 words)",
        "ms_per_story": round(1000 * total / n, 1),
        "stories_per_s": round(n / total, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of storydesk; the median is kept")
    parser.add_argument("--no-peer", action="store_true", help="skip sumy LexRank")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    stories = load_groups(DATA)
    rows = [time_storydesk(stories, args.repeat)]
    if not args.no_peer:
        rows.append(time_lexrank(stories))
        rows[0]["speed_vs_lexrank"] = round(rows[1]["ms_per_story"] / rows[0]["ms_per_story"], 2)
    report = {"stories": len(stories), "articles": sum(map(len, stories)), "rows": rows}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{report['stories']} stories, {report['articles']} articles")
    for row in rows:
        extra = {k: v for k, v in row.items() if k != "system"}
        print(f"  {row['system']:<48} " + "  ".join(f"{k}={v}" for k, v in extra.items()))


if __name__ == "__main__":
    main()
