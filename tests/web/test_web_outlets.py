"""#15 over real HTTP: an article posted without an outlet gets the one its dateline names, marked inferred
in the article API and in the story's JSON (a real AP copy from PolNeAR, ../shared/data)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from _web import seeded_desk, serve


def test_posted_wire_copy_gets_its_inferred_outlet(tmp_path: Path, shared_data: Path) -> None:
    with (shared_data / "quotes" / "polnear-dev.jsonl").open(encoding="utf-8") as f:
        record = next(
            r
            for r in map(json.loads, f)
            if r["outlet"] == "Breitbart" and "\n\nWASHINGTON (AP) — " in r["text"][:400]
        )
    sd = seeded_desk(tmp_path, api_token="t0ken")
    with serve(sd.settings, sd.desk) as server:
        auth = {"Authorization": "Bearer t0ken"}
        fields = {"text": record["text"], "title": record["title"], "published": record["published"]}
        posted = httpx.post(f"{server.url}/api/articles", json=fields, headers=auth, timeout=60)
        assert posted.status_code == 201, posted.text
        (article_id,) = posted.json()["article_ids"]
        article = httpx.get(f"{server.url}/api/articles/{article_id}").json()
        assert (article["outlet"], article["outlet_inferred"]) == ("AP", True)
        assert article["text"].startswith("WASHINGTON (AP) — ")  # the page's text is kept as printed
        story = httpx.get(f"{server.url}/api/stories/{article['story_id']}").json()
        (ref,) = [a for a in story["articles"] if a["id"] == article_id]
        assert (ref["outlet"], ref["outlet_inferred"]) == ("AP", True)
        seeded = httpx.get(f"{server.url}/api/stories/{sd.bridge.story_id}").json()
        assert all(a["outlet_inferred"] is False for a in seeded["articles"])
