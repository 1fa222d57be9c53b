"""An ingest after a complete run leaves the stories already written as they are (an hourly cron, `serve
--watch`): one unrelated article more regrouped some of them, because the next run rebuilt the clusterer
from the store and revised the re-opened last 500 stored articles with sums that were not the live run's."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from _store_state import assert_each_article_in_one_story, read_rows, write_jsonl

from _paths import SHARED_DATA
from storydesk.config import Settings
from storydesk.service import Desk

#: The first articles of duc-stories (public data): enough that main's rebuild regrouped 6 stories of 67.
ARTICLES = 400
FIELDS = ("title", "text", "outlet", "published")


def _groups(url: str) -> dict[str, frozenset[str]]:
    """Story id → the first 200 characters of its articles' texts (members and folded copies), plain SQL."""
    rows = read_rows(
        url, "SELECT m.story_id, a.text FROM story_articles m JOIN articles a ON a.id = m.article_id"
    )
    out: dict[str, set[str]] = {}
    for story, text in rows:
        out.setdefault(story, set()).add(text[:200])
    return {story: frozenset(texts) for story, texts in out.items()}


def test_an_ingest_after_a_complete_run_keeps_the_written_stories(tmp_path: Path) -> None:
    with (SHARED_DATA / "stories" / "duc-stories.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(ARTICLES), fh, strict=False)]
    # one article held back: the newest of the largest gold story among them, ingested last
    largest, _ = Counter(r["story"] for r in rows).most_common(1)[0]
    held = max((r for r in rows if r["story"] == largest), key=lambda r: (r["published"], r["id"]))
    first = [{k: r[k] for k in FIELDS if r.get(k)} for r in rows if r is not held]
    url = f"sqlite:///{tmp_path / 'store.db'}"
    settings = Settings(db=url, embedder="tfidf", facts=False, workers=0)
    with Desk(settings) as desk:
        desk.ingest([write_jsonl(tmp_path / "first.jsonl", first)])
    written = _groups(url)

    cake = "A recipe for lemon cake: whisk butter and sugar, fold in flour and bake until golden. " * 3
    with Desk(settings) as desk:
        report = desk.ingest([write_jsonl(tmp_path / "cake.jsonl", [{"title": "Lemon cake", "text": cake}])])
    assert report.added == 1
    after = _groups(url)
    changed = sorted(s for s, group in written.items() if after.get(s) != group)
    assert changed == [], (
        f"{len(changed)} of {len(written)} written stories regrouped by an unrelated article"
    )
    assert set(after) - set(written) == {
        next(s for s, g in after.items() if any("lemon cake" in t for t in g))
    }

    # an article of a written story still joins it, and only that story changes
    with Desk(settings) as desk:
        desk.ingest([write_jsonl(tmp_path / "held.jsonl", [{k: held[k] for k in FIELDS if held.get(k)}])])
    assert_each_article_in_one_story(url)
    end = _groups(url)
    grown = [s for s, group in after.items() if end.get(s) != group]
    assert len(grown) == 1 and end[grown[0]] == after[grown[0]] | {held["text"][:200]}
    mates = {r["text"][:200] for r in rows if r["story"] == largest and r is not held}
    # (a story of its gold story: the clusterer split that one in two, and it joins the part it is nearest)
    assert len(after[grown[0]] & mates) >= len(after[grown[0]]) // 2
