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
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .config import Settings
from .model import Article, ArticleRef, Briefing, Failure, Story

__all__ = [
    "Components",
    "Grouping",
    "read_articles",
    "group",
    "brief_story",
    "StoryIndex",
    "article_sort_key",
    "Prepared",
    "prepare",
]

log = logging.getLogger(__name__)


class StageTimer:
    """Wall-clock seconds spent per stage, for benchmarks and ``-v`` logs."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        """Count ``seconds`` (e.g. reported by a worker process) to ``stage``."""
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - start)

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


@dataclass(frozen=True)
class Prepared:
    """An extracted article with the text features streaming dedup and clustering read, made ahead of
    them (by an extraction worker, :func:`prepare`) so that the ingesting process does not."""

    article: Article
    shingles: np.ndarray  # dedup.shingle_hashes of the text
    words: Any  # cluster.raw_features: the word row (scipy CSR)
    names: Any  # ... and the name row
    vector: np.ndarray | None = None  # the document vector (embed.embed_documents), if made


def prepare(articles: Sequence[Article], embedder: Any = None) -> list[Prepared]:
    """The features of :class:`Prepared` for each article; document vectors too with an ``embedder``."""
    from .cluster import raw_features
    from .dedup import shingle_hashes
    from .embed import embed_documents

    vectors = embed_documents(embedder, list(articles)) if embedder is not None and articles else None
    out = []
    for n, article in enumerate(articles):
        words, names = raw_features([article])
        vector = None if vectors is None else vectors[n]
        out.append(Prepared(article, shingle_hashes(article.text), words, names, vector))
    return out


def article_sort_key(a: Article) -> tuple[str, str]:
    return (a.published or "9999", a.id)


def read_articles(
    paths: Iterable[str | Path],
    settings: Settings,
    *,
    timer: StageTimer | None = None,
    prepared: bool = False,
) -> Iterator[Article | Failure | Prepared]:
    """Every input as an Article, or a Failure naming it and the reason; never raises for bad input.

    In a long run, extraction goes on in ``settings.workers`` worker processes (:mod:`.extract_pool`);
    the order of what is yielded does not depend on it. With ``prepared``, what the workers extract
    comes as :class:`Prepared` (with the features of :func:`prepare`, and the document vectors when the
    embedder is the model-free one). ``timer`` gets their seconds as "extract (workers)".
    """
    from .brief_pool import default_workers
    from .embed import MODEL_FREE
    from .extract_pool import extract_stream
    from .ingest import read_inputs

    items = read_inputs(paths, max_file_bytes=settings.max_file_mb * 2**20)
    yield from extract_stream(
        items,
        default_workers(settings.workers),
        spent=None if timer is None else (lambda seconds: timer.add("extract (workers)", seconds)),
        prepared=prepared,
        # Only the model-free embedder's vectors are made in the workers. MiniLM already runs on
        # several threads; loaded in a worker as well, it crowded a 2-core machine (800 articles: 87 s
        # instead of 77 s with the vectors made here).
        embedder=settings.embedder if prepared and settings.embedder.strip().lower() in MODEL_FREE else None,
    )


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
    It holds no article texts: near-duplicates found are handed out by :meth:`take_duplicates` (the store
    keeps them), and the clusterer keeps per-story sums and a bounded window of recent articles.
    """

    def __init__(self, components: Components) -> None:
        from . import _cluster_rules
        from .cluster import StreamClusterer
        from .dedup import DuplicateIndex

        self.components = components
        self._new_duplicates: dict[str, str] = {}
        # the latest arrivals placed by the clusterer: their stories may still change in a revision
        self._recent: deque[str] = deque(maxlen=_cluster_rules.OPEN_WINDOW)
        self._dedup = DuplicateIndex(threshold=components.settings.dedup_threshold)
        self._clusterer = StreamClusterer(threshold=components.settings.cluster_threshold or None)

    @classmethod
    def from_store(
        cls,
        components: Components,
        placed: Callable[[], Iterable[tuple[Article, np.ndarray, str]]],
        seen: Iterable[Article],
    ) -> StoryIndex:
        """Rebuild from stored state without loading it all: ``placed()`` yields (story member, its vector,
        its story id) in arrival order and may be called more than once; ``seen`` yields every stored
        article (members and folded copies) in arrival order, for near-duplicate detection."""
        from .cluster import StreamClusterer

        self = cls(components)
        for article in seen:
            self._dedup.add(article)
        self._clusterer = StreamClusterer.from_stored(
            placed, threshold=components.settings.cluster_threshold or None
        )
        return self

    def add(
        self, article: Article, vector: np.ndarray, prepared: Prepared | None = None
    ) -> tuple[str | None, str | None]:
        """Place one new article: returns (story id, canonical id if it is a near-duplicate).

        ``prepared`` may give its features, made ahead. The story id is None for a near-duplicate of an
        article whose story is no longer held in memory (older than the clusterer's horizon); the caller
        finds it in the store.
        """
        canonical = self._dedup.add(article, None if prepared is None else prepared.shingles)
        if canonical is not None and canonical != article.id:
            self._new_duplicates[article.id] = canonical
            return self.story_of(canonical), canonical
        self._recent.append(article.id)
        raw = None if prepared is None else (prepared.words, prepared.names)
        return self._clusterer.add(article, vector, raw), None

    def open_stories(self) -> set[str]:
        """Stories with a member among the latest ``OPEN_WINDOW`` arrivals: a revision may still change
        them, so a long run may wait before briefing them."""
        return {sid for a in self._recent if (sid := self.story_of(a)) is not None}

    def story_of(self, article_id: str) -> str | None:
        try:
            return self._clusterer.story_of(article_id)
        except KeyError:
            return None

    def take_duplicates(self) -> dict[str, str]:
        """Near-duplicates (copy id → canonical id) found since the last call."""
        out, self._new_duplicates = self._new_duplicates, {}
        return out

    def flush(self) -> tuple[frozenset[str], frozenset[str]]:
        """Revise recent assignments; returns (story ids changed, story ids removed) since the last flush."""
        changes = self._clusterer.flush()
        return changes.changed, changes.removed

    def stories(self) -> list[Story]:
        """The stories held in memory, members only (folded copies live in the store)."""
        return self._clusterer.stories()
