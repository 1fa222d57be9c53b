"""The streaming ingest's steps over a real SQLite store: storing in embed batches, placing, and the order
of the steps in ``pipeline.ingest_stream``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from _paths import EXAMPLES
from storydesk.components import Components
from storydesk.config import Settings
from storydesk.group.embed import HashingEmbedder
from storydesk.model import AnalysisBlob, Article, Briefing, Failure, Story
from storydesk.pipeline import ingest_stream, read_articles
from storydesk.store import Store
from storydesk.stream import IngestOptions, IngestReport, no_progress, store_new_articles


class CountingEmbedder(HashingEmbedder):
    """The model-free embedder, counting how many texts each call embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def embed(self, texts: list[str]) -> np.ndarray:  # type: ignore[override]
        self.calls.append(len(texts))
        return super().embed(texts)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=str(tmp_path / "s.db"), embedder="tfidf", facts=False, workers=0)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store.open(settings.db_url) as opened:
        yield opened


@pytest.fixture
def articles(settings: Settings) -> list[Article]:
    return [a for a in read_articles([EXAMPLES / "news"], settings) if isinstance(a, Article)]


def test_new_articles_are_embedded_in_batches_and_stored_once(
    settings: Settings, store: Store, articles: list[Article]
) -> None:
    embedder = CountingEmbedder()
    components = Components(settings, embedder=embedder)
    report = IngestReport()
    bad = Failure("broken.html", "no text")
    items: list[Article | Failure] = [*articles, bad, articles[0]]  # a failure and a repeat
    stored = list(
        store_new_articles(items, store, components, IngestOptions(embed_batch=4), report, no_progress)
    )
    assert [n.article.id for n in stored] == [a.id for a in articles]
    assert embedder.calls == [4] * (len(articles) // 4) + ([len(articles) % 4] if len(articles) % 4 else [])
    assert (report.added, report.existing, report.failures) == (len(articles), 1, [bad])
    assert store.list_failures() == [bad]
    for new in stored:
        np.testing.assert_array_equal(
            store.get_vectors([new.article.id], "tfidf")[new.article.id], new.vector
        )
    # a second run stores nothing and embeds nothing: every article is known before it is embedded
    again = IngestReport()
    assert (
        list(
            store_new_articles(articles, store, components, IngestOptions(embed_batch=4), again, no_progress)
        )
        == []
    )
    assert (again.added, again.existing) == (0, len(articles))
    assert sum(embedder.calls) == len(articles)


def test_ingest_stream_saves_each_due_story_through_the_writer(
    settings: Settings, store: Store, articles: list[Article]
) -> None:
    """pipeline.ingest_stream reaches the store only through the IngestStore methods and the writer it
    is given: every story it places is handed to ``save`` with its briefing, and nothing else writes one."""
    saved: list[tuple[Story, Briefing, int]] = []
    components = Components(settings)

    def save(
        story: Story, briefing: Briefing, outlet_count: int, analyses: Sequence[AnalysisBlob] = ()
    ) -> None:
        assert not analyses  # embedder tfidf, facts off: nothing worth storing (#17)
        saved.append((story, briefing, outlet_count))

    report = ingest_stream(articles, store, components, save=save, options=IngestOptions(place_every=5))
    assert report.added == len(articles) and report.stories_updated == len({s.id for s, _, _ in saved})
    assert store.count_stories() == 0  # the writer given here keeps the stories to itself
    placed = {
        a for s, _, _ in saved for a in (*s.article_ids, *(d for ds in s.duplicates.values() for d in ds))
    }
    assert placed == {a.id for a in articles}
    for story, briefing, outlets in saved:
        assert briefing.story_id == story.id
        assert {r.id for r in briefing.articles} == set(story.article_ids)
        assert 1 <= outlets <= len(story.article_ids) + sum(len(d) for d in story.duplicates.values())
