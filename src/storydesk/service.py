"""What every interface calls: the CLI, the HTTP API and the web page are thin layers over this module.

:func:`brief` runs the whole pipeline in memory over some paths. :class:`Desk` is the core over a store:
``ingest()`` adds articles (one transaction each) and updates the stories they touch; ``stories()``,
``briefing()``, ``article()`` and ``search()`` read.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .config import Settings
from .errors import NotFoundError, StorydeskError
from .model import Article, Briefing, Failure, RawDocument, Story
from .pipeline import (
    Components,
    Prepared,
    StoryIndex,
    article_sort_key,
    brief_story,
    group,
    read_articles,
)
from .service_sources import (
    AddReport,
    SourceListing,
    Watcher,
    WatchReport,
    add_sources,
    import_opml,
    list_sources,
    remove_source,
)

__all__ = [
    "BriefResult",
    "IngestReport",
    "Desk",
    "brief",
    # live sources (#18), in service_sources.py
    "AddReport",
    "SourceListing",
    "WatchReport",
    "Watcher",
    "add_sources",
    "import_opml",
    "list_sources",
    "remove_source",
]

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]
"""Called with (what happened, how many) as work advances: ``("article", 1)``, ``("failure", 1)``."""

EMBED_BATCH = 32
#: Stored articles placed into stories at a time (their stories are then briefed); see _StoryUpdater.
PLACE_EVERY = 500
MAX_DUPLICATES_SHOWN = 20


@dataclass(frozen=True)
class BriefResult:
    briefings: list[Briefing]
    failures: list[Failure]


@dataclass
class IngestReport:
    added: int = 0
    existing: int = 0
    duplicates: int = 0
    stories_updated: int = 0
    failures: list[Failure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"ingested {self.added} new, {self.existing} already stored, {self.duplicates} near-duplicates folded, "
            f"{len(self.failures)} failed; {self.stories_updated} stories updated"
        )


def _noop(_: str, __: int) -> None:
    return None


def brief(paths: Sequence[str | Path], settings: Settings, *, progress: Progress = _noop) -> BriefResult:
    """Read, clean, fold, cluster and brief the articles under ``paths``, in memory; largest story first."""
    components = Components(settings)
    articles: list[Article] = []
    failures: list[Failure] = []
    for item in read_articles(paths, settings, timer=components.timer):
        if isinstance(item, Failure):
            failures.append(item)
            progress("failure", 1)
        else:
            articles.append(item)
            progress("article", 1)
    grouping = group(articles, components)
    by_id = {a.id: a for a in articles}
    briefings = []
    for story in grouping.stories:
        briefings.append(brief_story(story, by_id, components))
        progress("story", 1)
    return BriefResult(briefings, failures)


class Desk:
    """The store-backed core. Build one per process (or per test) and pass it to the CLI or the web app."""

    def __init__(self, settings: Settings, *, components: Components | None = None) -> None:
        self.settings = settings
        self.components = components or Components(settings)
        # One writer at a time per process (the web app runs requests in threads).
        self._write_lock = threading.Lock()

    @cached_property
    def store(self) -> Any:
        from .store import Store

        return Store.open(self.settings.db_url)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[str | Path], *, progress: Progress = _noop) -> IngestReport:
        """Add the articles under ``paths``; each is stored in its own transaction, then stories are updated."""
        timer = self.components.timer
        with closing(read_articles(paths, self.settings, timer=timer, prepared=True)) as articles:
            return self.ingest_items(timer.iterate("read+extract", articles), progress=progress)

    def ingest_upload(self, filename: str, data: bytes) -> IngestReport:
        """Ingest one uploaded file; only ``filename``'s extension (checked by the caller) reaches the disk.

        The bytes go to a temporary file of ours so that every input kind is read by the same code as a
        file on disk; the stored article keeps no path, and errors name the upload, not the temporary file.
        """
        suffix = "".join(Path(os.path.basename(filename)).suffixes[-2:]).lower()
        name = os.path.basename(filename)[:120] or "upload"
        with tempfile.TemporaryDirectory(prefix="storydesk-upload-") as folder:
            tmp = os.path.join(folder, f"upload{suffix}")
            with open(tmp, "wb") as fh:
                fh.write(data)

            def items() -> Iterator[Article | Failure]:
                for item in read_articles([tmp], self.settings):
                    if isinstance(item, Failure):
                        yield Failure(item.origin.replace(tmp, name), item.reason.replace(tmp, name))
                    else:
                        yield dataclasses.replace(item, path=None)

            return self.ingest_items(items())

    def ingest_document(self, raw: RawDocument) -> IngestReport:
        """Ingest one article given as fields (the HTTP API's JSON body)."""
        from .extract import extract_article

        item: Article | Failure
        try:
            item = extract_article(raw)
        except StorydeskError as exc:
            item = Failure(raw.origin, getattr(exc, "reason", str(exc)))
        return self.ingest_items([item])

    def ingest_items(
        self, items: Iterable[Article | Prepared | Failure], *, progress: Progress = _noop
    ) -> IngestReport:
        with self._write_lock:
            return self._ingest_items(items, progress)

    def _ingest_items(
        self, items: Iterable[Article | Prepared | Failure], progress: Progress
    ) -> IngestReport:
        report = IngestReport()
        batch: list[Article] = []
        prepared: dict[str, Prepared] = {}  # features made ahead, by article id (of the batch)
        timer = self.components.timer
        updater = _StoryUpdater(self, report, progress)

        def flush() -> None:
            with timer("store"):
                known = self.store.existing_ids([a.id for a in batch])
            report.existing += len(known)
            batch[:] = [a for a in batch if a.id not in known]
            if not batch:
                return
            vectors = self._batch_vectors(batch, prepared)
            for article, vector in zip(batch, vectors, strict=True):
                with timer("store"):
                    new = self.store.add_article(article, vector=vector, model=self.components.embedder.name)
                if new:
                    report.added += 1
                    updater.add(article, vector, prepared.get(article.id))
                else:
                    report.existing += 1
            batch.clear()
            prepared.clear()

        try:
            for item in items:
                if isinstance(item, Failure):
                    report.failures.append(item)
                    self._record_failure(item)
                    progress("failure", 1)
                    continue
                if isinstance(item, Prepared):
                    prepared[item.article.id] = item
                    item = item.article
                report.article_ids.append(item.id)
                progress("article", 1)
                if any(a.id == item.id for a in batch):
                    report.existing += 1
                    continue
                batch.append(item)
                if len(batch) >= EMBED_BATCH:
                    flush()
            flush()
            updater.finish()
        finally:
            updater.close()
        return report

    def _record_failure(self, failure: Failure) -> None:
        self.store.add_failure(failure)

    def _batch_vectors(self, batch: Sequence[Article], prepared: Mapping[str, Prepared]) -> list[np.ndarray]:
        """Document vectors of ``batch``: those an extraction worker made, the others here."""
        made = {
            a.id: p.vector for a in batch if (p := prepared.get(a.id)) is not None and p.vector is not None
        }
        missing = [a for a in batch if a.id not in made]
        if missing:
            made.update(zip([a.id for a in missing], self._vectors(missing), strict=True))
        return [made[a.id] for a in batch]

    def _vectors(self, articles: Sequence[Article]) -> np.ndarray:
        from .group.embed import embed_documents

        with self.components.timer("embed"):
            return embed_documents(self.components.embedder, list(articles))

    def _replace_story(self, story: Story, briefing: Briefing, outlets: set[str]) -> None:
        from .render import briefing_to_dict

        self.store.replace_story(
            story,
            title=briefing.title,
            first_published=briefing.first_published,
            last_published=briefing.last_published,
            outlet_count=len(outlets),
            lead=briefing.summary[0].text if briefing.summary else None,
            briefing_json=json.dumps(briefing_to_dict(briefing), ensure_ascii=False),
            entities=[(e.name, e.type) for e in briefing.entities],
        )

    # -- reading -----------------------------------------------------------------------------------

    def stories(self, **filters: Any) -> list[Any]:
        return self.store.list_stories(**filters)

    def count_stories(self, **filters: Any) -> int:
        return int(self.store.count_stories(**filters))

    def briefing(self, story_id: str) -> dict[str, Any]:
        """The briefing of one story as the JSON contract's story object."""
        return dict(json.loads(self.store.get_briefing_json(story_id)))

    def briefings_for(self, article_ids: Iterable[str]) -> list[Briefing]:
        """Briefings of the stories holding these articles, largest first."""
        from .render import briefing_from_dict

        story_ids = {row.id for i in set(article_ids) for row in self.store.stories_for_article(i)}
        out = [briefing_from_dict(self.briefing(sid)) for sid in story_ids]
        out.sort(key=lambda b: (-sum(1 + len(a.duplicates) for a in b.articles), b.story_id))
        return out

    def article(self, article_id: str) -> Article:
        return self.store.get_article(article_id)

    def search(self, q: str, *, limit: int = 20, offset: int = 0) -> list[Any]:
        return self.store.search(q, limit=limit, offset=offset)

    def search_count(self, q: str) -> int:
        return int(self.store.search_count(q))

    def story_of(self, article_id: str) -> str | None:
        """The story holding this article, as a member or as a folded near-duplicate."""
        rows = self.store.stories_for_article(article_id)
        return str(rows[0].id) if rows else None

    def duplicates_of(self, article_id: str, story_id: str | None = None) -> list[Article]:
        """The other articles of this article's near-duplicate group, the kept one first."""
        story_id = story_id or self.story_of(article_id)
        if story_id is None:
            return []
        try:
            refs = self.briefing(story_id)["articles"]
        except NotFoundError:
            return []
        for ref in refs:
            group = [ref["id"], *ref.get("duplicates", ())]
            if article_id in group:
                ids = [i for i in group if i != article_id][:MAX_DUPLICATES_SHOWN]
                return list(self.store.iter_articles(ids=ids))
        return []


def _outlets(story: Story, articles: Mapping[str, Article]) -> set[str]:
    """The distinct outlets of a story's members and folded copies (an article without one counts alone)."""
    outlets = {articles[i].outlet or i for i in story.article_ids}
    for dups in story.duplicates.values():
        outlets.update(articles[d].outlet or d for d in dups if d in articles)
    return outlets


class _StoryUpdater:
    """Places the articles one ingest stores into stories and rewrites the briefings of the stories touched.

    Articles are placed in chunks of ``PLACE_EVERY`` (and at the end of the run): the chunk goes through the
    streaming dedup + clustering index in publication order, the index revises its recent assignments, and
    every story that changed is briefed and saved. Memory does not grow with the input: the index keeps
    per-story sums and a bounded window, a chunk's articles are dropped once placed, and a story's articles
    are read back from the store only to brief it.

    In a run longer than one chunk, briefings are written by worker processes (:mod:`.brief_pool`) while
    this process reads the next chunk; their results are written in submission order, so the last state
    of a story wins. Articles stored by an interrupted earlier run (in no story yet) are placed first.
    """

    def __init__(self, desk: Desk, report: IngestReport, progress: Progress) -> None:
        self.desk = desk
        self.store = desk.store
        self.components = desk.components
        self.timer = desk.components.timer
        self.report = report
        self.progress = progress
        self._pending: list[tuple[Article, np.ndarray, Prepared | None]] = []
        self._index: StoryIndex | None = None
        self._pool: Any = None
        self._pool_failed = False
        self._inflight: list[tuple[Story, set[str], Future[Any]]] = []
        self._saved: set[str] = set()
        self._deferred: dict[str, Story] = {}  # changed stories not briefed yet, by id

    # -- the run -------------------------------------------------------------------------------------

    def add(self, article: Article, vector: np.ndarray, prepared: Prepared | None = None) -> None:
        self._pending.append((article, vector, prepared))
        if len(self._pending) >= PLACE_EVERY:
            self._place(self._take_pending(), final=False)

    def finish(self) -> None:
        if self._index is None and not self._pending and not self._has_unplaced():
            return
        self._place(self._take_pending(), final=True)
        self._collect()
        self.report.stories_updated = len(self._saved)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close(cancel=True)
            self._pool = None

    def _take_pending(self) -> list[tuple[Article, np.ndarray, Prepared | None]]:
        chunk, self._pending = self._pending, []
        return chunk

    def _has_unplaced(self) -> bool:
        with self.timer("store"):
            return next(iter(self.store.iter_unplaced()), None) is not None

    # -- placing ------------------------------------------------------------------------------------

    def _build_index(self, exclude: set[str]) -> None:
        """The index over what is stored, then the articles an interrupted run left unplaced."""
        model = self.components.embedder.name

        def placed() -> Iterator[tuple[Article, np.ndarray, str]]:
            for article, vector, story_id in self.store.iter_placed(model):
                if vector is None:
                    vector = self._vectors([article])[0]
                yield article, vector, story_id

        with self.timer("dedup+cluster"):
            settings = self.components.settings
            self._index = StoryIndex.from_store(
                placed,
                self.store.iter_articles(),
                dedup_threshold=settings.dedup_threshold,
                cluster_threshold=settings.cluster_threshold or None,
            )
        with self.timer("store"):
            leftovers = [a.id for a in self.store.iter_unplaced() if a.id not in exclude]
        for i in range(0, len(leftovers), PLACE_EVERY):
            ids = leftovers[i : i + PLACE_EVERY]
            with self.timer("store"):
                articles = list(self.store.iter_articles(ids=ids))
                vectors = self.store.get_vectors(ids, model)
            missing = [a for a in articles if a.id not in vectors]
            if missing:
                vectors.update(zip([a.id for a in missing], self._vectors(missing), strict=True))
            self._place([(a, vectors[a.id], None) for a in articles], final=False)

    def _vectors(self, articles: Sequence[Article]) -> np.ndarray:
        return self.desk._vectors(articles)

    def _place(self, chunk: list[tuple[Article, np.ndarray, Prepared | None]], *, final: bool) -> None:
        if self._index is None:
            self._build_index({a.id for a, _, _ in chunk})
        index = self._index
        assert index is not None
        touched: set[str] = set()
        from_store: set[str] = set()  # stories of copies whose canonical article's story left the index
        with self.timer("dedup+cluster"):
            for article, vector, prepared in sorted(chunk, key=lambda avp: article_sort_key(avp[0])):
                story_id, canonical = index.add(article, vector, prepared)
                if story_id is not None:
                    touched.add(story_id)
                elif canonical is not None:
                    from_store.update(row.id for row in self.store.stories_for_article(canonical))
            changed, removed = index.flush()
        duplicates = index.take_duplicates()
        with self.timer("store"):
            self.store.set_duplicates(duplicates)
        self.report.duplicates += len(duplicates)
        held = {s.id: s for s in index.stories()}
        # A story that may still change (members among the open window) waits for a later chunk, or the
        # end of the run: in a long run each story is briefed about once, when it has gone quiet. Its
        # membership is kept as of now, in case it leaves the index before then.
        for sid in (touched | changed) & held.keys():
            self._deferred[sid] = held[sid]
        for sid in removed - held.keys():
            self._deferred.pop(sid, None)
        waiting = set() if final else index.open_stories()
        due = sorted(sid for sid in self._deferred if sid not in waiting)
        stories = [held.get(sid, self._deferred[sid]) for sid in due]
        for sid in due:
            del self._deferred[sid]
        self._collect()  # the previous chunk's briefings are written before anything of this one
        with self.timer("store"):
            self.store.delete_stories(removed - held.keys())
        if not final and self._pool is None and not self._pool_failed:
            self._start_pool()
        if final and self._pool is not None:
            # nothing is left to read: this process briefs its share of the last stories too
            share = len(stories) * self._pool.workers // (self._pool.workers + 1)
            for story in stories[:share]:
                self._brief(story)
            for story in stories[share:]:
                self._brief(story, here=True)
        else:
            for story in stories:
                self._brief(story)
        if final:
            self._collect()

    # -- briefing -----------------------------------------------------------------------------------

    def _start_pool(self) -> None:
        from .workers.brief_pool import BriefPool, default_workers

        workers = default_workers(self.desk.settings.workers)
        if workers:
            try:
                self._pool = BriefPool(self.desk.settings, workers)
            except OSError as exc:  # e.g. no /dev/shm: brief in this process instead
                log.warning("cannot start briefing workers (%s); briefing in this process", exc)
                self._pool_failed = True

    def _brief(self, story: Story, *, here: bool = False) -> None:
        """Brief one story in a worker (its result is written by :meth:`_collect`), or ``here``."""
        with self.timer("store"):
            members = list(story.article_ids)
            dups = self.store.duplicates_for(members)
            story = Story(story.id, story.article_ids, dups)
            ids = members + [d for ds in dups.values() for d in ds]
            articles = {a.id: a for a in self.store.iter_articles(ids=ids)}
        outlets = _outlets(story, articles)
        if self._pool is None or here:
            briefing = brief_story(story, articles, self.components)
            self._write(story, briefing, outlets)
            return
        self._inflight.append((story, outlets, self._pool.submit(story, articles)))

    def _collect(self) -> None:
        """Write the briefings the workers made, in the order they were asked for."""
        from concurrent.futures.process import BrokenProcessPool

        inflight, self._inflight = self._inflight, []
        for story, outlets, future in inflight:
            try:
                with self.timer("waiting for briefings"):
                    briefing, spent = future.result()
            except BrokenProcessPool:
                log.warning("a briefing worker died; briefing story %s in this process", story.id)
                self.close()
                self._pool_failed = True
                ids = list(story.article_ids) + [d for ds in story.duplicates.values() for d in ds]
                articles = {a.id: a for a in self.store.iter_articles(ids=ids)}
                briefing, spent = brief_story(story, articles, self.components), {}
            for stage, seconds in spent.items():
                self.timer.add(f"{stage} (workers)", seconds)
            self._write(story, briefing, outlets)

    def _write(self, story: Story, briefing: Briefing, outlets: set[str]) -> None:
        with self.timer("store"):
            self.desk._replace_story(story, briefing, outlets)
        self._saved.add(story.id)
        self.progress("story", 1)
