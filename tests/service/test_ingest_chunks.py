"""Chunked ingest: articles are placed ``IngestOptions.place_every`` at a time, briefed by worker processes in long runs,
and the result is the same story set as one placement at the end; leftovers of a killed run are placed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from _paths import REPO
from storydesk.config import Settings
from storydesk.render import briefing_to_dict
from storydesk.service import Desk, IngestOptions

EXAMPLES = REPO / "examples" / "news"


def _stories(desk: Desk) -> list[tuple[str, ...]]:
    out = []
    for row in desk.stories(limit=1000):
        story = desk.store.get_story_members(row.id)
        members = set(story.article_ids) | {d for ds in story.duplicates.values() for d in ds}
        out.append(tuple(sorted(members)))
    return sorted(out)


def _ingest(
    tmp_path: Path, name: str, *, workers: int, options: IngestOptions | None = None
) -> tuple[list[tuple[str, ...]], Desk, dict]:
    settings = Settings(db=str(tmp_path / f"{name}.db"), embedder="tfidf", facts=False, workers=workers)
    desk = Desk(settings, options=options)
    report = desk.ingest([EXAMPLES])
    return _stories(desk), desk, {"report": report, "stages": dict(desk.components.timer.seconds)}


def test_chunked_ingest_with_workers_matches_one_placement(tmp_path: Path) -> None:
    whole, desk1, _ = _ingest(tmp_path, "whole", workers=0)
    chunked, desk2, info = _ingest(tmp_path, "chunked", workers=1, options=IngestOptions(place_every=4))
    assert "summarize (workers)" in info["stages"], "a run longer than one chunk briefs in workers"
    # at the end of the run the ingesting process briefs its share of the last stories too
    assert chunked == whole
    # every story has a briefing, and it names exactly the story's members
    for row in desk2.stories(limit=1000):
        briefing = desk2.briefing(row.id)
        story = desk2.store.get_story_members(row.id)
        assert [a.id for a in briefing.articles] == list(story.article_ids)
    assert info["report"].stories_updated >= len(chunked)
    desk1.close()
    desk2.close()


def test_workers_zero_briefs_in_process(tmp_path: Path) -> None:
    _, desk, info = _ingest(tmp_path, "inproc", workers=0, options=IngestOptions(place_every=4))
    assert "summarize" in info["stages"]
    assert not any(k.endswith("(workers)") for k in info["stages"])
    desk.close()


def test_unplaced_leftovers_are_placed_by_the_next_run(tmp_path: Path) -> None:
    """Articles stored by a run that died before placing them are put into stories by the next run,
    even when that run brings nothing new."""
    settings = Settings(db=str(tmp_path / "left.db"), embedder="tfidf", facts=False, workers=0)
    from storydesk.group.embed import embed_documents
    from storydesk.pipeline import read_articles

    articles = [a for a in read_articles([EXAMPLES], settings) if not hasattr(a, "reason")]
    with Desk(settings) as desk:
        vectors = embed_documents(desk.components.embedder, articles)
        for a, v in zip(articles, vectors, strict=True):  # stored, never placed: as after a SIGKILL
            desk.store.add_article(a, vector=v, model=desk.components.embedder.name)
        assert desk.count_stories() == 0
        report = desk.ingest([EXAMPLES])
        assert report.added == 0 and report.existing == len(articles)
        placed = {i for s in _stories(desk) for i in s}
        assert placed == {a.id for a in articles}
        assert report.stories_updated == len(_stories(desk))


def test_workers_setting_is_checked() -> None:
    from storydesk.config import load_settings
    from storydesk.errors import ConfigError

    with pytest.raises(ConfigError, match="workers"):
        load_settings(environ={"STORYDESK_WORKERS": "-3"}, config_file=None)
    settings, origin = load_settings(environ={"STORYDESK_WORKERS": "2"})
    assert settings.workers == 2 and origin["workers"] == "$STORYDESK_WORKERS"


def test_default_workers_leaves_a_core_for_ingest(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storydesk.workers import brief_pool, rules

    monkeypatch.setattr(brief_pool.os, "sched_getaffinity", lambda _: set(range(2)), raising=False)
    assert brief_pool.default_workers(-1) == 1
    monkeypatch.setattr(brief_pool.os, "sched_getaffinity", lambda _: set(range(1)), raising=False)
    assert brief_pool.default_workers(-1) == 0
    monkeypatch.setattr(brief_pool.os, "sched_getaffinity", lambda _: set(range(64)), raising=False)
    assert brief_pool.default_workers(-1) == rules.MAX_AUTO_WORKERS
    assert brief_pool.default_workers(3) == 3


def test_briefings_json_are_identical_with_and_without_workers(tmp_path: Path) -> None:
    _, d0, _ = _ingest(tmp_path, "a", workers=0)
    _, d1, _ = _ingest(tmp_path, "b", workers=1, options=IngestOptions(place_every=5))

    def summaries(desk: Desk) -> dict[tuple[str, ...], str]:
        out = {}
        for row in desk.stories(limit=1000):
            members = tuple(sorted(desk.store.get_story_members(row.id).article_ids))
            out[members] = json.dumps(briefing_to_dict(desk.briefing(row.id))["summary"], sort_keys=True)
        return out

    assert summaries(d0) == summaries(d1)
    d0.close()
    d1.close()


def test_stories_that_may_still_change_are_briefed_once_at_the_end(tmp_path: Path) -> None:
    """With chunks of 4 articles, every story still has members in the clusterer's open window until
    the end, so each is briefed exactly once (not once per chunk that touched it)."""
    settings = Settings(db=str(tmp_path / "once.db"), embedder="tfidf", facts=False, workers=0)
    events: list[str] = []
    with Desk(settings, options=IngestOptions(place_every=4)) as desk:
        desk.ingest([EXAMPLES], progress=lambda what, n: events.append(what))
        stories = desk.count_stories()
    assert events.count("story") == stories


def test_a_copy_in_the_first_chunk_is_folded_however_old(tmp_path: Path, shared_data: Path) -> None:
    """The near-duplicate index is rebuilt from what was placed before; the articles a run is about to
    place are decided once, in placing order. (They were fed to it twice: the second time the index's
    horizon had moved to the newest of them, and a copy published 30+ days earlier lost its original.)"""
    rows = [json.loads(line) for line in (shared_data / "stories" / "duc-stories.jsonl").open()][:3]
    lines = [
        {"title": "Original", "text": rows[0]["text"], "published": "1998-01-05", "url": "x://a"},
        {
            "title": "Copy",
            "text": rows[0]["text"] + " More to come.",
            "published": "1998-01-05",
            "url": "x://b",
        },
        {"title": "Later", "text": rows[1]["text"], "published": "1998-04-01", "url": "x://c"},
        {"title": "Later 2", "text": rows[2]["text"], "published": "1998-04-02", "url": "x://d"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    settings = Settings(db=str(tmp_path / "s.db"), embedder="tfidf", facts=False, workers=0)
    with Desk(settings) as desk:
        report = desk.ingest([path])
        urls = {a.id: a.url for a in desk.store.iter_articles()}
        story = desk.store.get_story_members(
            desk.store.story_assignments()[next(k for k, u in urls.items() if u == "x://a")]
        )
    assert report.duplicates == 1
    assert {urls[d] for ds in story.duplicates.values() for d in ds} == {"x://b"}


def test_with_facts_automatic_briefing_workers_are_one_per_core(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With the facts layer a briefing costs far more than the ingesting process's share of an article,
    which then spends most of a run waiting: automatic briefing workers are one per core; without it, one
    per core beyond the first, as the extraction workers."""
    from storydesk.workers import brief_pool, rules

    monkeypatch.setattr(brief_pool.os, "sched_getaffinity", lambda _: set(range(2)), raising=False)
    assert brief_pool.default_brief_workers(-1, facts=True) == 2
    assert brief_pool.default_brief_workers(-1, facts=False) == 1
    assert brief_pool.default_brief_workers(0, facts=True) == 0
    assert brief_pool.default_brief_workers(3, facts=True) == 3
    monkeypatch.setattr(brief_pool.os, "sched_getaffinity", lambda _: set(range(1)), raising=False)
    assert brief_pool.default_brief_workers(-1, facts=True) == 0
    monkeypatch.setattr(brief_pool.os, "sched_getaffinity", lambda _: set(range(64)), raising=False)
    assert brief_pool.default_brief_workers(-1, facts=True) == rules.MAX_AUTO_WORKERS
