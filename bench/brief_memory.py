"""Does a long-running briefing process keep flat memory under the default settings (MiniLM + facts)?

One process briefs the gold stories of ../shared/data/stories/duc-stories.jsonl, then the same stories
again as replicas in their own vocabulary (``bench/throughput.py``'s replicas: fresh ids, shifted dates,
every name and long word marked), pass after pass, the way an ``ingest`` worker briefs story after story
for hours. Every pass is new text, so no per-text cache can answer it. After each pass it prints the
process's RSS, its peak RSS so far (what ``bench/throughput.py`` reports per worker: the goal of #17 is a
briefing process under 600 MB) and its ms per article; at the end the ratio of the last pass's RSS (and
peak) to the first's (flat memory: close to 1 while the articles briefed grow ``--passes``-fold), the RSS
with both models loaded and nothing briefed, and the CPU ms per article.

No peer: this measures storydesk against itself (``bench/throughput.py`` holds the peers).

Usage::

    python bench/brief_memory.py               # 3 passes of 1,067 articles (~10 min on 2 cores)
    python bench/brief_memory.py --passes 5 --malloc-trim --clear-caches
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import resource
import time
from collections import defaultdict

from throughput import as_article, load, replicate


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clear_caches(components: object) -> None:
    """Empty the bounded caches a briefing process keeps: per-article facts, claim texts, stems, and the
    embedder's recent vectors."""
    from storydesk import text
    from storydesk.analyse import _facts
    from storydesk.brief.corroborate import words

    _facts._cache.clear()
    words.clear_caches()
    text.stem.cache_clear()
    cache = getattr(components.embedder, "_cache", None)  # type: ignore[attr-defined]
    if cache is not None:
        cache.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument(
        "--malloc-trim", action="store_true", help="glibc malloc_trim(0) after every story (to compare)"
    )
    parser.add_argument(
        "--clear-caches",
        action="store_true",
        help="empty storydesk's bounded per-process caches after every story (to tell their filling from growth)",
    )
    args = parser.parse_args()

    from storydesk.config import Settings
    from storydesk.model import Story
    from storydesk.pipeline import Components, brief_story

    trim = ctypes.CDLL("libc.so.6").malloc_trim if args.malloc_trim else None
    try:  # what a briefing worker of this checkout does after each briefing (#17), if it does anything
        from storydesk.workers._memory import release_free_memory
        from storydesk.workers.rules import RELEASE_MEMORY_AFTER_BRIEFING as worker_releases
    except ImportError:
        worker_releases = False
    print(f"as a briefing worker: heap returned after each briefing: {'yes' if worker_releases else 'no'}")
    rows = load()
    components = Components(Settings())  # the default settings: MiniLM, facts on
    components.nlp, components.embedder  # noqa: B018 (load both models first: their share is printed)
    loaded = rss_mb()
    figures: list[float] = []
    peaks: list[float] = []
    cpu_started, total = time.process_time(), 0
    for k in range(args.passes):
        replica = replicate(rows, len(rows) * (k + 1))[len(rows) * k :]
        articles = {r["id"]: as_article(r) for r in replica}
        stories: dict[str, list[str]] = defaultdict(list)
        for r in replica:
            stories[r["story"]].append(r["id"])
        started = time.perf_counter()
        for name, ids in stories.items():
            brief_story(Story(f"story-{name}", tuple(ids)), articles, components)
            if worker_releases:
                release_free_memory()
            if args.clear_caches:
                clear_caches(components)
            if trim is not None:
                gc.collect()
                trim(0)
        ms = 1000 * (time.perf_counter() - started) / len(articles)
        total += len(articles)
        cpu = 1000 * (time.process_time() - cpu_started)
        figures.append(rss_mb())
        peaks.append(peak_mb())
        print(
            f"pass {k + 1}: {len(articles)} articles in {len(stories)} stories, {ms:.0f} ms/article, "
            f"RSS {figures[-1]:.0f} MB, peak RSS so far {peaks[-1]:.0f} MB",
            flush=True,
        )
    print(
        f"RSS after the last pass / after the first: {figures[-1] / figures[0]:.2f} "
        f"({args.passes}x the articles); peak RSS {peaks[-1]:.0f} MB, "
        f"after the last pass / after the first: {peaks[-1] / peaks[0]:.2f}; "
        f"models loaded: {loaded:.0f} MB; CPU {cpu / total:.0f} ms per article"
    )


if __name__ == "__main__":
    main()
