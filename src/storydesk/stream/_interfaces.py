"""What the streaming ingest is handed: its options, the store it reads and writes (a Protocol the service
satisfies), and the report it fills."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..group import Prepared
from ..model import AnalysisBlob, Article, Briefing, Failure, Story
from ..workers.extract_pool import ExtractPoolOptions
from . import rules

__all__ = [
    "IngestOptions",
    "IngestStore",
    "SaveStory",
    "IngestReport",
    "NewArticle",
    "Progress",
    "no_progress",
]

Progress = Callable[[str, int], None]
"""Called with (what happened, how many) as work advances: ``("article", 1)``, ``("failure", 1)``,
``("story", 1)``."""


def no_progress(_: str, __: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How a streaming ingest cuts its work (defaults in :mod:`storydesk.stream.rules` and
    :mod:`storydesk.workers.rules`); built once by the caller and passed down."""

    #: New articles checked against the store and embedded at a time.
    embed_batch: int = rules.EMBED_BATCH
    #: Stored articles placed into stories at a time.
    place_every: int = rules.PLACE_EVERY
    #: How documents are handed to extraction workers.
    extract: ExtractPoolOptions = ExtractPoolOptions()


class IngestStore(Protocol):
    """The reads and writes the streaming ingest needs; :class:`storydesk.store.Store` has them."""

    def existing_ids(self, ids: Iterable[str]) -> set[str]: ...

    def add_article(self, article: Article, *, vector: np.ndarray, model: str) -> bool: ...

    def add_failure(self, failure: Failure) -> None: ...

    def iter_articles(self, *, ids: Iterable[str] | None = None) -> Iterator[Article]: ...

    def iter_placed(self, model: str) -> Iterator[tuple[Article, np.ndarray | None, str]]: ...

    def iter_unplaced(self) -> Iterator[Article]: ...

    def get_vectors(self, ids: Iterable[str], model: str) -> dict[str, np.ndarray]: ...

    def duplicates_for(self, canonical_ids: Iterable[str]) -> dict[str, tuple[str, ...]]: ...

    def get_analyses(self, ids: Iterable[str], version: str) -> dict[str, bytes]: ...

    def set_duplicates(self, mapping: dict[str, str]) -> None: ...

    def delete_stories(self, ids: Iterable[str]) -> int: ...


class SaveStory(Protocol):
    """Writes one briefed story (its members, folded copies and briefing) where readers find it, with the
    analyses its briefing made (#17), in one transaction."""

    def __call__(
        self, story: Story, briefing: Briefing, outlet_count: int, analyses: Sequence[AnalysisBlob] = ()
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article this run stored, with its document vector and the features made ahead (if any)."""

    article: Article
    vector: np.ndarray
    prepared: Prepared | None = None


@dataclass
class IngestReport:
    added: int = 0
    existing: int = 0
    duplicates: int = 0
    stories_updated: int = 0
    failures: list[Failure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    llm: dict[str, int] = field(default_factory=dict)  # summarizer=llm: calls, tokens, failures
    #: stored analyses (#17) the run's briefings used, and those found unusable (damaged, another text)
    analyses_read: int = 0
    analyses_unusable: int = 0

    def line(self) -> str:
        text = (
            f"ingested {self.added} new, {self.existing} already stored, {self.duplicates} near-duplicates folded, "
            f"{len(self.failures)} failed; {self.stories_updated} stories updated"
        )
        if self.llm.get("calls"):
            text += (
                f"; LLM: {self.llm['calls']} calls, {self.llm.get('prompt_tokens', 0)} prompt + "
                f"{self.llm.get('completion_tokens', 0)} completion tokens, {self.llm.get('failures', 0)} failed"
            )
        return text
