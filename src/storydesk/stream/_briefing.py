"""Briefing the stories that are due and handing each briefing to the writer, in the order they were due.

In a run longer than one chunk, briefings are made by worker processes
(:class:`~storydesk.workers.brief_pool.BriefPool`) while the ingesting process reads the next chunk; they
are written in submission order, so the last state of a story wins. At the end of the run this process
briefs its share of the last stories too. A pool that cannot start, or a worker that dies, leaves the
work to this process.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future
from types import TracebackType

from ..analyse import StoredAnalysis, StoredAnalysisError, decode_stored, encode_stored
from ..brief import StoreWhat, brief_story_analyses
from ..components import Components
from ..model import AnalysisBlob, Article, Briefing, Story, count_outlets
from ..workers.brief_pool import BriefPool, BriefResult, default_brief_workers
from ._interfaces import IngestStore, Progress, SaveStory

__all__ = ["Briefer"]

log = logging.getLogger(__name__)


class Briefer:
    """Briefs stories (here or in worker processes) and hands each briefing to ``save``."""

    def __init__(
        self, store: IngestStore, components: Components, save: SaveStory, progress: Progress
    ) -> None:
        self._store = store
        self._components = components
        self._timer = components.timer
        self._save = save
        self._progress = progress
        self._pool: BriefPool | None = None
        self._pool_failed = False
        self._inflight: list[tuple[Story, Future[BriefResult]]] = []
        self._saved: set[str] = set()
        # stored analyses (#17): read for the story's articles, written with its briefing
        self._keep = StoreWhat(vectors=components.stores_vectors) if components.stores_analyses else None
        #: stored analyses read and used this run, and those found unusable (damaged, another text: recomputed)
        self.analyses_read = 0
        self.analyses_unusable = 0

    @property
    def stories_saved(self) -> int:
        """Distinct stories written so far."""
        return len(self._saved)

    def __enter__(self) -> Briefer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None and self._pool is not None:  # interrupted: do not wait for work in flight
            self._pool.stop()
            self._pool = None
        self.close()

    def close(self) -> None:
        """Stop the workers (briefings not collected yet are dropped)."""
        if self._pool is not None:
            self._pool.close(cancel=True)
            self._pool = None

    def brief(self, stories: Sequence[Story], *, final: bool) -> None:
        """Brief ``stories``: in workers once a run is longer than one chunk, here otherwise; with
        ``final`` (nothing is left to read), this process takes its share and everything is written."""
        if not final and self._pool is None and not self._pool_failed:
            self._start_pool()
        if final and self._pool is not None:
            share = len(stories) * self._pool.workers // (self._pool.workers + 1)
            for story in stories[:share]:
                self._brief(story)
            for story in stories[share:]:
                self._brief(story, here=True)
        else:
            for story in stories:
                self._brief(story)
        if final:
            self.collect()

    def collect(self) -> None:
        """Write the briefings the workers made, in the order they were asked for."""
        from concurrent.futures.process import BrokenProcessPool

        inflight, self._inflight = self._inflight, []
        for story, future in inflight:
            try:
                with self._timer("waiting for briefings"):
                    briefing, spent, fresh = future.result()
            except BrokenProcessPool:
                log.warning("a briefing worker died; briefing story %s in this process", story.id)
                self.close()
                self._pool_failed = True
                ids = list(story.article_ids) + [d for ds in story.duplicates.values() for d in ds]
                articles = {a.id: a for a in self._store.iter_articles(ids=ids)}
                briefing, fresh = self._brief_here(story, articles)
                spent = {}
            for stage, seconds in spent.items():
                if stage.startswith("llm:"):  # LLM calls and tokens, counted by the worker
                    self._components.record_llm({stage[4:]: int(seconds)})
                else:
                    self._timer.add(f"{stage} (workers)", seconds)
            self._write(story, briefing, fresh)

    def _start_pool(self) -> None:
        settings = self._components.settings
        workers = default_brief_workers(settings.workers, facts=settings.facts)
        if workers:
            try:
                self._pool = BriefPool(self._components.settings, workers)
            except OSError as exc:  # e.g. no /dev/shm: brief in this process instead
                log.warning("cannot start briefing workers (%s); briefing in this process", exc)
                self._pool_failed = True

    def _brief(self, story: Story, *, here: bool = False) -> None:
        """Brief one story in a worker (its result is written by :meth:`collect`), or ``here``."""
        with self._timer("store"):
            members = list(story.article_ids)
            dups = self._store.duplicates_for(members)
            story = Story(story.id, story.article_ids, dups, story.related)
            ids = members + [d for ds in dups.values() for d in ds]
            articles = {a.id: a for a in self._store.iter_articles(ids=ids)}
        if self._pool is None or here:
            self._write(story, *self._brief_here(story, articles))
            return
        stored = self._stored(story, articles)
        self._inflight.append((story, self._pool.submit(story, articles, stored, self._keep)))

    def _brief_here(
        self, story: Story, articles: dict[str, Article]
    ) -> tuple[Briefing, list[StoredAnalysis]]:
        stored = self._stored(story, articles)
        return brief_story_analyses(story, articles, self._components, stored=stored, keep=self._keep)

    def _stored(self, story: Story, articles: dict[str, Article]) -> dict[str, StoredAnalysis]:
        """The usable stored analyses of the story's members (#17); a row made under another version is
        not read, and one that cannot be used (damaged, another text) is skipped: both are recomputed."""
        if self._keep is None:
            return {}
        version = self._components.analysis_version
        with self._timer("store"):
            blobs = self._store.get_analyses(story.article_ids, version)
        out: dict[str, StoredAnalysis] = {}
        for aid, data in blobs.items():
            article = articles.get(aid)
            if article is None:
                continue
            try:
                out[aid] = decode_stored(data, article, version)
            except StoredAnalysisError as exc:
                log.info("stored analysis of article %s not used (%s); computing it again", aid, exc)
                self.analyses_unusable += 1
        self.analyses_read += len(out)
        return out

    def _write(self, story: Story, briefing: Briefing, fresh: list[StoredAnalysis] | None = None) -> None:
        # The stored count is the one every rendering of the briefing prints (model.count_outlets).
        blobs: list[AnalysisBlob] = []
        if fresh:
            version = self._components.analysis_version
            blobs = [AnalysisBlob(a.article_id, version, encode_stored(a, version)) for a in fresh]
        with self._timer("store"):
            self._save(story, briefing, count_outlets(briefing.articles), analyses=blobs)
        self._saved.add(story.id)
        self._progress("story", 1)
