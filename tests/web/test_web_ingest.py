"""The write path through real HTTP and the real pipeline: POST /api/articles (JSON and upload), and the
pages over a store filled by ``Desk.ingest_items`` with the default settings (MiniLM, facts on)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from _web import make_article, serve

from storydesk.config import Settings
from storydesk.service import Desk

TOKEN = {"Authorization": "Bearer test-token-123"}

QUAKE = (
    "A magnitude 5.1 earthquake shook the valley town of Orrin on Monday morning, officials said. "
    "No one was hurt, but the old grain tower on Mill Road cracked. "
    "Fire chief Lena Marsh said crews checked every school before noon.\n\n"
    "Residents described the shaking as brief but strong."
)
QUAKE2 = (
    "An earthquake of magnitude 5.1 struck Orrin on Monday morning, according to officials. "
    "The old grain tower on Mill Road cracked and nobody was injured. "
    "Fire chief Lena Marsh said crews inspected all schools by noon.\n\n"
    "Shops reopened in the afternoon."
)


def test_post_json_and_upload_ingest_and_update_story(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "w.db"), facts=False, embedder="tfidf", api_token="test-token-123")
    with serve(settings) as server:
        url = server.url
        body = {
            "text": QUAKE,
            "title": "Earthquake shakes Orrin",
            "outlet": "Valley News",
            "published": "2024-06-03",
            "url": "https://valley.example/quake",
        }
        first = httpx.post(f"{url}/api/articles", json=body, headers=TOKEN, timeout=120)
        assert first.status_code == 201, first.text
        got = first.json()
        assert got["added"] == 1 and len(got["article_ids"]) == 1 and len(got["story_ids"]) == 1
        again = httpx.post(f"{url}/api/articles", json=body, headers=TOKEN, timeout=120)
        assert again.status_code == 200 and again.json()["existing"] == 1

        upload = ("orrin-quake.txt", ("Orrin quake cracks grain tower\n\n" + QUAKE2).encode())
        second = httpx.post(f"{url}/api/articles", files={"file": upload}, headers=TOKEN, timeout=120)
        assert second.status_code == 201, second.text
        story_id = second.json()["story_ids"][0]
        story = httpx.get(f"{url}/api/stories/{story_id}").json()
        assert got["article_ids"][0] in {a["id"] for a in story["articles"]}
        assert second.json()["article_ids"][0] in {a["id"] for a in story["articles"]}
        listed = httpx.get(f"{url}/api/stories").json()
        assert listed["total"] == 1 and listed["items"][0]["article_count"] == 2
        assert tmp_path.as_posix() not in httpx.get(f"{url}/api/articles/{got['article_ids'][0]}").text

        empty = httpx.post(f"{url}/api/articles", files={"file": ("empty.txt", b"   ")}, headers=TOKEN)
        assert empty.status_code == 422 and "/tmp" not in empty.json()["error"]["detail"]


@pytest.mark.slow
def test_pages_over_default_pipeline(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "d.db"))
    with Desk(settings) as desk:
        desk.ingest_items(
            [
                make_article(
                    QUAKE, outlet="Valley News", title="Earthquake shakes Orrin", published="2024-06-03"
                ),
                make_article(
                    QUAKE2, outlet="Hill Courier", title="Orrin quake cracks tower", published="2024-06-03"
                ),
            ]
        )
        with serve(settings, desk) as server:
            url = server.url
            items = httpx.get(f"{url}/api/stories").json()["items"]
            assert len(items) == 1
            page = httpx.get(f"{url}/stories/{items[0]['id']}").text
            links = re.findall(r'href="/articles/([0-9a-f]+)\?s=(\d+)#s\d+"', page)
            assert links, "the summary cites no article sentence"
            aid, idx = links[0]
            article = httpx.get(f"{url}/articles/{aid}", params={"s": idx}).text
            assert f'id="s{idx}"><mark class="cited">' in article
            assert "Lena Marsh" in page
