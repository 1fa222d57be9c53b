"""`storydesk sources …` and `storydesk watch` through Click's CliRunner, against the newsroom server."""

from __future__ import annotations

import json
from pathlib import Path

from _newsroom import Newsroom
from click.testing import CliRunner

from storydesk.cli import main

FAST = ["--set", "embedder=tfidf", "--set", "facts=false", "--set", "workers=0"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*FAST, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_every_sources_command_has_help_with_an_example() -> None:
    for cmd in (
        ["sources"],
        ["sources", "add"],
        ["sources", "import"],
        ["sources", "list"],
        ["sources", "remove"],
        ["watch"],
    ):
        code, out, _ = run(*cmd, "--help")
        assert code == 0 and "Example" in out, cmd


def test_add_watch_twice_list_remove(newsroom: Newsroom, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    site = newsroom.site
    code, out, err = run("sources", "add", "--db", db, *newsroom.sources, "not-a-url")
    assert code == 1
    assert len(out.splitlines()) == 4
    assert "refused not-a-url: not an http:// or https:// URL" in err
    assert "4 sources added, 0 already followed, 1 refused" in err

    code, _, err = run("watch", "--once", "--interval", "0s", "--db", db)
    assert code == 0, err
    assert "polled 4 sources: 4 read, 0 not modified, 0 failed" in err
    assert "ingested 9 new" in err
    pages = [h for h in site.requests() if h.path.startswith("/articles/")]
    assert len(pages) == 5

    # the second pass on unchanged feeds: no article page, and a 304 from every feed that supports it
    site.clear()
    code, _, err = run("watch", "--once", "--interval", "0s", "--db", db)
    assert code == 0, err
    assert not [h for h in site.requests() if h.path.startswith("/articles/")]
    assert {h.path for h in site.requests(status=304)} == {"/feeds/full.xml", "/feeds/teasers.atom"}
    assert "2 read, 2 not modified" in err and "0 new entries" in err and "ingested 0 new" in err

    code, out, _ = run("sources", "list", "--db", db)
    assert code == 0
    line = next(line for line in out.splitlines() if line.endswith("/feeds/full.xml"))
    assert "not modified 304" in line and "304s 1/2" in line
    assert "entries 4 (4 in, 0 pending, 0 failed, 0 old)" in line and "errors 0" in line
    assert "last 20" in line and "next 20" in line

    code, out, _ = run("sources", "list", "--json", "--db", db)
    rows = [json.loads(line) for line in out.splitlines()]
    teasers = next(r for r in rows if r["url"].endswith("/feeds/teasers.atom"))
    assert teasers["not_modified_count"] == 1 and teasers["entries"]["ingested"] == 4
    assert teasers["last_modified"] == "Fri, 01 Mar 2024 12:00:00 GMT"

    code, out, _ = run("stories", "--db", db)
    assert code == 0 and len(out.splitlines()) == 3

    code, out, _ = run("sources", "remove", teasers["id"][:6], "--db", db)
    assert code == 0 and teasers["url"] in out
    code, _, err = run("sources", "remove", teasers["id"], "--db", db)
    assert code == 4 and "no source with id" in err
    code, out, _ = run("sources", "list", "--db", db)
    assert len([line for line in out.splitlines() if not line.startswith(" ")]) == 3


def test_import_opml_and_a_file_that_is_not_opml(tmp_path: Path) -> None:
    db = str(tmp_path / "opml.db")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="1.0"><head><title>Subs</title></head><body>'
        '<outline text="News"><outline text="Local"><outline type="rss" text="A" xmlUrl="http://127.0.0.1:9/a.xml"/>'
        '</outline></outline><outline type="rss" text="B" xmlUrl="http://127.0.0.1:9/b.xml"/></body></opml>'
    )
    code, out, err = run("sources", "import", str(opml), "--db", db)
    assert code == 0, err
    assert "[News/Local]" in out and "2 sources added" in err
    code, _, err = run("sources", "import", str(opml), "--db", db)
    assert code == 0 and "0 sources added, 2 already followed" in err
    html = tmp_path / "page.opml"
    html.write_text("<!DOCTYPE html><html><body>not a list</body></html>")
    code, _, err = run("sources", "import", str(html), "--db", db)
    assert code == 1 and f"{html}: not an OPML subscription list" in err
    code, _, err = run("sources", "import", str(tmp_path / "missing.opml"), "--db", db)
    assert code == 1 and "missing.opml" in err


def test_watch_reports_failures_and_bad_intervals(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    run("sources", "add", "--db", db, "http://127.0.0.1:9/feed.xml")
    code, _, err = run("watch", "--once", "--db", db)
    assert code == 1
    assert "failed http://127.0.0.1:9/feed.xml: connection refused" in err
    code, _, err = run("watch", "--once", "--interval", "soon", "--db", db)
    assert code == 2 and "not a duration" in err
    code, _, err = run("sources", "add", "--interval", "often", "--db", db, "http://127.0.0.1:9/x.xml")
    assert code == 2 and "not a duration" in err
