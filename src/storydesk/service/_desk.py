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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import NotFoundError, StoreBusyError, StoreError
from ..model import (
    AnalysisBlob,
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
    from ..store import Membership, Store


__all__ = ["AnalyseResult", "Checkup", "Desk", "RepairReport", "analyse", "brief"]

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


@dataclass(frozen=True)
class Checkup:
    """A store's health (``storydesk doctor``): what each check found."""

    #: Page-level problems (SQLite's integrity check); empty when whole.
    integrity: list[str]
    #: What is wrong with the full-text index, or None.
    fulltext: str | None
    #: The schema revisions the database is at, and the latest this code knows.
    revisions: tuple[str, ...]
    latest: str
    #: Story membership (articles in several stories, empty stories, stray copies, ungrouped articles).
    membership: Membership
    #: The ingest holding the writer lock now ("another ingest (pid N)"), or None.
    busy: str | None = None

    @property
    def schema_current(self) -> bool:
        return self.revisions == (self.latest,)

    @property
    def ok(self) -> bool:
        """Nothing to repair (ungrouped articles count while no ingest is running)."""
        return (
            not self.integrity
            and self.fulltext is None
            and self.schema_current
            and not self.membership.damaged
            and (self.membership.ungrouped == 0 or self.busy is not None)
        )


@dataclass(frozen=True)
class RepairReport:
    """What ``storydesk repair`` did, one line each, and the health afterwards."""

    actions: list[str] = field(default_factory=list)
    after: Checkup | None = None


def _no_membership() -> Membership:
    from ..store import Membership

    return Membership()


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
    every run, tests pass small ones. Writes (ingest, repair) hold the store's writer lock, waiting up to
    ``lock_timeout`` seconds (default: the setting) for another ingest; ``notice`` is told once what it
    waits for (default: a logged warning). ``migrate=False`` opens an older schema without upgrading it
    (``doctor``).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        components: Components | None = None,
        options: IngestOptions | None = None,
        lock_timeout: float | None = None,
        notice: Callable[[str], None] | None = None,
        migrate: bool = True,
    ) -> None:
        self.settings = settings
        self.components = components or Components(settings)
        self.options = options or IngestOptions()
        self.lock_timeout = settings.lock_timeout if lock_timeout is None else lock_timeout
        self.notice: Callable[[str], None] = notice or log.warning
        self._migrate = migrate
        # One writer at a time per process (the web app runs requests in threads); the store's writer
        # lock orders writers across processes.
        self._write_lock = threading.Lock()

    @cached_property
    def store(self) -> Store:
        from ..store import Store

        return Store.open(self.settings.db_url, migrate=self._migrate)

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
        """Store ``items`` and update their stories (:func:`storydesk.pipeline.ingest_stream`), holding the
        store's writer lock: concurrent ingests run one after another, each over the stories the previous
        one left (docs/concurrency.md). Stories damaged by writers that ran without it are released first
        and their articles placed again."""
        with self._write_lock, self.store.writer_lock(timeout=self.lock_timeout, notice=self.notice):
            for line in self._release_damaged_stories():
                self.notice(line)
            return ingest_stream(
                items,
                self.store,
                self.components,
                save=self._save_story,
                options=self.options,
                progress=progress,
            )

    def _release_damaged_stories(self) -> list[str]:
        """Delete stories whose membership is inconsistent (under the writer lock) so that the placement that
        follows groups their articles again; what was done, one line each."""
        found = self.store.doctor.membership()
        if not found.damaged:
            return []
        stories, articles = self.store.doctor.release_damaged_stories(found)
        line = (
            f"released {stories} stories with inconsistent membership ({len(found.in_several)} articles in "
            f"several stories, {len(found.empty_stories)} stories without articles, "
            f"{len(found.stray_copies)} copies away from their original, {len(found.copy_chains)} chained "
            f"copies) so that their {articles} articles are grouped again"
        )
        return [line]

    def _save_story(
        self, story: Story, briefing: Briefing, outlet_count: int, analyses: Sequence[AnalysisBlob] = ()
    ) -> None:
        """Write a briefed story: its row for listings, its members and actors, its briefing as JSON and
        the analyses its briefing made (#17), in one transaction."""
        self.store.replace_story(
            story,
            title=briefing.title,
            first_published=briefing.first_published,
            last_published=briefing.last_published,
            outlet_count=outlet_count,
            lead=briefing.summary[0].text if briefing.summary else None,
            briefing_json=json.dumps(briefing_to_dict(briefing), ensure_ascii=False),
            entities=[(e.name, e.type) for e in briefing.entities],
            analyses=analyses,
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
        related: str | None = None,
    ) -> list[StoryRow]:
        """Stories, newest first (all of them unless ``limit``); the filters are those of
        :meth:`storydesk.store.Store.list_stories` (``related``: the stories of the same subject as the
        story of this id; NotFoundError if there is no such story)."""
        if related is not None:
            self.store.get_story(related)
        return self.store.list_stories(
            limit=limit, offset=offset, since=since, until=until, actor=actor, q=q, related=related
        )

    def count_stories(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        q: str | None = None,
        related: str | None = None,
    ) -> int:
        return self.store.count_stories(since=since, until=until, actor=actor, q=q, related=related)

    def story(self, story_id: str) -> StoryRow:
        """One story as listed (NotFoundError if there is none of that id)."""
        return self.store.get_story(story_id)

    def ungrouped(self) -> int:
        """Stored articles in no story yet: an ingest is running or was interrupted (``repair`` groups them)."""
        return self.store.count_ungrouped()

    # -- health --------------------------------------------------------------------------------------

    def checkup(self) -> Checkup:
        """Check the store without changing it (the schema is not migrated by a ``migrate=False`` Desk)."""
        from ..store._migrate import head_revision

        self._require_existing_store()
        doctor = self.store.doctor
        try:
            integrity = doctor.integrity()
        except StoreError as exc:  # too damaged to check ("database disk image is malformed")
            return Checkup([str(exc)], None, (), head_revision(), _no_membership())
        revisions, latest = doctor.schema()
        busy = None
        try:
            with self.store.writer_lock(timeout=0, notice=lambda _: None):
                pass
        except StoreBusyError as exc:
            busy = exc.holder
        schema_ok = revisions == (latest,)
        return Checkup(
            integrity=integrity,
            fulltext=doctor.fulltext() if schema_ok else None,
            revisions=revisions,
            latest=latest,
            membership=doctor.membership() if schema_ok else _no_membership(),
            busy=busy,
        )

    def repair(self, *, progress: Progress = no_progress) -> RepairReport:
        """Repair what the store can: missing migrations, the full-text index, stories with inconsistent
        membership (indexes that disagree with their tables are rebuilt first); then group every article not in
        a story. Holds the writer lock throughout. A damaged table is reported, not repaired (restore a
        backup)."""
        self._require_existing_store()
        doctor = self.store.doctor
        actions: list[str] = []
        with self._write_lock, self.store.writer_lock(timeout=self.lock_timeout, notice=self.notice):
            problems = doctor.integrity()
            if problems and all(" index " in p or p.startswith("wrong # of entries") for p in problems):
                doctor.repair_indexes()
                actions.append(f"rebuilt the indexes ({len(problems)} problems found in them)")
            if doctor.integrity():  # a damaged table: nothing below can be trusted
                return RepairReport(actions, self.checkup())
            revisions, latest = doctor.schema()
            if revisions != (latest,):
                doctor.repair_schema()
                actions.append(f"migrated the schema from {','.join(revisions) or 'nothing'} to {latest}")
            if problem := doctor.fulltext():
                doctor.repair_fulltext()
                actions.append(f"rebuilt the full-text index ({problem})")
            actions += self._release_damaged_stories()
            waiting = doctor.membership().ungrouped
            if waiting:
                report = ingest_stream(
                    [],
                    self.store,
                    self.components,
                    save=self._save_story,
                    options=self.options,
                    progress=progress,
                )
                placed = waiting - doctor.membership().ungrouped
                actions.append(
                    f"grouped {placed} of {waiting} articles that were in no story ({report.stories_updated} "
                    f"stories written, {report.duplicates} near-duplicates folded)"
                )
        return RepairReport(actions, self.checkup())

    def _require_existing_store(self) -> None:
        """StoreError for a SQLite file that does not exist: checking or repairing it must not create it."""
        from ..store._engine import normalise_url, sqlite_path

        if "store" in self.__dict__:
            return
        path = (
            sqlite_path(normalise_url(self.settings.db_url))
            if self.settings.db_url.startswith("sqlite")
            else None
        )
        if path is not None and not path.exists():
            raise StoreError(f"{path}: no store there (nothing to check); name one with --db")

    def briefing(self, story_id: str) -> Briefing:
        """The briefing of one story (``render.briefing_to_dict`` gives the JSON contract's story object),
        with its related stories as the store holds them now (they change as other stories do)."""
        briefing = briefing_from_dict(json.loads(self.store.get_briefing_json(story_id)))
        return dataclasses.replace(briefing, related=tuple(self.store.related_stories(story_id)))

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
