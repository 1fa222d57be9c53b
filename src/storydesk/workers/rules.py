"""Sizes of the worker pools: how work is handed to worker processes, and how many start."""

from __future__ import annotations

#: Documents sent to an extraction worker at a time.
CHUNK = 64

#: Chunks in flight per extraction worker: enough that the ingesting process never waits while a worker
#: is busy.
AHEAD = 4

#: Documents extracted in the ingesting process before an extraction worker is started: a short run (a few
#: files, one upload) never pays for starting a process.
IN_PROCESS = 256

#: Most worker processes ``workers = -1`` (automatic) starts, of each pool.
MAX_AUTO_WORKERS = 4

#: How often a worker checks that the process that started it is still alive (seconds); on Linux the
#: kernel also ends it at once (PR_SET_PDEATHSIG), this is the fallback.
LIFELINE_POLL_S = 0.5

#: How long stopping a pool waits for its workers to end after SIGTERM before it kills them (seconds).
STOP_GRACE_S = 2.0

#: Whether a briefing worker hands the heap memory it freed back to the operating system after each
#: briefing (glibc ``malloc_trim``; elsewhere nothing is done). A briefing frees most of what it took
#: (parses, vectors, matrices), but glibc keeps the freed pages of its heap: one process briefing the first
#: 400 duc-stories articles (default settings) held 604 MB resident, 432 MB after one ``malloc_trim(0)``,
#: while emptying the facts and vector caches returned nothing. A trim costs a few milliseconds; a briefing
#: hundreds. ``python bench/brief_memory.py --passes 3`` gives the worker's figures (docs/pipeline.md).
RELEASE_MEMORY_AFTER_BRIEFING = True

#: Texts whose MiniLM vectors a briefing worker's embedder keeps (``EmbedderOptions.cache_texts``; 20,000 in
#: other processes). A worker briefs from stored analyses (#17): each briefing's ``KnownVectors`` holds the
#: vectors of its story's texts, read from the store or computed once, and what it computed is stored with
#: the story, so the embedder's own cache answered almost nothing there while holding up to ~33 MB.
BRIEF_WORKER_CACHE_TEXTS = 1_000

#: Articles whose facts a briefing worker keeps (``AnalysisOptions.cache_articles``; 2,048 in other
#: processes, ~19 MB when full): a worker reads the facts of a story's older articles from their stored
#: analyses, so its cache served only articles briefed twice before their analyses were stored.
BRIEF_WORKER_FACTS_ARTICLES = 128

#: The most malloc arenas a briefing worker's threads allocate from (glibc ``M_ARENA_MAX``; 0: glibc's
#: default, 8 per core). Left as it is: with the mmap threshold below, the large blocks a model's threads
#: free are unmapped at once, and a bound on arenas was not measured to lower a worker's peak.
BRIEF_WORKER_MALLOC_ARENAS = 0

#: The size from which a briefing worker's malloc maps a block on its own (glibc ``M_MMAP_THRESHOLD``,
#: bytes), so that a parse's and a model call's large transient buffers (onnxruntime's attention scores
#: alone are megabytes, and without its arena it allocates them on each call) go back to the system when
#: freed instead of staying in the heap: glibc raises its threshold after each large block freed, up to
#: 32 MB, a fixed one stays. 150 duc-stories articles briefed as a worker (``python bench/brief_memory.py
#: --passes 1 --articles 150``, the worker's caches, three runs side by side, load average ~11): peak RSS
#: 606 MB and 402 CPU ms per article with glibc's settings, 500 MB and 426 ms with 1 MB (and the trim
#: threshold below), 483 MB and 441 ms with 256 kB: each block mapped costs page faults, so the smaller
#: threshold's further 17 MB were not worth its CPU.
BRIEF_WORKER_MMAP_THRESHOLD = 1 << 20

#: The free memory at the top of a briefing worker's heap from which glibc returns it at once (glibc
#: ``M_TRIM_THRESHOLD``, bytes). Fixing the mmap threshold fixes this one too, at 128 kB, which returns
#: and takes back memory on many a ``free``; a worker trims its whole heap after each briefing anyway
#: (``RELEASE_MEMORY_AFTER_BRIEFING``). 256 kB without it: +13 % CPU per article, with it +10 %.
BRIEF_WORKER_TRIM_THRESHOLD = 32 << 20
