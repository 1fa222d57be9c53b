"""The one place that knows the order of the stages.

In memory (``storydesk brief``)::

    read_articles   ingest.read_inputs → extract.extract_article        (RawDocument → Article | Failure)
    extract_sources sources.poll_sources' documents → extract.extract_article  (SourceDocument → Article)
    group           group: dedup → document vectors → cluster            (Articles → Grouping)
    brief_story     brief: sentences → summarize → headline → facts      (Story → Briefing)
    analyse_paths   ingest.read_inputs → extract → analyse, one article at a time, in input order
                    (``storydesk analyse``: RawDocument → ArticleReadout | Failure)

Streaming, over a store (``storydesk ingest``, :func:`ingest_stream`)::

    store           new articles stored one transaction each, with their document vectors
    place           a chunk at a time through the story index (dedup → cluster): stories changed,
                    removed, and due (gone quiet, or the run's end)
    brief           the due stories (in worker processes while the next chunk is read)
    save            each briefing handed to the caller's writer, in the order the stories were due

Past one machine (``storydesk scale``, :mod:`storydesk.scale`), the same stages run as a Dask job over
partitions and shuffles, with its own order of steps (read + extract → near-duplicates → stories per time
window → briefings), calling the same functions: ``ingest.read_file``, ``extract_document``,
``group.dedup.DuplicateIndex`` and ``group.cluster.StreamClusterer`` (fed in the order and chunks
:func:`ingest_stream` places articles in) and ``brief_story``.

Each step takes records and options and returns records; none of them touches SQL, HTTP or click: the
streaming steps reach the store only through :class:`~storydesk.stream.IngestStore` and
:class:`~storydesk.stream.SaveStory`, which the service supplies. The machinery of those steps (chunks,
deferral, worker pools) is in :mod:`storydesk.stream`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .brief import brief_story as _brief_story
from .components import Components, StageTimer
from .config import Settings
from .errors import StorydeskError
from .group import Grouping, GroupOptions, Prepared, StoryIndex, group_articles, prepare
from .group.embed import MODEL_FREE
from .ingest import ReadLimits, read_inputs
from .model import Article, ArticleReadout, Briefing, Failure, RawDocument, Sentence, Story, article_sort_key
from .sources import SourceDocument
from .stream import (
    Briefer,
    IngestOptions,
    IngestReport,
    IngestStore,
    NewArticle,
    Progress,
    SaveStory,
    StoryPlacer,
    no_progress,
    store_new_articles,
)
from .workers.brief_pool import default_workers
from .workers.extract_pool import ExtractPoolOptions, extract_stream

__all__ = [
    "Components",
    "StageTimer",
    "Grouping",
    "BriefResult",
    "read_articles",
    "extract_document",
    "extract_sources",
    "group",
    "brief_story",
    "brief_paths",
    "article_sentences",
    "ingest_stream",
    "analyse_paths",
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
    extract: ExtractPoolOptions | None = None,
) -> Generator[Article | Failure | Prepared, None, None]:
    """Every input as an Article, or a Failure naming it and the reason; never raises for bad input.

    In a long run, extraction goes on in ``settings.workers`` worker processes
    (:mod:`storydesk.workers.extract_pool`, sized by ``extract``); the order of what is yielded does not
    depend on it. With ``prepared``, what the workers extract comes as :class:`Prepared` (with the
    features of :func:`prepare`, and the document vectors when the embedder is the model-free one).
    ``timer`` gets their seconds as "extract (workers)".
    """
    items = read_inputs(paths, limits=read_limits(settings))
    yield from extract_stream(
        items,
        default_workers(settings.workers),
        options=extract or ExtractPoolOptions(),
        spent=None if timer is None else (lambda seconds: timer.add("extract (workers)", seconds)),
        prepared=prepared,
        # Only the model-free embedder's vectors are made in the workers. MiniLM already runs on
        # several threads; loaded in a worker as well, it crowded a 2-core machine (800 articles: 87 s
        # instead of 77 s with the vectors made here).
        embedder=settings.embedder if prepared and settings.embedder.strip().lower() in MODEL_FREE else None,
    )


def extract_document(raw: RawDocument) -> Article | Failure:
    """One document given as fields (an HTTP request's body) as an Article, or a Failure with the reason."""
    from .extract import extract_article

    try:
        return extract_article(raw)
    except StorydeskError as exc:
        return Failure(raw.origin, getattr(exc, "reason", str(exc)))


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
    return group_articles(articles, components.embedder, components.group_options)


def new_story_index(settings: Settings) -> StoryIndex:
    """An empty streaming index with the thresholds of ``settings``."""
    return StoryIndex(GroupOptions.from_settings(settings))


def brief_story(story: Story, articles: Mapping[str, Article], components: Components) -> Briefing:
    """Summary with citations, headline, sources and (if enabled) the facts layer for one story."""
    return _brief_story(story, articles, components)


def article_sentences(article: Article) -> list[Sentence]:
    """The article's sentences as the summary cites them (same indices, with their paragraphs)."""
    from .analyse.sentences import split_sentences

    return split_sentences(article)


@dataclass(frozen=True)
class BriefResult:
    briefings: list[Briefing]
    failures: list[Failure]


def brief_paths(
    paths: Sequence[str | Path],
    components: Components,
    *,
    progress: Progress = no_progress,
    extract: ExtractPoolOptions | None = None,
) -> BriefResult:
    """Read, clean, fold, cluster and brief the articles under ``paths``, in memory; largest story first."""
    articles: list[Article] = []
    failures: list[Failure] = []
    for item in read_articles(paths, components.settings, timer=components.timer, extract=extract):
        if isinstance(item, Failure):
            failures.append(item)
            progress("failure", 1)
        else:
            assert isinstance(item, Article)
            articles.append(item)
            progress("article", 1)
    grouping = group(articles, components)
    by_id = {a.id: a for a in articles}
    briefings = []
    for story in grouping.stories:
        briefings.append(dataclasses.replace(brief_story(story, by_id, components), related=story.related))
        progress("story", 1)
    return BriefResult(briefings, failures)


def read_limits(settings: Settings) -> ReadLimits:
    """The input limits the settings give (``max_file_mb``, ``max_input_mb``, ``max_lines``, ``max_records``)."""
    return ReadLimits(
        file_bytes=settings.max_file_mb * 2**20,
        input_bytes=settings.max_input_mb * 2**20,
        lines=settings.max_lines,
        records=settings.max_records,
    )


def analyse_paths(
    paths: Sequence[str | Path], components: Components, *, progress: Progress = no_progress
) -> Iterator[ArticleReadout | Failure]:
    """Every input under ``paths``, in input order, extracted and analysed (sentences, entities with
    their actors, quotations with their speakers, dates), or a Failure naming it and the reason; one
    bad input never stops the others. Runs in this process: the order is the input's."""
    from .analyse import analyse_article
    from .analyse.readout import read_out
    from .extract import extract_article

    settings = components.settings
    for item in read_inputs(paths, limits=read_limits(settings)):
        if isinstance(item, Failure):
            progress("failure", 1)
            yield item
            continue
        try:
            article = extract_article(item)
        except StorydeskError as exc:
            progress("failure", 1)
            yield Failure(item.origin, getattr(exc, "reason", str(exc)))
            continue
        nlp = components.nlp  # a missing model is a ConfigError for the whole run, raised here
        try:
            with components.timer("analyse"):
                readout = read_out(analyse_article(article, nlp=nlp))
        except Exception as exc:  # a bug on one article must not cost the others theirs
            log.exception("analysing %s failed", item.origin)
            progress("failure", 1)
            yield Failure(item.origin, f"analysis failed: {type(exc).__name__}: {exc}")
            continue
        progress("article", 1)
        yield replace(readout, path=item.path, line=item.line)


def ingest_stream(
    items: Iterable[Article | Prepared | Failure],
    store: IngestStore,
    components: Components,
    *,
    save: SaveStory,
    options: IngestOptions | None = None,
    progress: Progress = no_progress,
) -> IngestReport:
    """Store ``items`` and update the stories they touch: store → place → brief → save, a chunk at a time.

    Memory does not grow with the input: the story index keeps per-story sums and a bounded window, a
    chunk's articles are dropped once placed, and a story's articles are read back from ``store`` only to
    brief it. Articles an interrupted earlier run stored but never placed are placed first.
    """
    options = options or IngestOptions()
    timer = components.timer
    report = IngestReport()
    placer = StoryPlacer(store, components)
    llm_before = dict(components.llm_usage)

    with Briefer(store, components, save, progress) as briefer:

        def place_and_brief(chunk: list[NewArticle], *, final: bool) -> None:
            if not placer.started:  # the index over what is stored, then what an interrupted run left
                for leftovers in placer.start({n.article.id for n in chunk}, options.place_every):
                    place_and_brief(leftovers, final=False)
            placement = placer.place(chunk, final=final)  # dedup → cluster → stories due
            with timer("store"):
                store.set_duplicates(placement.duplicates)
            report.duplicates += len(placement.duplicates)
            briefer.collect()  # save the previous chunk's briefings before anything of this one
            with timer("store"):
                store.delete_stories(placement.removed)
            briefer.brief(placement.due, final=final)  # in workers while the next chunk is read

        chunk: list[NewArticle] = []
        for new in store_new_articles(items, store, components, options, report, progress):
            chunk.append(new)
            if len(chunk) >= options.place_every:
                place_and_brief(chunk, final=False)
                chunk = []
        if placer.started or chunk or placer.has_unplaced():
            place_and_brief(chunk, final=True)
        report.stories_updated = briefer.stories_saved
        report.analyses_read, report.analyses_unusable = briefer.analyses_read, briefer.analyses_unusable
    # summarizer=llm: the calls and tokens of this run's briefings (workers' included, see stream/_briefing)
    report.llm = {k: v - llm_before.get(k, 0) for k, v in components.llm_usage.items()}
    return report
