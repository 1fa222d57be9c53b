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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .config import Settings
from .errors import NotFoundError, StorydeskError
from .model import Article, Briefing, Failure, RawDocument, Story
from .pipeline import Components, StoryIndex, article_sort_key, brief_story, group, read_articles

__all__ = ["BriefResult", "IngestReport", "Desk", "brief"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]
"""Called with (what happened, how many) as work advances: ``("article", 1)``, ``("failure", 1)``."""

EMBED_BATCH = 32
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
    for item in read_articles(paths, settings):
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
        items = self.components.timer.iterate("read+extract", read_articles(paths, self.settings))
        return self.ingest_items(items, progress=progress)

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

    def ingest_items(self, items: Iterable[Article | Failure], *, progress: Progress = _noop) -> IngestReport:
        with self._write_lock:
            return self._ingest_items(items, progress)

    def _ingest_items(self, items: Iterable[Article | Failure], progress: Progress) -> IngestReport:
        report = IngestReport()
        batch: list[Article] = []
        timer = self.components.timer

        def flush() -> None:
            if not batch:
                return
            vectors = self._vectors(batch)
            with timer("store"):
                for article, vector in zip(batch, vectors, strict=True):
                    if self.store.add_article(article, vector=vector, model=self.components.embedder.name):
                        report.added += 1
                    else:
                        report.existing += 1
            batch.clear()

        for item in items:
            if isinstance(item, Failure):
                report.failures.append(item)
                self._record_failure(item)
                progress("failure", 1)
                continue
            report.article_ids.append(item.id)
            progress("article", 1)
            with timer("store"):
                known = self.store.has_article(item.id)
            if known:
                report.existing += 1
                continue
            if any(a.id == item.id for a in batch):
                report.existing += 1
                continue
            batch.append(item)
            if len(batch) >= EMBED_BATCH:
                flush()
        flush()
        report.duplicates, report.stories_updated = self._update_stories(progress)
        return report

    def _record_failure(self, failure: Failure) -> None:
        self.store.add_failure(failure)

    def _vectors(self, articles: Sequence[Article]) -> np.ndarray:
        from .embed import embed_documents

        with self.components.timer("embed"):
            return embed_documents(self.components.embedder, list(articles))

    def _update_stories(self, progress: Progress) -> tuple[int, int]:
        """Place every stored article not yet in a story, then rebuild the briefings of touched stories."""
        store = self.store
        timer = self.components.timer
        with timer("store"):
            assignments: dict[str, str] = store.story_assignments()
            duplicates: dict[str, str] = store.get_duplicates()
            placed: list[Article] = []
            pending: list[Article] = []
            for a in store.iter_articles():
                (placed if a.id in assignments or a.id in duplicates else pending).append(a)
        if not pending:
            return 0, 0
        model = self.components.embedder.name
        with timer("store"):
            vectors = store.get_vectors([a.id for a in placed + pending], model)
        missing = [a for a in placed + pending if a.id not in vectors]
        if missing:
            vectors.update(zip([a.id for a in missing], self._vectors(missing), strict=True))
        touched: set[str] = set()
        new_dups = 0
        with timer("dedup+cluster"):
            index = StoryIndex(self.components, placed, vectors, assignments, duplicates)
            for article in sorted(pending, key=article_sort_key):
                story_id, canonical = index.add(article, vectors[article.id])
                touched.add(story_id)
                new_dups += canonical is not None
            changed, removed = index.flush()
        with timer("store"):
            store.set_duplicates(index.duplicates)
        stories = {s.id: s for s in index.stories()}
        to_save = sorted((touched | changed) & stories.keys())
        by_id: dict[str, Article] = {}
        for sid in to_save:
            story = stories[sid]
            need = [i for i in story.article_ids if i not in by_id]
            need += [d for ds in story.duplicates.values() for d in ds if d not in by_id]
            with timer("store"):
                by_id.update((a.id, a) for a in store.iter_articles(ids=need))
            self._save_story(story, by_id)
            progress("story", 1)
        with timer("store"):
            store.delete_stories(removed - stories.keys())
        return new_dups, len(to_save)

    def _save_story(self, story: Story, articles: dict[str, Article]) -> Briefing:
        briefing = brief_story(story, articles, self.components)
        timer = self.components.timer
        outlets = {articles[i].outlet or i for i in story.article_ids}
        for dups in story.duplicates.values():
            outlets.update(articles[d].outlet or d for d in dups if d in articles)
        with timer("store"):
            self._replace_story(story, briefing, outlets)
        return briefing

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

        ids = set(article_ids)
        assignments = self.store.story_assignments()
        duplicates = self.store.get_duplicates()
        story_ids = {assignments.get(duplicates.get(i, i)) for i in ids} - {None}
        out = [briefing_from_dict(self.briefing(sid)) for sid in story_ids if sid]
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
