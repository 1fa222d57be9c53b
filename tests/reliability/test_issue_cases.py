"""Issue #16's cases, one regression test each (items 2, 3, 6 and 10 are in test_hostile_inputs.py; the
concurrent writers of item 1 and the signals of item 4 have their own modules as well)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from _store_state import assert_each_article_in_one_story, duc_rows, execute_sql, read_rows, write_jsonl
from click.testing import CliRunner
from fastapi.testclient import TestClient

from _paths import REPO
from storydesk.cli import main
from storydesk.config import Settings
from storydesk.service import Desk
from storydesk.web import create_app, exposure_notice

SETS = ["--set", "embedder=tfidf", "--set", "facts=false", "--set", "workers=0"]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


# -- 1. a store damaged by writers that ran at once is repaired by the next ingest ------------------------


def test_1_next_ingest_repairs_articles_left_in_two_stories(store_url: str, tmp_path: Path) -> None:
    rows = duc_rows(24)
    first = write_jsonl(tmp_path / "first.jsonl", rows[:16])
    later = write_jsonl(tmp_path / "later.jsonl", rows[16:])
    assert CliRunner().invoke(main, [*SETS, "ingest", "--db", store_url, str(first)]).exit_code == 0
    stories = [s for (s,) in read_rows(store_url, "SELECT id FROM stories ORDER BY id")]
    members = read_rows(store_url, f"SELECT article_id FROM story_articles WHERE story_id = '{stories[0]}'")
    # what two writers without a lock did: the same articles placed again, in a story of their own
    execute_sql(
        store_url,
        "INSERT INTO stories (id, title, article_count, outlet_count, updated_at) "
        "VALUES ('0badc0de0badc0de', 'Twice', 1, 1, '2026-01-01T00:00:00+00:00')",
        *(
            f"INSERT INTO story_articles (story_id, article_id, duplicate_of) VALUES ('0badc0de0badc0de', '{a}', NULL)"
            for (a,) in members
        ),
    )
    result = CliRunner().invoke(main, [*SETS, "ingest", "--db", store_url, str(later)])
    assert result.exit_code == 0, result.output
    assert f"released 2 stories with inconsistent membership ({len(members)} articles in several stories" in (
        result.stderr
    )
    placed = assert_each_article_in_one_story(store_url)
    assert len(placed) == 24 and "0badc0de0badc0de" not in placed.values()


# -- 5. readers say which articles are not grouped yet; the next ingest or repair groups them --------------


def test_5_readers_show_articles_not_yet_grouped_until_repair(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"), embedder="tfidf", facts=False, workers=0)
    with Desk(settings) as desk:
        desk.ingest([write_jsonl(tmp_path / "in.jsonl", duc_rows(6))])
    execute_sql(settings.db_url, "DELETE FROM story_articles", "DELETE FROM stories")  # as a kill leaves it
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/stories").json()["ungrouped"] == 6
        page = client.get("/").text
        assert re.search(r'id="ungrouped">6 articles not yet grouped into stories', page)
        listed = CliRunner().invoke(main, [*SETS, "stories", "--db", str(tmp_path / "s.db")])
        assert "storydesk: 6 articles not yet grouped into stories" in listed.stderr
        repaired = CliRunner().invoke(main, [*SETS, "repair", "--db", str(tmp_path / "s.db")])
        assert repaired.exit_code == 0, repaired.output
        assert client.get("/api/stories").json()["ungrouped"] == 0
        assert 'id="ungrouped"' not in client.get("/").text
    assert_each_article_in_one_story(settings.db_url)


# -- 7. hostile requests get a 4xx with the one JSON error shape, never a 5xx ----------------------------


def test_7_hostile_requests_get_a_4xx_with_a_message(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "w.db"), embedder="tfidf", facts=False, api_token="t" * 20)
    auth = {"authorization": f"Bearer {'t' * 20}", "content-type": "application/json"}
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for path in (
            "/api/stories?offset=99999999999999999999",
            "/api/search?q=dam&offset=99999999999999999999",
            "/api/stories?offset=9223372036854775808",
        ):
            response = client.get(path)
            assert response.status_code == 422, path
            assert set(response.json()["error"]) == {"status", "title", "detail"}
            assert "offset" in response.json()["error"]["detail"]
        for path in ("/?offset=99999999999999999999", "/search?q=dam&offset=99999999999999999999"):
            assert client.get(path).status_code == 422, path
        for body, why in (
            (b'{"text": "caf\xe9 \xff\xfe"}', "body is not UTF-8: byte 0xe9 at offset 13"),
            (b"[" * 100_000 + b"]" * 100_000, "body is nested too deeply to be an article"),
            (
                b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                "body is nested too deeply to be an article",
            ),
        ):
            response = client.post("/api/articles", content=body, headers=auth)
            assert response.status_code == 422
            assert response.json() == {
                "error": {"status": 422, "title": "Unprocessable Entity", "detail": why}
            }


# -- 8. Markdown renderings escape article markup as the HTML ones do ------------------------------------


def test_8_markdown_escapes_markup_from_titles_and_outlets(tmp_path: Path) -> None:
    text_ = " ".join(duc_rows(1)[0]["text"].split()[:200])
    source = write_jsonl(
        tmp_path / "h.jsonl", [{"title": f"Dam {HOSTILE}", "outlet": f"Vale {HOSTILE}", "text": text_}]
    )
    db = str(tmp_path / "md.db")
    briefed = CliRunner().invoke(main, [*SETS, "brief", "--format", "md", str(source)])
    ingested = CliRunner().invoke(main, [*SETS, "ingest", "--db", db, str(source)])
    assert ingested.exit_code == 0, ingested.output
    (story_id,) = [s for (s,) in read_rows(f"sqlite:///{db}", "SELECT id FROM stories")]
    shown = CliRunner().invoke(main, [*SETS, "show", story_id, "--db", db, "--format", "md"])
    for out in (briefed.stdout, shown.stdout):
        assert "<script" not in out and "<img" not in out, out
        assert '&lt;script&gt;alert("x")&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;' in out
        assert "Vale &lt;script&gt;" in out


# -- 9. serve on a host other than loopback says what it exposes ------------------------------------------


def test_9_serve_on_every_interface_warns_and_a_short_token_is_refused(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "x.db"))
    assert exposure_notice("127.0.0.1", 8000, settings) is None
    assert exposure_notice("localhost", 8000, settings) is None
    assert exposure_notice("::1", 8000, settings) is None
    notice = exposure_notice("0.0.0.0", 8000, settings)
    assert (
        notice
        and "readable by anyone who can reach this port" in notice
        and "write endpoints are off" in notice
    )
    refused = CliRunner().invoke(
        main, ["--set", "api_token=short", "serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"]
    )
    assert refused.exit_code == 2 and "api_token has 5 characters" in refused.stderr
    # the real command: the warning comes before the server starts (stopped as soon as it is said)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "STORYDESK_API_TOKEN": "x" * 24}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "storydesk.cli",
            "serve",
            "--db",
            str(tmp_path / "x.db"),
            "--host",
            "0.0.0.0",
            "--port",
            "0",
        ],
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline().decode()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert line.startswith("storydesk: warning: serving on 0.0.0.0:0, not on loopback"), line
    assert "write endpoints (POST /api/articles) are ON for anyone who sends the api_token" in line


def test_1_a_write_request_while_another_ingest_holds_the_store_is_a_503_and_reads_go_on(
    tmp_path: Path,
) -> None:
    from storydesk.store import Store

    settings = Settings(
        db=str(tmp_path / "b.db"), embedder="tfidf", facts=False, api_token="t" * 20, lock_timeout=0.5
    )
    auth = {"authorization": f"Bearer {'t' * 20}", "content-type": "application/json"}
    body = {"title": "Dam", "text": duc_rows(1)[0]["text"]}
    with TestClient(create_app(settings)) as client, Store.open(settings.db_url) as store:
        with store.writer_lock(timeout=0):
            busy = client.post("/api/articles", json=body, headers=auth)
            assert client.get("/api/stories").status_code == 200  # readers never wait
        assert busy.status_code == 503 and busy.headers["retry-after"] == "30"
        assert busy.json()["error"]["detail"].startswith(
            f"the store is busy: another ingest (pid {os.getpid()}"
        )
        assert client.post("/api/articles", json=body, headers=auth).status_code == 201


def test_1_serve_waits_for_another_ingest_only_as_long_as_a_request_may(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`storydesk serve` builds its own desk (shared with --watch): a write waits the request wait, not
    `lock_timeout` (600 s here), then 503. The app serve would run is taken from uvicorn.run."""
    import uvicorn

    from storydesk.store import Store
    from storydesk.web import rules as web_rules

    monkeypatch.setattr(web_rules, "REQUEST_LOCK_WAIT_S", 0.5)
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: served.append(app))
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(
        main, [*SETS, "--set", "api_token=" + "t" * 20, "--set", "lock_timeout=600", "serve", "--db", db]
    )
    assert result.exit_code == 0, result.output
    (app,) = served
    auth = {"authorization": f"Bearer {'t' * 20}", "content-type": "application/json"}
    body = {"title": "Dam", "text": duc_rows(1)[0]["text"]}
    with TestClient(app) as client, Store.open(f"sqlite:///{db}") as store:  # type: ignore[arg-type]
        with store.writer_lock(timeout=0):
            busy = client.post("/api/articles", json=body, headers=auth)
        assert busy.status_code == 503, busy.text
