"""Does a long-running briefing process keep flat memory under the default settings (MiniLM + facts)?

One process briefs the gold stories of ../shared/data/stories/duc-stories.jsonl, then the same stories
again as replicas in their own vocabulary (``bench/throughput.py``'s replicas: fresh ids, shifted dates,
every name and long word marked), pass after pass, the way an ``ingest`` worker briefs story after story
for hours. Every pass is new text, so no per-text cache can answer it. After each pass it prints the
process's RSS, its peak RSS so far (what ``bench/throughput.py`` reports per worker: the goal of #17 is a
briefing process under 600 MB) and its ms per article; at the end the ratio of the last pass's RSS (and
peak) to the first's (flat memory: close to 1 while the articles briefed grow ``--passes``-fold), the RSS
with both models loaded and nothing briefed, and the CPU ms per article. It briefs as a briefing worker
does: with the worker's components (its smaller caches, where this checkout has them), through
``brief_story_analyses`` asked for the analyses to store, the heap trimmed after each briefing (where the
checkout's workers do). After each pass it also prints what can grow: spaCy's string store and lexemes,
the resident ``[heap]`` and other anonymous mappings, and the megabytes each per-process cache holds.

No peer: this measures storydesk against itself (``bench/throughput.py`` holds the peers).

Usage::

    python bench/brief_memory.py               # 3 passes of 1,067 articles (~10 min on 2 cores)
    python bench/brief_memory.py --passes 5 --malloc-trim --clear-caches
    python bench/brief_memory.py --passes 2 --articles 250   # a quick look
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import resource
import sys
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


def mapped_mb() -> tuple[float, float]:
    """Resident MB of the ``[heap]`` mapping (glibc's main arena) and of every other anonymous mapping
    (other malloc arenas, mmapped blocks, the models' buffers), from ``/proc/self/smaps``."""
    heap = anon = 0
    name = ""
    with open("/proc/self/smaps", encoding="ascii", errors="replace") as fh:
        for line in fh:
            first = line.split(maxsplit=6)
            if "-" in first[0] and len(first) >= 5 and not first[0].endswith(":"):
                name = first[5].strip() if len(first) > 5 else ""
            elif first[0] == "Rss:":
                kb = int(first[1])
                if name == "[heap]":
                    heap += kb
                elif name == "":
                    anon += kb
    return heap / 1024, anon / 1024


def deep_bytes(obj: object, seen: set[int]) -> int:
    """The bytes of ``obj`` and of everything it holds that ``seen`` has not counted yet (containers,
    slotted and plain objects, numpy arrays' buffers)."""
    import numpy as np

    stack, total = [obj], 0
    while stack:
        o = stack.pop()
        if id(o) in seen or o is None or isinstance(o, (bool, type)):
            continue
        seen.add(id(o))
        total += sys.getsizeof(o)
        if isinstance(o, np.ndarray):
            total += 0 if o.base is not None else 0  # getsizeof counts an owned buffer already
            if o.base is not None:
                stack.append(o.base)
        elif isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, (tuple, list, set, frozenset)):
            stack.extend(o)
        elif not isinstance(o, (str, bytes, int, float)):
            stack.extend(getattr(o, name) for name in getattr(type(o), "__slots__", ()) if hasattr(o, name))
            stack.extend(getattr(o, "__dict__", {}).values())
    return total


def lru_entries(func: object) -> dict[object, object]:
    """An ``functools.lru_cache`` function's cached results by argument (single-argument functions: the
    cache's keys are the arguments; asking again answers from the cache)."""
    for ref in gc.get_referents(func):
        if isinstance(ref, dict) and all(type(v).__name__ == "_lru_list_elem" for v in ref.values()):
            return {k: func(k) for k in list(ref)}  # type: ignore[operator]
    return {}


def cache_mb(components: object) -> str:
    """Megabytes each of storydesk's per-process caches holds (entries in brackets)."""
    from storydesk import text
    from storydesk.analyse import _facts
    from storydesk.brief.corroborate import memo, words

    caches: dict[str, object] = {
        "facts": _facts._cache,
        "vectors": getattr(components.embedder, "_cache", {}),  # type: ignore[attr-defined]
        "stems": lru_entries(text.stem),
        "pair memo": getattr(getattr(memo, "pair_memo", None), "_seen", {}),
    }
    for func in (
        words.word_bag,
        words.word_occurrences,
        words.quantities,
        words.names,
        words.claim_context,
        words.information,
    ):
        caches[func.__name__] = lru_entries(func)
    return ", ".join(
        f"{name} {deep_bytes(c, set()) / 2**20:.1f} MB ({len(c):,})" for name, c in caches.items()
    )  # type: ignore[arg-type]


def held(components: object) -> str:
    """What a briefing process holds that can grow: spaCy's string store and lexemes, the facts cache's
    articles, the embedder's cached vectors. The lexemes are counted in the vocabulary's index: spaCy's own
    count (``len(nlp.vocab)``) also counts those a memory zone has freed again (spaCy 3.8.x never lowers
    it), so it grows with every new word while the vocabulary does not."""
    from storydesk.analyse import _facts

    nlp = components.nlp  # type: ignore[attr-defined]
    cache = getattr(components.embedder, "_cache", None)  # type: ignore[attr-defined]
    heap, anon = mapped_mb()
    return (
        f"strings {len(nlp.vocab.strings):,}, lexemes {sum(1 for _ in nlp.vocab):,} "
        f"(spaCy's counter {len(nlp.vocab):,}), facts cached {len(_facts._cache):,}, "
        f"vectors cached {len(cache) if cache is not None else 0:,}, [heap] {heap:.0f} MB, other anonymous {anon:.0f} MB"
    )


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
        "--articles", type=int, default=0, help="brief only the first N gold articles per pass (a quick look)"
    )
    parser.add_argument(
        "--malloc-trim", action="store_true", help="glibc malloc_trim(0) after every story (to compare)"
    )
    parser.add_argument(
        "--clear-caches",
        action="store_true",
        help="empty storydesk's bounded per-process caches after every story (to tell their filling from growth)",
    )
    args = parser.parse_args()

    from storydesk.brief import StoreWhat, brief_story_analyses
    from storydesk.config import Settings
    from storydesk.model import Story
    from storydesk.pipeline import Components

    trim = ctypes.CDLL("libc.so.6").malloc_trim if args.malloc_trim else None
    try:  # what a briefing worker of this checkout does after each briefing (#17), if it does anything
        from storydesk.workers._memory import release_free_memory
        from storydesk.workers.rules import RELEASE_MEMORY_AFTER_BRIEFING as worker_releases
    except ImportError:
        worker_releases = False
    print(f"as a briefing worker: heap returned after each briefing: {'yes' if worker_releases else 'no'}")
    rows = load()[: args.articles or None]
    try:  # a briefing worker's malloc settings (#17), if any, first: before a model starts its threads
        from storydesk.workers._memory import tune_malloc
        from storydesk.workers.brief_pool import WORKER_MALLOC

        print(f"as a briefing worker: malloc {WORKER_MALLOC}: {tune_malloc(WORKER_MALLOC)}")
    except ImportError:
        print("as a briefing worker: malloc as the C library has it")
    try:  # a briefing worker's components: its smaller caches of what the store holds (#17), if any
        from storydesk.workers.brief_pool import WorkerCaches, worker_components

        components = worker_components(Settings(), WorkerCaches())  # the default settings: MiniLM, facts on
        print(f"as a briefing worker: caches {WorkerCaches()}")
    except ImportError:
        components = Components(Settings())
        print("as a briefing worker: the caches of any other process")
    # what a briefing worker is asked for: the briefing and the analyses to store (so it briefs through a
    # KnownVectors, as a worker does)
    keep = StoreWhat(vectors=components.stores_vectors)
    components.nlp, components.embedder  # noqa: B018 (load both models first: their share is printed)
    loaded = rss_mb()
    print(f"models loaded: RSS {loaded:.0f} MB; {held(components)}", flush=True)
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
            brief_story_analyses(Story(f"story-{name}", tuple(ids)), articles, components, keep=keep)
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
            f"RSS {figures[-1]:.0f} MB, peak RSS so far {peaks[-1]:.0f} MB; {held(components)}",
            flush=True,
        )
        print(f"  caches: {cache_mb(components)}", flush=True)
    print(
        f"RSS after the last pass / after the first: {figures[-1] / figures[0]:.2f} "
        f"({args.passes}x the articles); peak RSS {peaks[-1]:.0f} MB, "
        f"after the last pass / after the first: {peaks[-1] / peaks[0]:.2f}; "
        f"models loaded: {loaded:.0f} MB; CPU {cpu / total:.0f} ms per article"
    )


if __name__ == "__main__":
    main()
