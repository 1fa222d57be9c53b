"""#15: one story rendered five ways — text, Markdown, JSON, the HTML briefing and the web page — states
the same independent sources for every claim and the same outlet count, and those counts are right:
an article whose outlet is unknown is its own source, a copy of an article adds no source.

The story is real: the first six articles of a DUC 2003 cluster (../shared/data/mds/duc2003.jsonl), two with their
outlet, four without one (as files with no outlet would come), and a verbatim copy of one of them carried
by another outlet: a wire story syndicated, one source however many outlets carry it. Before #15 the
text said "Corroborated by several outlets" over claims marked "(one outlet)" while the web page said
"stated by 2 independent sources".
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import httpx
from _web import serve

from storydesk.config import Settings
from storydesk.render import render
from storydesk.render._text import escape_markdown
from storydesk.service import Desk

_COUNT = re.compile(r"stated by (\d+) independent sources|one source")


def _count(label: str) -> int:
    found = _COUNT.search(label)
    assert found, label
    return int(found.group(1)) if found.group(1) else 1


def _inputs(shared_data: Path, tmp_path: Path) -> Path:
    with (shared_data / "mds" / "duc2003.jsonl").open(encoding="utf-8") as f:
        # the third cluster: its six first articles stay one event (#21) and share several facts
        cluster = json.loads(f.readlines()[2])
    rows = []
    for i, a in enumerate(cluster["articles"][:6]):
        outlet = a["outlet"] if i in (0, 3) else None
        rows.append(
            {"title": a["title"] or a["id"], "published": a["published"], "text": a["text"], "outlet": outlet}
        )
    # One article carried again, word for word, by another outlet (next to it: a stream forgets copies
    # that arrive after articles published well after them).
    # The copied article is one the page names no outlet for (AP articles carry an "(AP)" dateline that
    # names theirs, #15), so that the story holding the copy also holds articles of unknown outlet.
    at = next(i for i, r in enumerate(rows) if r["outlet"] is None and r["title"].startswith("NYT"))
    rows.insert(at + 1, dict(rows[at], outlet="Copy Desk Weekly"))
    path = tmp_path / "cluster.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _unwrapped(text: str) -> str:
    """The text rendering with its wrapped bullet lines joined again."""
    return re.sub(r"\n {4}(?=\S)", " ", text)


def test_five_renderings_state_the_same_sources(shared_data: Path, tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"))
    with Desk(settings) as desk:
        report = desk.ingest([_inputs(shared_data, tmp_path)])
        assert not report.failures

        # stories are events (#21): the six articles make more than one story; take the one holding the copy
        def members(story_id: str) -> dict:
            b = desk.briefing(story_id)
            out = {a.id: desk.article(a.id) for a in b.articles}
            out.update({d: desk.article(d) for a in b.articles for d in a.duplicates})
            return out

        row = next(
            r for r in desk.stories() if any(a.outlet == "Copy Desk Weekly" for a in members(r.id).values())
        )
        briefing = desk.briefing(row.id)
        stored = members(row.id)

    # The counts are right, worked out here from the stored articles: distinct outlets, an article of
    # unknown outlet one source each, the copy and its original one source.
    assert sum(a.outlet is None for a in stored.values()) >= 2, (
        "the story must hold articles of unknown outlet"
    )
    (copy,) = [a for a in stored.values() if a.outlet == "Copy Desk Weekly"]
    (original,) = [a for a in stored.values() if a.text == copy.text and a.id != copy.id]

    # "AP" (a dateline) and "Associated Press" (a source field) name one agency.
    full = {"".join(w[0] for w in o.split()): o for a in stored.values() if (o := a.outlet) and " " in o}

    def source(article_id: str) -> str:
        a = stored[article_id]
        a = original if a.id == copy.id else a
        return full.get(a.outlet, a.outlet).casefold() if a.outlet else a.id

    d = json.loads(render([briefing], "json"))["stories"][0]
    outlets = {a.outlet.casefold() for a in stored.values() if a.outlet}
    assert (
        d["outlet_count"] == row.outlet_count == len(outlets) + sum(a.outlet is None for a in stored.values())
    )
    claims = d["claims"]
    assert any(c["status"] == "corroborated" for c in claims) and any(c["unnamed_sources"] for c in claims)
    # the copy is folded into its original (a near-duplicate): listed with it, never counted apart
    assert any({a.id, *a.duplicates} == {copy.id, original.id} for a in briefing.articles), (
        "the copy must be folded into its original"
    )
    assert not any({copy.id, original.id} <= set(c["articles"]) for c in claims)
    for c in claims:
        named: dict[str, bool] = {}
        for a in c["articles"]:
            named[source(a)] = named.get(source(a), False) or bool(stored[a].outlet)
        assert (c["sources"], c["unnamed_sources"]) == (len(named), sum(not v for v in named.values())), c
        assert _count(c["support"]) == c["sources"]
        assert (c["status"] == "corroborated") == (c["sources"] >= 2) or c["status"] == "disputed"

    # Every rendering prints that wording, with those numbers.
    text = _unwrapped(render([briefing], "text"))
    md = render([briefing], "md")
    page = render([briefing], "html")
    with Desk(settings) as desk, serve(settings, desk) as server:
        web = httpx.get(f"{server.url}/stories/{row.id}", timeout=60).text
        listing = httpx.get(f"{server.url}/", timeout=60).text
    n_outlets = d["outlet_count"]
    assert f", {n_outlets} outlets," in text and f", {n_outlets} outlets," in md
    for doc in (page, web):
        assert f" · {n_outlets} outlets · " in html.unescape(doc)
    assert f"{n_outlets} outlets" in html.unescape(listing)
    for out in (text, md):
        assert "several outlets" not in out and "(one outlet)" not in out
    shown = {"corroborated": 0, "single_source": 0}
    for c in claims:
        if c["status"] in shown:
            shown[c["status"]] += 1
            if shown[c["status"]] > 6:  # the text renderings list six of each
                continue
            for out, claim in ((text, c["text"]), (md, escape_markdown(c["text"]))):
                lines = [x for x in out.splitlines() if claim in x]
                assert any(x.endswith(f"({c['support']})") for x in lines), (lines, c["support"])
        for doc in (page, web):
            plain = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", doc)))
            plain = plain[plain.index("What the outlets say") :]
            at = plain.index(c["text"])
            assert f"· {c['support']}" in plain[at : at + len(c["text"]) + 400], c["support"]
