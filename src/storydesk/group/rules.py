"""Rules and thresholds of near-duplicate folding (dedup.py) and document vectors (embed.py).

They are the defaults of :class:`~storydesk.group.dedup.DedupOptions` and
:class:`~storydesk.group.embed.EmbedderOptions`. Clustering has its own: :mod:`storydesk.group.cluster.rules`.
"""

from __future__ import annotations

# -- dedup ---------------------------------------------------------------------------------------------

#: Two articles are near-duplicates when the MinHash estimate of the Jaccard similarity of their shingles
#: reaches this (``dedup_threshold`` in the settings).
DEDUP_THRESHOLD = 0.8
#: MinHash permutations per article.
NUM_PERM = 128
#: Words per shingle. Features made ahead of dedup (by extraction workers) use it too, so it is not an option.
SHINGLE_WORDS = 5
#: LSH finds candidates at a lower threshold than the confirmation so that few true pairs are missed.
LSH_SLACK = 0.2
#: An indexed article published more than this many days before the newest one seen is forgotten (its
#: later copies are no longer folded into it). On duc-stories.jsonl every pair of articles with shingle
#: Jaccard >= 0.5 was published at most 3 days apart; 30 leaves a wide margin for late re-posts.
DEDUP_HORIZON_DAYS = 30
#: Undated articles have no age: the index keeps the most recent this many of them (first in, first out).
DEDUP_MAX_UNDATED = 20_000

# -- embed ---------------------------------------------------------------------------------------------

#: MiniLM reads at most this many word pieces per text (the model was trained on 256).
MAX_TOKENS = 256
#: Most texts per onnxruntime call (texts are sorted by length first, so padding stays small).
BATCH_SIZE = 32
#: ... and at most this many rows × width² (word pieces) per call: attention costs the square of the width,
#: and onnxruntime keeps the memory of its largest call. Document vectors (256 word pieces) in batches of
#: 32 took a process to 1.5 GB; with this bound, 2 of them per call, 340 MB, and 400 documents embed in
#: 12.0 s instead of 15.8 s (same vectors, cosine ≥ 0.9999998). Short sentences still go 32 at a time.
MAX_BATCH_CELLS = 131_072
#: onnxruntime intra-op threads.
ONNX_THREADS = 2
#: Whether onnxruntime's idle threads spin waiting for work. Off: on a machine with more busy threads
#: than cores (the ingesting process and a briefing worker each run MiniLM on 2 threads, on 2 cores)
#: spinning threads burn the cycles the others need. 1,660 duc-stories sentences, 2 threads, on a
#: loaded 2-core machine: 20.8 CPU s spinning, 14.7 s not (1 thread: 13.6 s); same vectors.
ONNX_SPIN = False
#: Whether onnxruntime keeps a CPU memory arena (``SessionOptions.enable_cpu_mem_arena``). Off: the arena
#: keeps the memory of the largest call for the life of the process (a briefing worker's sentences and an
#: ingesting process's document vectors), never returning it. 1,178 sentences and 150 documents of
#: duc-stories through one embedder: 422 MB resident after with the arena, 290 MB without, the same vector
#: bits (``python bench/brief_memory.py --passes 3`` gives the worker's figures, docs/pipeline.md).
ONNX_MEMORY_ARENA = False
#: Vectors of this many recent distinct texts are kept per MiniLM embedder (384 floats each: ~1.6 kB; at
#: most ~35 MB): a briefing embeds the summary's candidate sentences, then the facts layer the same
#: sentences again, and a growing story is briefed again with the sentences it had.
CACHE_TEXTS = 20_000
#: Dimensions of the hashing (model-free) embedder.
EMBED_HASH_FEATURES = 2**12
#: A document vector reads the title and this many leading paragraphs (measured on duc-stories: the lead
#: carries the event; later paragraphs drift into background and lower story separation).
DOC_PARAGRAPHS = 3
#: ... and at most this many characters of them (MiniLM truncates at 256 word pieces anyway).
DOC_CHARS = 1500
