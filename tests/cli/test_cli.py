"""The CLI end to end: every command and flag, through Click's CliRunner or a real subprocess."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from _paths import FIXTURES
from storydesk.cli import main

FAST = ["--set", "embedder=tfidf", "--set", "facts=false"]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help_with_an_example() -> None:
    commands = [[], ["brief"], ["ingest"], ["stories"], ["show"], ["serve"], ["config", "show"], ["eval"]]
    commands += [["eval", c] for c in ("summarize", "cluster", "extract")]
    for cmd in commands:
        code, out, _ = run(*cmd, "--help")
        assert code == 0, cmd
        assert "Example" in out or cmd in (["eval"],), f"{cmd} --help has no example"


def test_brief_json_contract_and_grouping(mixed_jsonl: Path) -> None:
    code, out, err = run(*FAST, "brief", "--format", "json", str(mixed_jsonl))
    assert code == 0, err
    data = json.loads(out)
    stories = data["stories"]
    sizes = sorted((len(s["articles"]) for s in stories), reverse=True)
    assert sizes == [4, 4, 1], sizes
    texts = {}
    for line in mixed_jsonl.read_text().splitlines():
        row = json.loads(line)
        texts[row["title"]] = row["text"]
    for s in stories:
        assert set(s) >= {"id", "title", "articles", "summary"}
        for a in s["articles"]:
            assert set(a) >= {"id", "title", "outlet", "published", "url", "path"}
        ids = {a["id"] for a in s["articles"]}
        by_id = {a["id"]: texts[a["title"]] for a in s["articles"]}
        assert 1 <= len(s["summary"]) <= 5
        for sent in s["summary"]:
            assert sent["citations"] and set(sent["citations"]) <= ids
            assert sent["text"] in by_id[sent["source"]]
    off_topic = [s for s in stories if len(s["articles"]) == 1][0]
    assert off_topic["articles"][0]["title"] == "Chess club wins county cup"
    # the two real stories never mix places
    for s in stories:
        places = {("Marsh" in a["title"]) for a in s["articles"] if "cup" not in a["title"]}
        assert len(places) <= 1


@pytest.mark.parametrize(
    "fmt,marker", [("text", "Summary"), ("md", "### Summary"), ("html", "<!doctype html>")]
)
def test_brief_formats(mixed_jsonl: Path, fmt: str, marker: str, tmp_path: Path) -> None:
    out_file = tmp_path / f"out.{fmt}"
    code, _, err = run(*FAST, "brief", "--quiet", "--format", fmt, "-o", str(out_file), str(mixed_jsonl))
    assert code == 0, err
    text = out_file.read_text()
    assert marker in text
    assert "Chess club wins county cup" in text


def test_sentences_option_limits_summary(mixed_jsonl: Path) -> None:
    code, out, _ = run(*FAST, "brief", "--format", "json", "--sentences", "2", str(mixed_jsonl))
    assert code == 0
    assert all(len(s["summary"]) <= 2 for s in json.loads(out)["stories"])


def test_ingest_is_idempotent_and_stories_show(mixed_jsonl: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    code, _, err = run(*FAST, "ingest", "--db", db, str(mixed_jsonl))
    assert code == 0, err
    assert "ingested 9 new" in err
    code, _, err = run(*FAST, "ingest", "--db", db, str(mixed_jsonl))
    assert code == 0 and "ingested 0 new, 9 already stored" in err
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from articles").fetchone()[0] == 9
    con.close()
    code, out, _ = run(*FAST, "stories", "--db", db, "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["article_count"] for r in rows) == [1, 4, 4]
    big = max(rows, key=lambda r: r["article_count"])
    code, out, _ = run(*FAST, "show", big["id"], "--db", db, "--format", "md")
    assert code == 0 and big["title"] in out and "### Sources" in out
    code, _, err = run(*FAST, "show", "no-such-story", "--db", db)
    assert code == 4 and "no-such-story" in err


def test_brief_with_db_stores_and_briefs(mixed_jsonl: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    code, out, _ = run(*FAST, "brief", "--db", db, "--format", "json", str(mixed_jsonl))
    assert code == 0
    assert sorted(len(s["articles"]) for s in json.loads(out)["stories"]) == [1, 4, 4]
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from articles").fetchone()[0] == 9


def test_bad_inputs_are_reported_and_the_batch_goes_on(mixed_jsonl: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.jsonl").write_text(mixed_jsonl.read_text() + "{not json\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    page = "<html><body>" + "".join(
        f"<p>Paragraph {i} says {i * 7919 % 104729} things.</p>" for i in range(400)
    )
    packed = gzip.compress(page.encode())
    (folder / "truncated.html.gz").write_bytes(packed[: len(packed) // 2])
    (folder / "truncated.warc.gz").write_bytes(gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n")[:30])
    big = folder / "huge.txt"
    with big.open("wb") as fh:  # a sparse 200 MB file: refused by size, never read
        fh.truncate(200 * 2**20)
    locked = folder / "locked.txt"
    locked.write_text("Title\n\nSome text that nobody may read.", encoding="utf-8")
    locked.chmod(0)
    missing = tmp_path / "does-not-exist.html"
    db = str(tmp_path / "bad.db")
    try:
        code, _, err = run(*FAST, "ingest", "--db", db, str(folder), str(missing))
    finally:
        locked.chmod(0o644)
    assert code == 1
    for name in [
        "good.jsonl:10",
        "empty.txt",
        "binary.txt",
        "truncated.html.gz",
        "truncated.warc.gz",
        "huge.txt",
        "does-not-exist.html",
    ]:
        assert name in err, f"no error line for {name}:\n{err}"
    expected = 9
    if os.geteuid() != 0:
        assert "locked.txt" in err
    else:  # root reads files whatever their mode, so the locked file is an article
        expected += 1
    assert f"ingested {expected} new" in err
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("select count(*) from articles").fetchone()[0] == expected


def test_config_show_and_bad_settings(tmp_path: Path) -> None:
    code, out, _ = run("--set", "summary_sentences=3", "config", "show", env={"STORYDESK_EMBEDDER": "tfidf"})
    assert code == 0
    assert "summary_sentences = 3  (command line)" in out
    assert "embedder = 'tfidf'  ($STORYDESK_EMBEDDER)" in out
    code, _, err = run("--set", "no_such=1", "config", "show")
    assert code == 2 and "no_such" in err
    cfg = tmp_path / "s.toml"
    cfg.write_text("[storydesk]\nsummary_sentences = 'many'\n")
    code, _, err = run("--config", str(cfg), "config", "show")
    assert code == 2 and "summary_sentences" in err


def test_every_setting_is_documented() -> None:
    from dataclasses import fields

    from storydesk.config import DOCS, Settings

    assert [f.name for f in fields(Settings)] == list(DOCS)
    assert all(len(doc) > 20 for doc in DOCS.values())


def test_progress_bar_only_on_a_terminal_and_after_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from storydesk.cli import _common as cli

    clock = [100.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = cli._Progress("Test", quiet=False)
    bar("article", 1)
    assert bar._bar is None  # under a second: nothing shown
    clock[0] += 1.5
    bar("article", 1)
    assert bar._bar is not None and bar.counts == {"article": 2}
    bar.close()
    assert cli._Progress("Test", quiet=True).enabled is False
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert cli._Progress("Test", quiet=False).enabled is False


# -- subjects above stories (#21): related stories in the JSON, the text and `stories --related` ---------

MARATHON = FIXTURES / "events" / "marathon.jsonl"  # two runnings of one marathon, six years apart, undated


def test_brief_keeps_look_alike_events_apart_and_links_them() -> None:
    code, out, err = run(*FAST, "brief", "--format", "json", str(MARATHON))
    assert code == 0, err
    stories = {s["id"]: s for s in json.loads(out)["stories"]}
    assert sorted(len(s["articles"]) for s in stories.values()) == [1, 4, 4]
    years = [s for s in stories.values() if len(s["articles"]) == 4]
    assert years[0]["related"] == [years[1]["id"]] and years[1]["related"] == [years[0]["id"]]
    assert [s["related"] for s in stories.values() if len(s["articles"]) == 1] == [[]]
    code, out, _ = run(*FAST, "brief", "--format", "text", str(MARATHON))
    assert code == 0 and f"Same subject\n  • {years[1]['title']} · story {years[1]['id']}" in out


def test_stories_related_lists_the_stories_of_a_subject(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    code, _, err = run(*FAST, "ingest", "--db", db, str(MARATHON))
    assert code == 0, err
    code, out, _ = run(*FAST, "stories", "--db", db, "--json")
    rows = {r["title"]: r for r in map(json.loads, out.splitlines())}
    koval, memba = rows["Record for Koval at harbour marathon"], rows["Hot marathon for Memba"]
    code, out, _ = run(*FAST, "stories", "--db", db, "--related", koval["id"], "--json")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [memba["id"]]
    code, out, _ = run(*FAST, "stories", "--db", db, "--related", rows["Lemon cake"]["id"])
    assert code == 0 and out == ""
    code, out, _ = run(*FAST, "show", memba["id"], "--db", db, "--format", "json")
    assert json.loads(out)["stories"][0]["related"] == [koval["id"]]
    code, _, err = run(*FAST, "stories", "--db", db, "--related", "0123abcd")
    assert code == 4 and "0123abcd" in err
