"""summarizer=llm through the brief stage, the JSON contract, the renderers, the CLI and ingest's counts,
against the canned OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from llm_server import STORY, ChatServer

from storydesk.brief import brief_story
from storydesk.brief.llm.briefing import clear_cache
from storydesk.cli import main
from storydesk.components import Components
from storydesk.config import Settings
from storydesk.model import Story
from storydesk.render import render
from storydesk.render._json import briefing_from_dict, briefing_to_dict


def copy_sources(prompt: str) -> str:
    """A model that restates the story's first three source sentences, citing each, and invents one."""
    story = prompt.split("Now the story:", 1)[1]
    lines = re.findall(r"^\[(\d+)\] (?:\([^)]*\) )?(.+)$", story, re.M)
    out = [f"{text} [{n}]" for n, text in lines[:3]]
    out.append(f"Flood waters forced 9,999 residents from their homes [{lines[0][0]}].")
    return "\n".join(out)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def _settings(server: ChatServer, tmp_path: Path, **more: object) -> Settings:
    return Settings(
        db=str(tmp_path / "s.db"),
        facts=False,
        summarizer="llm",
        llm_url=server.url,
        llm_model="copier",
        summary_sentences=4,
        **more,  # type: ignore[arg-type]
    )


def test_brief_story_shows_verified_generated_sentences_and_caches_them(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    chat_server.reply("copier", write=copy_sources)
    components = Components(_settings(chat_server, tmp_path))
    story = Story(Story.make_id(STORY[0].id), tuple(a.id for a in STORY))
    articles = {a.id: a for a in STORY}
    b = brief_story(story, articles, components)
    assert b.summary_method == "generated"
    assert len(b.summary) == 3 and all(s.kind == "generated" for s in b.summary)
    for s in b.summary:
        assert s.support and s.citations == tuple(dict.fromkeys(c.article_id for c in s.support))
        assert s.text.rstrip(".") in " ".join(c.text for c in s.support)
    assert [r.text for r in b.rejected] == ["Flood waters forced 9,999 residents from their homes."]
    assert "number '9999' is not in the cited sentences" in b.rejected[0].reasons
    assert b.summary_note == "1 generated sentence(s) rejected by verification"
    assert components.llm_usage == {"calls": 1, "prompt_tokens": 120, "completion_tokens": 40, "failures": 0}
    # the same story again: no second call
    again = brief_story(story, articles, components)
    assert len(chat_server.requests) == 1 and again.summary == b.summary
    # the JSON contract grows without breaking, and reads back
    d = briefing_to_dict(b)
    assert d["summary_method"] == "generated" and d["summary"][0]["kind"] == "generated"
    assert set(d["summary"][0]["support"][0]) == {"article_id", "index", "text", "score", "matched"}
    assert d["rejected"][0]["reasons"]
    assert briefing_from_dict(json.loads(json.dumps(d))) == b
    html = render([b], "html")
    assert 'class="generated"' in html and "cited sentences" in html and "written by an LLM" in html
    assert "✎ " in render([b], "text")


def test_a_failed_call_keeps_the_extractive_summary_and_says_why(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    chat_server.reply("copier", body="<html>down</html>", status=502)
    components = Components(_settings(chat_server, tmp_path))
    story = Story(Story.make_id(STORY[0].id), tuple(a.id for a in STORY))
    b = brief_story(story, {a.id: a for a in STORY}, components)
    assert b.summary_method == "extractive" and b.summary and all(s.kind == "extractive" for s in b.summary)
    assert b.summary_note and b.summary_note.startswith(
        "extractive summary: the LLM gave no usable answer (unavailable: HTTP 502"
    )
    assert components.llm_usage["failures"] == 1
    # an extractive briefing's JSON says so, and old JSON without the new keys still reads
    d = briefing_to_dict(b)
    assert d["summary_method"] == "extractive" and d["summary"][0]["kind"] == "extractive"
    for key in ("summary_method", "summary_note", "rejected"):
        d.pop(key)
    for s in d["summary"]:
        s.pop("kind")
        s.pop("support")
    assert briefing_from_dict(d).summary == b.summary


def _write_story(folder: Path) -> Path:
    folder.mkdir()
    for a in STORY:
        (folder / f"{a.id}.jsonl").write_text(
            json.dumps({"title": a.title, "outlet": a.outlet, "published": a.published, "text": a.text})
            + "\n"
        )
    return folder


def test_cli_brief_with_the_llm_summarizer(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.reply("copier", write=copy_sources)
    folder = _write_story(tmp_path / "news")
    args = ["--set", f"llm_url={chat_server.url}", "--set", "llm_model=copier", "--set", "facts=false"]
    args += ["--set", "embedder=minilm", "brief", "--summarizer", "llm", "--format", "json", str(folder)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)["stories"][0]
    assert story["summary_method"] == "generated"
    assert all(s["kind"] == "generated" for s in story["summary"])
    assert story["rejected"] and "9999" in story["rejected"][0]["reasons"][0]


def test_ingest_reports_llm_calls_and_tokens(chat_server: ChatServer, tmp_path: Path) -> None:
    from storydesk import service

    chat_server.reply("copier", write=copy_sources)
    folder = _write_story(tmp_path / "news")
    with service.Desk(_settings(chat_server, tmp_path, workers=0)) as desk:
        report = desk.ingest([folder])
        stored = desk.briefing(desk.stories()[0].id)
    assert report.llm["calls"] == 1 and report.llm["completion_tokens"] == 40
    assert "LLM: 1 calls, 120 prompt + 40 completion tokens, 0 failed" in report.line()
    assert stored.summary_method == "generated"


def test_cli_ingest_prints_llm_calls_and_tokens(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.reply("copier", write=copy_sources)
    folder = _write_story(tmp_path / "news")
    args = ["--set", f"llm_url={chat_server.url}", "--set", "llm_model=copier", "--set", "facts=false"]
    args += ["--set", "summarizer=llm", "--set", "summary_sentences=4", "--set", "workers=0"]
    args += ["ingest", "--db", str(tmp_path / "s.db"), str(folder)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "LLM: 1 calls, 120 prompt + 40 completion tokens, 0 failed" in result.stderr
    again = CliRunner().invoke(main, args, catch_exceptions=False)
    assert again.exit_code == 0 and "LLM:" not in again.stderr  # nothing changed: no call


def test_eval_summarize_scores_what_the_llm_summarizer_shows(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.reply("copier", write=copy_sources)
    arts = [
        {"id": a.id, "outlet": a.outlet, "published": a.published, "title": a.title, "text": a.text}
        for a in STORY
    ]
    row = {
        "id": "c1",
        "set": "test",
        "articles": arts,
        "summaries": [STORY[0].text, STORY[1].text],
        "peers": {},
    }
    data = tmp_path / "mds.jsonl"
    data.write_text(json.dumps(row) + "\n")
    base = [
        "--set",
        f"llm_url={chat_server.url}",
        "--set",
        "llm_model=copier",
        "--set",
        "summary_sentences=4",
    ]
    result = CliRunner().invoke(
        main,
        [*base, "eval", "summarize", "--data", str(data), "--summarizer", "llm", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    rows = {r["system"]: r for r in out["rows"]}
    llm = rows["storydesk-llm"]
    assert (
        llm["clusters_generated"] == 1 and llm["generated_sentences"] == 4 and llm["rejected_share"] == 25.0
    )
    assert 0 < llm["rouge1_recall"] <= 100 and "storydesk-extractive-5" in rows
    assert llm["llm_calls"] == 1 and (llm["prompt_tokens"], llm["completion_tokens"]) == (120, 40)
    assert llm["rejected_reasons"]["number"] == 1 and llm["verify_ms_median"] > 0
    assert set(llm["rejected_reasons"]) <= {"number", "not supported"}  # the invented 9,999
    text = CliRunner().invoke(
        main, [*base, "eval", "summarize", "--data", str(data), "--summarizer", "llm"], catch_exceptions=False
    )
    assert "1 LLM calls, 120 prompt + 40 completion tokens; verification" in text.output
    by_reason = next(line for line in text.output.splitlines() if "rejected sentences by reason" in line)
    assert "number 1" in by_reason
    missing = CliRunner().invoke(main, ["eval", "summarize", "--data", str(data), "--summarizer", "llm"])
    assert missing.exit_code != 0 and "needs an LLM endpoint: set llm_url" in missing.output


def test_eval_summarize_scores_only_the_first_clusters_asked_for(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    chat_server.reply("copier", write=copy_sources)
    arts = [
        {"id": a.id, "outlet": a.outlet, "published": a.published, "title": a.title, "text": a.text}
        for a in STORY
    ]
    rows = [
        {"id": f"c{n}", "set": "test", "articles": arts, "summaries": [STORY[n].text], "peers": {}}
        for n in range(2)
    ]
    data = tmp_path / "mds.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    base = [
        "--set",
        f"llm_url={chat_server.url}",
        "--set",
        "llm_model=copier",
        "--set",
        "summary_sentences=4",
    ]
    args = ["eval", "summarize", "--data", str(data), "--summarizer", "llm", "--json"]
    both = json.loads(CliRunner().invoke(main, [*base, *args], catch_exceptions=False).stdout)
    one = json.loads(
        CliRunner().invoke(main, [*base, *args, "--clusters", "1"], catch_exceptions=False).stdout
    )
    assert (both["clusters"], one["clusters"]) == (2, 1)
    assert (both["llm"]["llm_calls"], one["llm"]["llm_calls"]) == (2, 1)
    assert one["llm"]["generated_sentences"] == 4


def test_web_page_and_api_show_the_generated_summary(chat_server: ChatServer, tmp_path: Path) -> None:
    from storydesk import service

    chat_server.reply("copier", write=copy_sources)
    folder = _write_story(tmp_path / "news")
    settings = _settings(chat_server, tmp_path, workers=0)
    with service.Desk(settings) as desk:
        desk.ingest([folder])
        story_id = desk.stories()[0].id
    base = ["--db", settings.db]
    page = CliRunner().invoke(main, ["serve", *base, "--get", f"/stories/{story_id}"], catch_exceptions=False)
    assert page.exit_code == 0, page.output
    assert 'class="generated"' in page.output and "✎" in page.output
    assert (
        "cited sentences" in page.output and "Flood waters forced 3,200 residents of Kettleby" in page.output
    )
    api = CliRunner().invoke(
        main, ["serve", *base, "--get", f"/api/stories/{story_id}"], catch_exceptions=False
    )
    assert api.exit_code == 0, api.output
    body = json.loads(api.output[api.output.index("{") :])
    assert body["summary_method"] == "generated" and body["rejected"]
    assert {s["kind"] for s in body["summary"]} == {"generated"}


def test_a_judge_at_verify_url_decides_and_its_calls_are_counted(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    import math

    chat_server.reply("copier", write=copy_sources)
    chat_server.reply("judge", "Yes", logprobs={"Yes": math.log(0.9), "No": math.log(0.1)})
    settings = _settings(chat_server, tmp_path, verify_url=chat_server.url, verify_model="judge")
    components = Components(settings)
    story = Story(Story.make_id(STORY[0].id), tuple(a.id for a in STORY))
    b = brief_story(story, {a.id: a for a in STORY}, components)
    assert b.summary_method == "generated" and len(b.summary) == 3
    assert "number '9999' is not in the cited sentences" in b.rejected[0].reasons  # the hard rule stays
    judged = [r for r, _ in chat_server.requests if r["model"] == "judge"]
    assert len(judged) == 4 and all("Is the claim supported" in r["messages"][-1]["content"] for r in judged)
    assert components.llm_usage["calls"] == 5  # the writer's call and the judge's four


def test_with_the_facts_layer_the_plan_carries_the_dispute(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.reply("copier", write=copy_sources)
    settings = Settings(
        db=str(tmp_path / "s.db"),
        summarizer="llm",
        llm_url=chat_server.url,
        llm_model="copier",
        summary_sentences=4,
    )
    components = Components(settings)
    story = Story(Story.make_id(STORY[0].id), tuple(a.id for a in STORY))
    b = brief_story(story, {a.id: a for a in STORY}, components)
    assert any(c.status == "disputed" for c in b.claims), b.claims
    prompt = chat_server.requests[-1][0]["messages"][-1]["content"]
    assert (
        "The sources disagree on a number: 12 vs 14" in prompt
        or "The sources disagree on a number: 14 vs 12" in prompt
    )
    assert re.search(r"\[\d+\] \(Harbour Herald\) Officials said 12 people were injured", prompt)
    assert b.summary_method == "generated"
