"""Stored analyses (#17): a story that grows is re-briefed, by a fresh process, from its articles' stored
analyses: only the article that joined is parsed and embedded, and the briefing is the one a cold
briefing of the same articles gives. Default settings (MiniLM vectors, the spaCy facts layer), a real
SQLite store, real duc-stories articles."""

from __future__ import annotations

import json
from collections import Counter, OrderedDict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from storydesk.analyse import _facts, decode_stored
from storydesk.brief import brief_story
from storydesk.components import Components
from storydesk.config import Settings
from storydesk.group import embed
from storydesk.group.embed import document_text
from storydesk.model import Article
from storydesk.render import briefing_to_dict
from storydesk.service import Desk
from storydesk.stream import IngestOptions

pytestmark = pytest.mark.slow  # models load; several briefings


def _story_rows(shared_data: Path, size: int = 6) -> list[dict]:
    """The first ``size`` articles (by date) of the first gold story that has that many."""
    with (shared_data / "stories" / "duc-stories.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    story = next(s for s, n in Counter(r["story"] for r in rows).items() if n >= size)
    return [r for r in rows if r["story"] == story][:size]


def _write(rows: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: r[k] for k in ("id", "outlet", "published", "title", "text")}) + "\n")
    return path


class _Counts:
    """What a process computes: spaCy parses and the texts run through the MiniLM model."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._parses = _facts._parses

    @property
    def parses(self) -> int:
        return _facts._parses - self._parses


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Counts]:
    run = embed.MiniLMEmbedder._run
    found = _Counts()

    def counted(self: embed.MiniLMEmbedder, texts: list[str]) -> np.ndarray:
        found.texts.extend(texts)
        return run(self, texts)

    monkeypatch.setattr(embed.MiniLMEmbedder, "_run", counted)
    yield found


def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process starts with: no parse cached (a new Components brings a new embedder and its
    empty cache)."""
    monkeypatch.setattr(_facts, "_cache", OrderedDict())


def _settings(tmp_path: Path, workers: int = 0) -> Settings:
    return Settings(db=str(tmp_path / "store.db"), workers=workers)  # MiniLM and facts: the defaults


def _cold_json(desk: Desk, story_id: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The briefing of the stored story made from scratch in a fresh process (no stored analyses)."""
    _fresh_process(monkeypatch)
    story = desk.store.get_story_members(story_id)
    ids = list(story.article_ids) + [d for ds in story.duplicates.values() for d in ds]
    articles = {a.id: a for a in desk.store.iter_articles(ids=ids)}
    cold = brief_story(story, articles, Components(desk.settings))
    return json.dumps(briefing_to_dict(cold), ensure_ascii=False)


def _joined(desk: Desk, new: Article) -> str:
    [row] = desk.store.stories_for_article(new.id)
    return row.id


def test_a_grown_story_is_rebriefed_from_stored_analyses_by_a_new_process(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch, counts: _Counts
) -> None:
    rows = _story_rows(shared_data)
    settings = _settings(tmp_path)
    with Desk(settings) as desk:
        desk.ingest([_write(rows[:-1], tmp_path / "first.jsonl")])
        version = desk.components.analysis_version
        stored = desk.store.analyses.versions()
    assert stored == {version: len(rows) - 1}  # every briefed article's analysis, under the run's version

    _fresh_process(monkeypatch)
    before = len(counts.texts)
    parses = counts.parses
    with Desk(settings) as desk:
        report = desk.ingest([_write(rows[-1:], tmp_path / "one.jsonl")])
        assert report.added == 1 and report.stories_updated == 1
        new = next(a for a in desk.store.iter_articles() if a.text == rows[-1]["text"])
        story_id = _joined(desk, new)
        members = desk.store.get_story_members(story_id).article_ids
        assert len(members) > 1  # it joined a story of stored articles
        # only the article that joined was parsed and embedded
        assert counts.parses - parses == 1
        embedded = counts.texts[before:]
        assert embedded and all(t == document_text(new) or t in new.text for t in embedded)
        assert desk.store.analyses.versions() == {version: len(rows)}
        warm = desk.store.get_briefing_json(story_id)
        # identical to a cold briefing of the same articles (nothing stored, nothing cached)
        assert warm == _cold_json(desk, story_id, monkeypatch)


def test_a_stale_or_damaged_stored_analysis_is_recomputed_not_an_error(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch, counts: _Counts
) -> None:
    rows = _story_rows(shared_data)
    settings = _settings(tmp_path)
    with Desk(settings) as desk:
        desk.ingest([_write(rows[:-1], tmp_path / "first.jsonl")])
        version = desk.components.analysis_version
        blobs = desk.store.get_analyses([a.id for a in desk.store.iter_articles()], version)
        ids = sorted(blobs)
        # every row spoiled, four ways: another version, not a blob, a vector changed, vectors cut short
        with desk.store.engine.begin() as conn:
            for k, aid in enumerate(ids):
                if k % 4 == 0:
                    conn.execute(
                        text("UPDATE analyses SET version = 'an older storydesk' WHERE article_id = :a"),
                        {"a": aid},
                    )
                    continue
                blob = blobs[aid]
                spoiled = [b"SDA1garbage", blob[:-7] + bytes(7), blob[:-8]][k % 4 - 1]
                conn.execute(
                    text("UPDATE analyses SET data = :d WHERE article_id = :a"), {"a": aid, "d": spoiled}
                )

    _fresh_process(monkeypatch)
    parses = counts.parses
    with Desk(settings) as desk:
        report = desk.ingest([_write(rows[-1:], tmp_path / "one.jsonl")])
        assert report.stories_updated == 1 and not report.failures
        new = next(a for a in desk.store.iter_articles() if a.text == rows[-1]["text"])
        story_id = _joined(desk, new)
        members = set(desk.store.get_story_members(story_id).article_ids)
        spoiled = members - {new.id}
        assert spoiled <= set(ids) and len(spoiled) >= 2  # the story re-briefed holds spoiled rows ...
        assert counts.parses - parses == 1 + len(spoiled)  # ... which are parsed again, with the new one
        # ... and overwritten with good ones
        articles = {a.id: a for a in desk.store.iter_articles(ids=list(members))}
        found = desk.store.get_analyses(members, version)
        assert set(found) == members
        for aid, data in found.items():
            assert decode_stored(data, articles[aid], version).facts is not None
        assert desk.store.get_briefing_json(story_id) == _cold_json(desk, story_id, monkeypatch)


def test_briefing_workers_get_stored_analyses_and_hand_back_what_they_made(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a run longer than one chunk, stories are briefed in worker processes; the parent reads the
    stored analyses for them and writes those the workers made, with their briefings."""
    rows = _story_rows(shared_data, 8)
    settings = _settings(tmp_path, workers=1)
    with Desk(settings, options=IngestOptions(place_every=3)) as desk:
        desk.ingest([_write(rows[:-1], tmp_path / "first.jsonl")])
        assert any(k.endswith("(workers)") for k in desk.components.timer.seconds)  # the pool briefed
        version = desk.components.analysis_version
        members = [a for s in desk.stories() for a in desk.store.get_story_members(s.id).article_ids]
        assert set(desk.store.get_analyses(members, version)) == set(members)

    _fresh_process(monkeypatch)
    parses = _facts._parses
    with Desk(settings) as desk:
        desk.ingest([_write(rows[-1:], tmp_path / "one.jsonl")])
        assert _facts._parses - parses == 1
        new = next(a for a in desk.store.iter_articles() if a.text == rows[-1]["text"])
        story_id = _joined(desk, new)
        assert desk.store.get_briefing_json(story_id) == _cold_json(desk, story_id, monkeypatch)


def test_the_version_key_is_the_same_in_every_process_of_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key does not depend on what a process has loaded (a run computes it after building its
    embedder, a new one before), on the embedder's threads, or on anything but the settings."""
    settings = Settings()
    fresh = Components(settings).analysis_version
    loaded = Components(settings)
    loaded.embedder.embed(["A sentence."])
    assert loaded.analysis_version == fresh
    one_thread = Components(settings, embedder=embed.MiniLMEmbedder(embed.EmbedderOptions(threads=1)))
    assert one_thread.analysis_version == fresh
    assert Components(Settings(facts=False)).analysis_version != fresh
    assert not Components(Settings(embedder="tfidf", facts=False)).stores_analyses
    assert Components(Settings(embedder="tfidf")).stores_analyses
    assert not Components(Settings(embedder="tfidf")).stores_vectors
    # another release of the spaCy model: another key
    from importlib import metadata

    real = metadata.version
    monkeypatch.setattr(
        metadata, "version", lambda name: "9.9.9" if name == settings.spacy_model else real(name)
    )
    assert Components(settings).analysis_version != fresh
