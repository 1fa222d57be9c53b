"""The Sources view (``/sources``) and ``GET /api/sources`` over sources polled from the feed server of
tests/sources, and the stories list's marks for stories updated since the visitor's last visit (cookies),
through real HTTP (uvicorn on 127.0.0.1) over a real SQLite store."""

from __future__ import annotations

import dataclasses
import html
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from _followed import HOSTILE_TITLE, Followed, resave_after, stamp
from _web import Seeded, serve
from markupsafe import escape

from storydesk.model import EntryCounts, Source
from storydesk.service import Watcher, WatchState, list_sources


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(dataclasses.asdict(value)))


def test_api_sources_is_what_sources_list_shows(followed: Followed) -> None:
    desk, site = followed.seeded.desk, followed.site
    with serve(followed.seeded.settings, desk) as server:
        got = httpx.get(f"{server.url}/api/sources").json()
    listings = list_sources(desk)
    assert got["total"] == 6 and got["watch"] is None  # this server runs no watch loop
    assert got["items"] == [{"source": as_json(i.source), "counts": as_json(i.counts)} for i in listings]
    by_url = {item["source"]["url"]: item for item in got["items"]}
    full = by_url[site.url("/feeds/full.xml")]
    assert full["source"]["etag"] == '"full-1"' and full["source"]["last_status"] == "ok"
    assert full["source"]["fetch_count"] == 1 and full["source"]["next_poll_at"]
    assert full["counts"] == {
        "total": 4,
        "ingested": 4,
        "pending": 0,
        "failed": 0,
        "old": 0,
        "future_dated": 0,
    }
    assert full["source"]["tags"] == ["News/World"]
    teasers = by_url[site.url("/feeds/teasers.atom")]["source"]
    assert teasers["last_modified"] == "Fri, 01 Mar 2024 12:00:00 GMT" and teasers["etag"] is None
    broken = by_url[site.url("/broken.xml")]["source"]
    assert (broken["last_status"], broken["http_status"], broken["error_count"]) == ("error", 500, 1)
    assert broken["last_error"].startswith("HTTP 500")


def test_api_sources_is_in_the_openapi_schema_and_the_docs(followed: Followed) -> None:
    with serve(followed.seeded.settings, followed.seeded.desk) as server:
        spec = httpx.get(f"{server.url}/openapi.json").json()
        docs = httpx.get(f"{server.url}/docs").text
    op = spec["paths"]["/api/sources"]["get"]
    assert "304" in op["summary"] and "next poll" in op["summary"]
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/SourcePage")
    schemas = spec["components"]["schemas"]
    assert list(schemas["SourcePage"]["properties"]) == ["items", "total", "watch"]
    assert list(schemas["SourceListing"]["properties"]) == ["source", "counts"]
    for record in (Source, EntryCounts, WatchState):  # the records are the schemas
        assert list(schemas[record.__name__]["properties"]) == [f.name for f in dataclasses.fields(record)]
    assert "GET /api/sources" in docs


def test_sources_page_shows_each_source_and_escapes_what_feeds_say(followed: Followed) -> None:
    desk = followed.seeded.desk
    with serve(followed.seeded.settings, desk) as server:
        page = httpx.get(f"{server.url}/sources").text
        home = httpx.get(f"{server.url}/").text
    assert '<a href="/sources" aria-current="page">Sources</a>' in page
    assert '<a href="/sources">Sources</a>' in home
    assert "6 sources · 1 failing" in page and "This server does not poll the sources" in page
    for item in list_sources(desk):
        s = item.source
        assert f'id="src-{s.id}"' in page and html.escape(s.url) in page
    full = next(i.source for i in list_sources(desk) if i.source.url.endswith("/feeds/full.xml"))
    row = page[page.index(f'id="src-{full.id}"') :].split("</tr>")[0]
    assert "Flood Wire" in row and "ok 200" in row and "0 of 1" in row and "ETag" in row
    assert "4<span" in row and "4 in, 0 pending, 0 failed, 0 old" in row
    broken = page[page.index("/broken.xml") :].split("</tr>")[0]
    assert "error 500" in broken and "HTTP 500" in broken
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    hostile = next(i.source for i in list_sources(desk) if i.source.url.endswith("/hostile.json"))
    assert hostile.title == HOSTILE_TITLE  # stored as the feed says it, shown as text
    assert str(escape(HOSTILE_TITLE)) in page


def test_sources_page_counts_the_304s_of_the_second_pass(followed: Followed) -> None:
    desk = followed.seeded.desk
    followed.clock.advance(3600)
    with Watcher(desk, clock=followed.clock) as watcher:
        report = watcher.run(once=True)
    assert report is not None and report.not_modified == 2
    with serve(followed.seeded.settings, desk) as server:
        page = httpx.get(f"{server.url}/sources").text
    full = next(i.source for i in list_sources(desk) if i.source.url.endswith("/feeds/full.xml"))
    row = page[page.index(f'id="src-{full.id}"') :].split("</tr>")[0]
    assert "not modified 304" in row and "1 of 2" in row


def test_sources_page_without_sources_says_how_to_add_them(live: tuple[str, Seeded]) -> None:
    url, _ = live
    page = httpx.get(f"{url}/sources").text
    assert "0 sources" in page and "storydesk sources add URL" in page
    assert httpx.get(f"{url}/api/sources").json() == {"items": [], "total": 0, "watch": None}


# -- the stories list: what was updated since the visitor's last visit --------------------------------


def visit(url: str, cookies: dict[str, str] | None = None, **params: Any) -> httpx.Response:
    """GET the list as a browser with these cookies would."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
    return httpx.get(f"{url}/", params=params, headers=headers)


def marked(page: str) -> list[str]:
    """Ids of the stories the list marks as updated, in order."""
    out = []
    for part in page.split('<li class="story-item updated">')[1:]:
        start = part.index('id="t-') + len('id="t-')
        out.append(part[start : part.index('"', start)])
    return out


def test_first_visit_marks_nothing_and_sets_the_visit_cookie(live: tuple[str, Seeded]) -> None:
    url, _ = live
    resp = visit(url)
    assert marked(resp.text) == [] and "since your last visit" not in resp.text
    active = resp.cookies["storydesk_active"]
    assert abs(datetime.fromisoformat(active) - datetime.now(UTC)) < timedelta(minutes=1)
    assert "storydesk_last_visit" not in resp.cookies
    cookie = resp.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    again = visit(url, {"storydesk_active": active})  # the same visit goes on
    assert marked(again.text) == []


def test_a_new_visit_marks_the_stories_updated_since_the_last(live: tuple[str, Seeded]) -> None:
    url, sd = live
    last_seen = stamp(datetime.now(UTC) - timedelta(hours=2))  # the previous visit ended two hours ago
    resp = visit(url, {"storydesk_active": last_seen})
    ids = [sd.hostile.story_id, sd.library.story_id, sd.bridge.story_id]
    assert marked(resp.text) == ids  # all three were written since
    assert '<span id="updated-count">3 updated</span> since your last visit' in resp.text
    assert resp.cookies["storydesk_last_visit"] == last_seen  # the baseline of this visit
    assert resp.cookies["storydesk_active"] > last_seen
    # within the visit the baseline holds, on every page of the list
    cookies = {"storydesk_active": resp.cookies["storydesk_active"], "storydesk_last_visit": last_seen}
    second = visit(url, cookies, limit=1, offset=1)
    assert marked(second.text) == [sd.library.story_id] and "on this page" in second.text


def test_only_stories_written_after_the_baseline_are_marked(live: tuple[str, Seeded]) -> None:
    url, sd = live
    baseline = max(row.updated_at for row in sd.desk.stories())
    resave_after(sd, baseline)
    going_on = {"storydesk_active": baseline, "storydesk_last_visit": baseline}  # a visit going on
    page = visit(url, going_on).text
    assert marked(page) == [sd.library.story_id]
    assert '<span id="updated-count">1 updated</span>' in page
    assert 'title="Updated since your last visit' in page


def test_a_cookie_that_does_not_parse_is_a_first_visit(live: tuple[str, Seeded]) -> None:
    url, _ = live
    resp = visit(url, {"storydesk_active": "yesterday", "storydesk_last_visit": "x"})
    assert resp.status_code == 200 and marked(resp.text) == []
    assert datetime.fromisoformat(resp.cookies["storydesk_active"]).tzinfo is not None
