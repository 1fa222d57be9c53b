"""The group stage: near-duplicates folded, the rest clustered into stories.

::

    dedup (MinHash LSH over 5-word shingles) → document vectors (embed) → cluster (batch or streaming)

:func:`group_articles` does it for a batch held in memory; :class:`StoryIndex` for a stream, one article at a
time over what a store already holds (``storydesk ingest``). Both take a :class:`GroupOptions`, built once
from the settings (:meth:`GroupOptions.from_settings`).

Modules: ``dedup`` (near-duplicates), ``embed`` (document vectors), ``cluster/`` (batch and streaming
clustering, a package), ``features`` (what an extraction worker makes ahead), ``index`` (the streaming
index), ``options``; thresholds in ``rules.py`` (dedup, embed) and ``cluster/rules.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..model import Article, Story, article_sort_key
from .cluster import ClusterOptions, cluster_articles
from .dedup import DedupOptions, find_near_duplicates
from .embed import embed_documents
from .features import Prepared, prepare
from .index import StoryIndex
from .options import GroupOptions

__all__ = [
    "Grouping",
    "group_articles",
    "StoryIndex",
    "GroupOptions",
    "DedupOptions",
    "ClusterOptions",
    "Prepared",
    "prepare",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Grouping:
    stories: list[Story]
    duplicates: dict[str, str]
    vectors: dict[str, np.ndarray] = field(default_factory=dict)


def group_articles(articles: Sequence[Article], embedder: Any, options: GroupOptions) -> Grouping:
    """Fold near-duplicates, then cluster what is left into stories (largest first)."""
    unique_by_id = {a.id: a for a in articles}
    articles = sorted(unique_by_id.values(), key=article_sort_key)
    duplicates = find_near_duplicates(articles, options.dedup)
    log.info("dedup: %d near-duplicates folded", len(duplicates))
    kept = [a for a in articles if a.id not in duplicates]
    vectors = embed_documents(embedder, kept) if kept else np.zeros((0, 1), dtype=np.float32)
    log.info("embed: %d document vectors", len(kept))
    stories = cluster_articles(kept, vectors, embedder=embedder, options=options.cluster)
    log.info("cluster: %d stories", len(stories))
    folded: dict[str, list[str]] = {}
    for dup, canon in duplicates.items():
        folded.setdefault(canon, []).append(dup)
    stories = [
        Story(
            s.id,
            s.article_ids,
            {a: tuple(sorted(folded[a])) for a in s.article_ids if a in folded},
            s.related,
        )
        for s in stories
    ]
    return Grouping(stories, duplicates, {a.id: vectors[i] for i, a in enumerate(kept)})
