"""The JSON API and the pages through real HTTP (uvicorn on 127.0.0.1), over a seeded SQLite store."""

from __future__ import annotations

import json

import httpx
import pytest
from _web import BRIDGE, Seeded, link_related, seeded_desk, serve

ERROR_KEYS = {"status", "title", "detail"}


def assert_error(resp: httpx.Response, status: int) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status
    assert "Traceback" not in resp.text
    return body["error"]


def test_story_list_paginates_newest_first(live: tuple[str, Seeded]) -> None:
    url, sd = live
    first = httpx.get(f"{url}/api/stories", params={"limit": 2}).json()
    assert first["total"] == 3 and first["limit"] == 2 and first["offset"] == 0
    assert [s["id"] for s in first["items"]] == [sd.hostile.story_id, sd.library.story_id]
    second = httpx.get(f"{url}/api/stories", params={"limit": 2, "offset": 2}).json()
    assert [s["id"] for s in second["items"]] == [sd.bridge.story_id]
    item = second["items"][0]
    assert item["article_count"] == 2 and item["outlet_count"] == 2
    assert item["lead"] == sd.bridge.summary[0].text


def test_story_list_filters(live: tuple[str, Seeded]) -> None:
    url, sd = live
    got = httpx.get(f"{url}/api/stories", params={"since": "2024-04-01", "until": "2024-04-30"}).json()
    assert [s["id"] for s in got["items"]] == [sd.library.story_id] and got["total"] == 1
    assert httpx.get(f"{url}/api/stories", params={"actor": "Nobody Known"}).json()["total"] == 0


def test_story_is_the_brief_json_story_object(live: tuple[str, Seeded]) -> None:
    url, sd = live
    got = httpx.get(f"{url}/api/stories/{sd.bridge.story_id}").json()
    stored = json.loads(sd.desk.store.get_briefing_json(sd.bridge.story_id))
    assert got == stored
    assert got["summary"][0]["citations"] == [a.id for a in BRIDGE]


def test_article_and_search(live: tuple[str, Seeded]) -> None:
    url, sd = live
    art = httpx.get(f"{url}/api/articles/{BRIDGE[0].id}").json()
    assert art["text"] == BRIDGE[0].text and art["story_id"] == sd.bridge.story_id
    assert art["removed"] == ["Subscribe to our newsletter", "Share this article"]
    hits = httpx.get(f"{url}/api/search", params={"q": "ferries", "limit": 1}).json()
    assert hits["total"] == 2 and len(hits["items"]) == 1 and hits["limit"] == 1
    more = httpx.get(f"{url}/api/search", params={"q": "ferries", "limit": 1, "offset": 1}).json()
    assert {hits["items"][0]["article_id"], more["items"][0]["article_id"]} == {a.id for a in BRIDGE}
    hit = hits["items"][0]
    start, end = hit["matches"][0]
    assert hit["snippet"][start:end].lower().startswith("ferr")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/stories/0123456789abcdef", 404),
        ("/api/articles/0123456789abcdef", 404),
        ("/api/stories/not-an-id", 422),
        ("/api/stories?limit=0", 422),
        ("/api/stories?limit=abc", 422),
        ("/api/stories?since=2024-13-45", 422),
        ("/api/stories?offset=-1", 422),
        ("/api/search", 422),
        ("/api/nothing-here", 404),
    ],
)
def test_api_errors_have_one_shape(live: tuple[str, Seeded], path: str, status: int) -> None:
    url, _ = live
    assert_error(httpx.get(url + path), status)


def test_pages_errors_are_html_without_trace(live: tuple[str, Seeded]) -> None:
    url, _ = live
    for path, status in [("/stories/0123456789abcdef", 404), ("/articles/0123", 404), ("/?since=nope", 422)]:
        resp = httpx.get(url + path)
        assert resp.status_code == status
        assert resp.headers["content-type"].startswith("text/html")
        assert f"<h1>{status}" in resp.text and "Traceback" not in resp.text


def test_headers_on_every_response(live: tuple[str, Seeded]) -> None:
    url, sd = live
    for path in ["/", f"/stories/{sd.bridge.story_id}", "/api/stories", "/static/app.js", "/nope"]:
        resp = httpx.get(url + path)
        csp = resp.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert resp.headers["x-content-type-options"] == "nosniff"


def test_pages_render_story_list_story_article_search(live: tuple[str, Seeded]) -> None:
    url, sd = live
    home = httpx.get(url + "/").text
    assert 'name="viewport"' in home and 'href="#main"' in home and "3 stories" in home
    assert "2 articles · 2 outlets" in home and sd.bridge.summary[0].text in home
    page2 = httpx.get(url + "/", params={"limit": 1, "offset": 1}).text
    assert 'rel="prev"' in page2 and 'rel="next"' in page2 and sd.library.title in page2
    story = httpx.get(f"{url}/stories/{sd.bridge.story_id}").text
    idx = sd.bridge.summary[0].source_index
    assert f'href="/articles/{BRIDGE[1].id}?s={idx}#s{idx}"' in story
    assert 'href="https://lindmark.example/bridge"' in story
    article = httpx.get(f"{url}/articles/{BRIDGE[1].id}", params={"s": idx}).text
    assert f'id="s{idx}"><mark class="cited">Ferries will run' in article
    assert article.count("<mark") == 1 and f'href="/stories/{sd.bridge.story_id}"' in article
    assert '<details class="removed">' in article
    assert '<details class="removed" open>' in httpx.get(f"{url}/articles/{BRIDGE[1].id}?removed=1").text
    found = httpx.get(f"{url}/search", params={"q": "library"}).text
    assert (
        f'href="/articles/{sd.library.articles[0].id}"' in found and "<mark>library</mark>" in found.lower()
    )


def test_openapi_and_docs(live: tuple[str, Seeded]) -> None:
    url, _ = live
    spec = httpx.get(url + "/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"} <= set(
        spec["paths"]
    )
    assert "post" in spec["paths"]["/api/articles"]
    docs = httpx.get(url + "/docs").text
    assert "GET /api/stories" in docs and "POST /api/articles" in docs


def test_write_endpoint_off_without_token(live: tuple[str, Seeded]) -> None:
    url, _ = live
    err = assert_error(httpx.post(f"{url}/api/articles", json={"text": "x"}), 403)
    assert "api_token" in err["detail"]


def test_write_endpoint_token_and_limits(tmp_path) -> None:
    sd = seeded_desk(tmp_path, api_token="s3cret-token", max_upload_mb=1)
    with serve(sd.settings, sd.desk) as server:
        url = server.url
        assert_error(httpx.post(f"{url}/api/articles", json={"text": "x"}), 401)
        bad = {"Authorization": "Bearer wrong-token"}
        assert_error(httpx.post(f"{url}/api/articles", json={"text": "x"}, headers=bad), 401)
        ok = {"Authorization": "Bearer s3cret-token"}
        assert_error(httpx.post(f"{url}/api/articles", content=b"x" * (2**20 + 10), headers=ok), 413)
        assert_error(httpx.post(f"{url}/api/articles", json={"title": "no text"}, headers=ok), 422)
        assert_error(
            httpx.post(
                f"{url}/api/articles", content=b"{oops", headers={**ok, "content-type": "application/json"}
            ),
            422,
        )
        assert_error(
            httpx.post(f"{url}/api/articles", content=b"hi", headers={**ok, "content-type": "text/plain"}),
            415,
        )
        err = assert_error(
            httpx.post(f"{url}/api/articles", files={"file": ("../../etc/passwd", b"hello")}, headers=ok), 415
        )
        assert "/etc" not in err["detail"]


def chunks(n: int):
    for _ in range(n):
        yield b"y" * 65536


def test_streamed_body_over_limit_is_413(tmp_path) -> None:
    sd = seeded_desk(tmp_path, api_token="t0ken", max_upload_mb=1)
    with serve(sd.settings, sd.desk) as server:
        resp = httpx.post(
            f"{server.url}/api/articles",
            content=chunks(20),
            headers={"Authorization": "Bearer t0ken", "content-type": "application/json"},
        )
        assert_error(resp, 413)


def test_desk_reads_are_typed_records(seeded: Seeded) -> None:
    """The web layer gets records from the Desk, not dicts: the briefing read back is the one stored."""
    from storydesk.model import Briefing
    from storydesk.store import SearchHit, StoryRow

    desk = seeded.desk
    assert desk.briefing(seeded.bridge.story_id) == seeded.bridge
    assert isinstance(desk.briefing(seeded.library.story_id), Briefing)
    assert all(isinstance(r, StoryRow) for r in desk.stories())
    assert all(isinstance(h, SearchHit) for h in desk.search("ferries"))
    assert desk.briefings_for([BRIDGE[0].id]) == [seeded.bridge]


def test_api_schemas_are_the_records(live: tuple[str, Seeded]) -> None:
    """The OpenAPI schemas of listed stories, search hits and the story object come from the records
    (no re-declared copy that could drift from them)."""
    import dataclasses

    from storydesk.model import ArticleRef, SummarySentence
    from storydesk.render import briefing_to_dict
    from storydesk.store import SearchHit, StoryRow

    url, sd = live
    schemas = httpx.get(url + "/openapi.json").json()["components"]["schemas"]
    for record in (StoryRow, SearchHit, ArticleRef, SummarySentence):
        assert list(schemas[record.__name__]["properties"]) == [f.name for f in dataclasses.fields(record)]
    assert list(schemas["StoryObject"]["properties"]) == list(briefing_to_dict(sd.bridge))
    page = httpx.get(f"{url}/api/stories").json()
    assert list(page["items"][0]) == [f.name for f in dataclasses.fields(StoryRow)]


def test_related_stories_in_the_json_the_filter_and_the_story_page(live: tuple[str, Seeded]) -> None:
    url, sd = live
    bridge, library, hostile = sd.bridge.story_id, sd.library.story_id, sd.hostile.story_id
    link_related(sd, sd.bridge, (library,))
    assert httpx.get(f"{url}/api/stories/{bridge}").json()["related"] == [library]
    assert httpx.get(f"{url}/api/stories/{library}").json()["related"] == [bridge]  # linked both ways
    assert httpx.get(f"{url}/api/stories/{hostile}").json()["related"] == []
    got = httpx.get(f"{url}/api/stories", params={"related": bridge}).json()
    assert [s["id"] for s in got["items"]] == [library] and got["total"] == 1
    home = httpx.get(url + "/", params={"related": bridge}).text
    assert 'id="subject"' in home and f'href="/stories/{bridge}"' in home and "1 story" in home
    assert f'href="/stories/{library}"' in home and f'href="/stories/{hostile}"' not in home
    assert f'name="related" value="{bridge}"' in home  # the other filters keep the subject
    page = httpx.get(f"{url}/stories/{bridge}").text
    assert 'id="related-h">Same subject' in page and f'href="/stories/{library}">{sd.library.title}' in page
    assert f'href="/?related={bridge}"' in page
    assert "Same subject" not in httpx.get(f"{url}/stories/{hostile}").text
    assert_error(httpx.get(f"{url}/api/stories", params={"related": "not-an-id"}), 422)
    assert_error(httpx.get(f"{url}/api/stories", params={"related": "0123abcd"}), 404)
