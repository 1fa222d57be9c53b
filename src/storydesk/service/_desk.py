"""The store-backed core, :class:`Desk`, :func:`brief` (the whole pipeline in memory over some paths) and
:func:`analyse` (each article's analysis, for ``storydesk analyse``).

:class:`Desk` is the core over a store: ``ingest()`` adds articles (one transaction each) and updates the
stories they touch, through :func:`storydesk.pipeline.ingest_stream` (which knows the order of the steps;
the Desk supplies the store); ``stories()``, ``briefing()``, ``article()`` and ``search()`` read, and
return typed records.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import NotFoundError
from ..model import (
    Article,
    ArticleReadout,
    Briefing,
    Failure,
    RawDocument,
    SearchHit,
    Sentence,
    Story,
    StoryRow,
)
from ..pipeline import (
    BriefResult,
    Components,
    Prepared,
    analyse_paths,
    article_sentences,
    brief_paths,
    extract_document,
    ingest_stream,
    read_articles,
)
from ..render import briefing_from_dict, briefing_to_dict
from ..stream import IngestOptions, IngestReport, Progress, no_progress

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) loads when a Desk first opens it, not for `brief`
    from ..store import Store


__all__ = ["Desk", "brief", "analyse", "AnalyseResult"]

log = logging.getLogger(__name__)


def brief(
    paths: Sequence[str | Path],
    settings: Settings,
    *,
    progress: Progress = no_progress,
    options: IngestOptions | None = None,
) -> BriefResult:
    """Read, clean, fold, cluster and brief the articles under ``paths``, in memory; largest story first."""
    extract = None if options is None else options.extract
    return brief_paths(paths, Components(settings), progress=progress, extract=extract)


@dataclasses.dataclass(frozen=True)
class AnalyseResult:
    """What ``storydesk analyse`` prints: each article analysed, in input order, and the inputs that
    failed (named, with the reason)."""

    articles: list[ArticleReadout]
    failures: list[Failure]


def analyse(
    paths: Sequence[str | Path],
    settings: Settings,
    *,
    progress: Progress = no_progress,
    components: Components | None = None,
) -> AnalyseResult:
    """Read and analyse each article under ``paths`` on its own (no grouping, no store): sentences,
    entities, quotations and dates with offsets into the stored text (#15)."""
    articles: list[ArticleReadout] = []
    failures: list[Failure] = []
    for item in analyse_paths(paths, components or Components(settings), progress=progress):
        (failures if isinstance(item, Failure) else articles).append(item)  # type: ignore[arg-type]
    return AnalyseResult(articles, failures)


class Desk:
    """The store-backed core. Build one per process (or per test) and pass it to the CLI or the web app.

    ``options`` sizes the steps of an ingest (chunks, batches, extraction workers); the defaults suit
    every run, tests pass small ones.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        components: Components | None = None,
        options: IngestOptions | None = None,
    ) -> None:
        self.settings = settings
        self.components = components or Components(settings)
        self.options = options or IngestOptions()
        # One writer at a time per process (the web app runs requests in threads).
        self._write_lock = threading.Lock()

    @cached_property
    def store(self) -> Store:
        from ..store import Store

        return Store.open(self.settings.db_url)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[str | Path], *, progress: Progress = no_progress) -> IngestReport:
        """Add the articles under ``paths``; each is stored in its own transaction, then stories are updated."""
        timer = self.components.timer
        read = read_articles(paths, self.settings, timer=timer, prepared=True, extract=self.options.extract)
        with closing(read) as articles:
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
                for item in read_articles([tmp], self.settings, extract=self.options.extract):
                    if isinstance(item, Failure):
                        yield Failure(item.origin.replace(tmp, name), item.reason.replace(tmp, name))
                    else:
                        assert isinstance(item, Article)
                        yield dataclasses.replace(item, path=None)

            return self.ingest_items(items())

    def ingest_document(self, raw: RawDocument) -> IngestReport:
        """Ingest one article given as fields (the HTTP API's JSON body)."""
        return self.ingest_items([extract_document(raw)])

    def ingest_items(
        self, items: Iterable[Article | Prepared | Failure], *, progress: Progress = no_progress
    ) -> IngestReport:
        """Store ``items`` and update their stories (:func:`storydesk.pipeline.ingest_stream`)."""
        with self._write_lock:
            return ingest_stream(
                items,
                self.store,
                self.components,
                save=self._save_story,
                options=self.options,
                progress=progress,
            )

    def _save_story(self, story: Story, briefing: Briefing, outlet_count: int) -> None:
        """Write a briefed story: its row for listings, its members and actors, its briefing as JSON."""
        self.store.replace_story(
            story,
            title=briefing.title,
            first_published=briefing.first_published,
            last_published=briefing.last_published,
            outlet_count=outlet_count,
            lead=briefing.summary[0].text if briefing.summary else None,
            briefing_json=json.dumps(briefing_to_dict(briefing), ensure_ascii=False),
            entities=[(e.name, e.type) for e in briefing.entities],
        )

    # -- reading -----------------------------------------------------------------------------------

    def stories(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        q: str | None = None,
    ) -> list[StoryRow]:
        """Stories, newest first (all of them unless ``limit``); the filters are those of
        :meth:`storydesk.store.Store.list_stories`."""
        return self.store.list_stories(limit=limit, offset=offset, since=since, until=until, actor=actor, q=q)

    def count_stories(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        q: str | None = None,
    ) -> int:
        return self.store.count_stories(since=since, until=until, actor=actor, q=q)

    def briefing(self, story_id: str) -> Briefing:
        """The briefing of one story (``render.briefing_to_dict`` gives the JSON contract's story object)."""
        return briefing_from_dict(json.loads(self.store.get_briefing_json(story_id)))

    def briefings_for(self, article_ids: Iterable[str]) -> list[Briefing]:
        """Briefings of the stories holding these articles, largest first."""
        story_ids = {row.id for i in set(article_ids) for row in self.store.stories_for_article(i)}
        out = [self.briefing(sid) for sid in story_ids]
        out.sort(key=lambda b: (-sum(1 + len(a.duplicates) for a in b.articles), b.story_id))
        return out

    def article(self, article_id: str) -> Article:
        return self.store.get_article(article_id)

    def sentences(self, article: Article) -> list[Sentence]:
        """The article's sentences, indexed as the summaries' citations index them."""
        return article_sentences(article)

    def search(self, q: str, *, limit: int | None = None, offset: int = 0) -> list[SearchHit]:
        """Articles matching a search-box query, best first (all of them unless ``limit``)."""
        return self.store.search(q, limit=limit, offset=offset)

    def search_count(self, q: str) -> int:
        return self.store.search_count(q)

    def story_of(self, article_id: str) -> str | None:
        """The story holding this article, as a member or as a folded near-duplicate."""
        rows = self.store.stories_for_article(article_id)
        return rows[0].id if rows else None

    def duplicates_of(
        self, article_id: str, story_id: str | None = None, *, limit: int | None = None
    ) -> list[Article]:
        """The other articles of this article's near-duplicate group, the kept one first (at most ``limit``)."""
        story_id = story_id or self.story_of(article_id)
        if story_id is None:
            return []
        try:
            refs = self.briefing(story_id).articles
        except NotFoundError:
            return []
        for ref in refs:
            group = [ref.id, *ref.duplicates]
            if article_id in group:
                ids = [i for i in group if i != article_id][:limit]
                return list(self.store.iter_articles(ids=ids))
        return []
