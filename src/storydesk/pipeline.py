"""The one place that knows the order of the stages.

::

    read_articles   ingest.read_inputs → extract.extract_article        (RawDocument → Article | Failure)
    extract_sources sources.poll_sources' documents → extract.extract_article  (SourceDocument → Article)
    group           group: dedup → document vectors → cluster            (Articles → Grouping)
    brief_story     brief: sentences → summarize → headline → facts      (Story → Briefing)

Each step takes records and settings and returns records; none of them touches SQL, HTTP or click.
The streaming variant used by ``storydesk ingest`` is :class:`~storydesk.group.StoryIndex`: the same dedup
and clustering components, fed one article at a time.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from .brief import brief_story as _brief_story
from .components import Components, StageTimer
from .config import Settings
from .group import Grouping, Prepared, StoryIndex, group_articles, prepare
from .group.embed import MODEL_FREE
from .ingest import read_inputs
from .model import Article, Briefing, Failure, Story, article_sort_key
from .sources import SourceDocument
from .workers.brief_pool import default_workers
from .workers.extract_pool import extract_stream

__all__ = [
    "Components",
    "StageTimer",
    "Grouping",
    "read_articles",
    "extract_sources",
    "group",
    "brief_story",
    "StoryIndex",
    "article_sort_key",
    "Prepared",
    "prepare",
    "new_story_index",
]

log = logging.getLogger(__name__)


def read_articles(
    paths: Iterable[str | Path],
    settings: Settings,
    *,
    timer: StageTimer | None = None,
    prepared: bool = False,
) -> Iterator[Article | Failure | Prepared]:
    """Every input as an Article, or a Failure naming it and the reason; never raises for bad input.

    In a long run, extraction goes on in ``settings.workers`` worker processes
    (:mod:`storydesk.workers.extract_pool`); the order of what is yielded does not depend on it. With
    ``prepared``, what the workers extract comes as :class:`Prepared` (with the features of
    :func:`prepare`, and the document vectors when the embedder is the model-free one). ``timer`` gets
    their seconds as "extract (workers)".
    """
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


def extract_sources(
    documents: Iterable[SourceDocument | Failure], settings: Settings, *, timer: StageTimer | None = None
) -> Iterator[tuple[SourceDocument | Failure, Article | Failure | Prepared]]:
    """Each document of a live-sources pass paired with what extraction made of it: the same extractor
    as :func:`read_articles`, in worker processes in a long pass, in order; Failures pass through."""
    waiting: deque[SourceDocument | Failure] = deque()

    def raws() -> Iterator[Failure | object]:
        for item in documents:
            waiting.append(item)
            yield item if isinstance(item, Failure) else item.raw

    for result in extract_stream(
        raws(),  # type: ignore[arg-type]
        default_workers(settings.workers),
        spent=None if timer is None else (lambda seconds: timer.add("extract (workers)", seconds)),
        prepared=True,
        embedder=settings.embedder if settings.embedder.strip().lower() in MODEL_FREE else None,
    ):
        yield waiting.popleft(), result


def group(articles: Sequence[Article], components: Components) -> Grouping:
    """Fold near-duplicates, then cluster what is left into stories (largest first)."""
    settings = components.settings
    return group_articles(
        articles,
        components.embedder,
        dedup_threshold=settings.dedup_threshold,
        cluster_threshold=settings.cluster_threshold or None,
    )


def new_story_index(settings: Settings) -> StoryIndex:
    """An empty streaming index with the thresholds of ``settings``."""
    return StoryIndex(dedup_threshold=settings.dedup_threshold, cluster_threshold=settings.cluster_threshold or None)


def brief_story(story: Story, articles: Mapping[str, Article], components: Components) -> Briefing:
    """Summary with citations, headline, sources and (if enabled) the facts layer for one story."""
    return _brief_story(story, articles, components)
