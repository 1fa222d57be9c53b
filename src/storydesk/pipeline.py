"""The one place that knows the order of the stages.

::

    read_articles   ingest.read_inputs → extract.extract_article        (RawDocument → Article | Failure)
    group           dedup.find_near_duplicates → embed → cluster         (Articles → Grouping)
    brief_story     sentences → summarize → headline → facts             (Story → Briefing)

Each step takes records and settings and returns records; none of them touches SQL, HTTP or click.
The streaming variant used by ``storydesk ingest`` lives in :class:`StoryIndex`: the same dedup and
clustering components, fed one article at a time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .config import Settings
from .errors import StorydeskError
from .model import Article, ArticleRef, Briefing, Failure, Story

__all__ = [
    "Components",
    "Grouping",
    "read_articles",
    "group",
    "brief_story",
    "StoryIndex",
    "article_sort_key",
]

log = logging.getLogger(__name__)


class StageTimer:
    """Wall-clock seconds spent per stage, for benchmarks and ``-v`` logs."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start

    def iterate(self, stage: str, items: Iterable[Any]) -> Iterator[Any]:
        """Yield from ``items``, counting the time spent producing each one as ``stage``."""
        it = iter(items)
        while True:
            with self(stage):
                try:
                    item = next(it)
                except StopIteration:
                    return
            yield item


class Components:
    """The swappable stages, built once from settings and loaded lazily (models are heavy)."""

    def __init__(self, settings: Settings, *, embedder: Any = None, nlp: Any = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._nlp = nlp
        self.timer = StageTimer()

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from .embed import get_embedder

            self._embedder = get_embedder(self.settings.embedder)
        return self._embedder

    @cached_property
    def nlp(self) -> Any:
        if self._nlp is not None:
            return self._nlp
        from .analyse._nlp import load_pipeline

        return load_pipeline(self.settings.spacy_model)


@dataclass(frozen=True)
class Grouping:
    stories: list[Story]
    duplicates: dict[str, str]
    vectors: dict[str, np.ndarray] = field(default_factory=dict)


def article_sort_key(a: Article) -> tuple[str, str]:
    return (a.published or "9999", a.id)


def read_articles(paths: Iterable[str | Path], settings: Settings) -> Iterator[Article | Failure]:
    """Every input as an Article, or a Failure naming it and the reason; never raises for bad input."""
    from .extract import extract_article
    from .ingest import read_inputs

    for item in read_inputs(paths, max_file_bytes=settings.max_file_mb * 2**20):
        if isinstance(item, Failure):
            yield item
            continue
        try:
            yield extract_article(item)
        except StorydeskError as exc:
            yield Failure(item.origin, getattr(exc, "reason", str(exc)))
        except Exception as exc:  # one bad article never stops a batch
            log.exception("unexpected error extracting %s", item.origin)
            yield Failure(item.origin, f"unexpected error: {type(exc).__name__}: {exc}")


def _document_vectors(articles: Sequence[Article], components: Components) -> np.ndarray:
    from .embed import embed_documents

    if not articles:
        return np.zeros((0, 1), dtype=np.float32)
    return embed_documents(components.embedder, list(articles))


def group(articles: Sequence[Article], components: Components) -> Grouping:
    """Fold near-duplicates, then cluster what is left into stories (largest first)."""
    from .cluster import cluster_articles
    from .dedup import find_near_duplicates

    settings = components.settings
    unique_by_id = {a.id: a for a in articles}
    articles = sorted(unique_by_id.values(), key=article_sort_key)
    duplicates = find_near_duplicates(articles, threshold=settings.dedup_threshold)
    log.info("dedup: %d near-duplicates folded", len(duplicates))
    kept = [a for a in articles if a.id not in duplicates]
    vectors = _document_vectors(kept, components)
    log.info("embed: %d document vectors", len(kept))
    stories = cluster_articles(
        kept, vectors, embedder=components.embedder, threshold=settings.cluster_threshold or None
    )
    log.info("cluster: %d stories", len(stories))
    folded: dict[str, list[str]] = {}
    for dup, canon in duplicates.items():
        folded.setdefault(canon, []).append(dup)
    stories = [
        Story(s.id, s.article_ids, {a: tuple(sorted(folded[a])) for a in s.article_ids if a in folded})
        for s in stories
    ]
    return Grouping(stories, duplicates, {a.id: vectors[i] for i, a in enumerate(kept)})


def brief_story(story: Story, articles: Mapping[str, Article], components: Components) -> Briefing:
    """Summary with citations, headline, sources and (if enabled) the facts layer for one story."""
    from .analyse.sentences import split_sentences
    from .summarize import headline, summarize

    settings = components.settings
    timer = components.timer
    members = sorted((articles[i] for i in story.article_ids), key=article_sort_key)
    with timer("summarize"):
        sentences = {a.id: split_sentences(a) for a in members}
        summary = summarize(
            members,
            max_sentences=settings.summary_sentences,
            embedder=components.embedder,
            sentences=sentences,
        )
        title = headline(members, summary)
    refs = []
    for a in members:
        dups = story.duplicates.get(a.id, ())
        dup_outlets = tuple(dict.fromkeys(o for d in dups if d in articles and (o := articles[d].outlet)))
        refs.append(ArticleRef(a.id, a.title, a.outlet, a.published, a.url, a.path, tuple(dups), dup_outlets))
    facts: dict[str, Any] = {}
    if settings.facts:
        from .facts import story_facts

        with timer("facts"):
            f = story_facts(members, nlp=components.nlp, embedder=components.embedder, sentences=sentences)
        facts = {"entities": f.entities, "quotes": f.quotes, "timeline": f.timeline, "claims": f.claims}
    dates = sorted(a.published for a in members if a.published)
    return Briefing(
        story_id=story.id,
        title=title,
        articles=tuple(refs),
        summary=tuple(summary),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        **facts,
    )


class StoryIndex:
    """Streaming dedup + clustering for ``ingest``: rebuilt from stored state, fed one article at a time.

    Existing stories keep their ids as they grow, so the store can update only the stories touched.
    """

    def __init__(
        self,
        components: Components,
        articles: Sequence[Article] = (),
        vectors: Mapping[str, np.ndarray] | None = None,
        assignments: Mapping[str, str] | None = None,
        duplicates: Mapping[str, str] | None = None,
    ) -> None:
        from .cluster import StreamClusterer
        from .dedup import DuplicateIndex

        self.components = components
        self.duplicates: dict[str, str] = dict(duplicates or {})
        self._dedup = DuplicateIndex(threshold=components.settings.dedup_threshold)
        kept = []
        for a in sorted(articles, key=article_sort_key):
            self._dedup.add(a)
            if a.id not in self.duplicates:
                kept.append(a)
        vecs = vectors or {}
        self._clusterer = StreamClusterer.from_assignments(
            kept,
            np.stack([vecs[a.id] for a in kept]) if kept else np.zeros((0, 1), dtype=np.float32),
            dict(assignments or {}),
            threshold=components.settings.cluster_threshold or None,
        )

    def add(self, article: Article, vector: np.ndarray) -> tuple[str, str | None]:
        """Place one new article: returns (story id, canonical id if it is a near-duplicate)."""
        canonical = self._dedup.add(article)
        if canonical is not None and canonical != article.id:
            self.duplicates[article.id] = canonical
            return self.story_of(canonical), canonical
        return self._clusterer.add(article, vector), None

    def story_of(self, article_id: str) -> str:
        return self._clusterer.story_of(article_id)

    def flush(self) -> tuple[frozenset[str], frozenset[str]]:
        """End of a run: revise recent assignments; returns (story ids changed, story ids removed)."""
        changes = self._clusterer.flush()
        return changes.changed, changes.removed

    def stories(self) -> list[Story]:
        folded: dict[str, list[str]] = {}
        for dup, canon in self.duplicates.items():
            folded.setdefault(canon, []).append(dup)
        return [
            Story(s.id, s.article_ids, {a: tuple(sorted(folded[a])) for a in s.article_ids if a in folded})
            for s in self._clusterer.stories()
        ]
