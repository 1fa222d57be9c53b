"""Independent sources of claims on real stories, and whether every rendering states them alike (#15).

Usage::

    .venv/bin/python bench/source_counts.py [--clusters 8] [--articles 6]

Takes the first ``--clusters`` DUC 2003 clusters (../shared/data/mds/duc2003.jsonl, the development set),
``--articles`` articles each, and briefs each story twice: with the gold outlets, and with every outlet
removed from the source (as plain files give them; an outlet the page names itself — a dateline — is
still read and marked inferred). For each run it reports:

* claims by status, and the corroborated claims' independent sources (mean, and how many reach 3+);
* articles whose outlet stays unknown, and claims that count one or more sources of unknown outlet;
* agreement: for every claim, the number of sources stated by the text rendering, the Markdown, the
  JSON (``sources``) and the HTML briefing (which the web page includes) — claims where any differ,
  and claims called corroborated on fewer than 2 sources.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from pathlib import Path

from storydesk.brief import brief_story
from storydesk.components import Components
from storydesk.config import Settings
from storydesk.extract import extract_article
from storydesk.model import Article, RawDocument, Story
from storydesk.render import render

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "mds" / "duc2003.jsonl"
_COUNT = re.compile(r"stated by (\d+) independent sources|one source")


def _count(label: str) -> int | None:
    found = _COUNT.search(label)
    return None if found is None else int(found.group(1)) if found.group(1) else 1


def _stated(out: str, text: str, *, is_html: bool) -> int | None:
    """The source count a rendering states right after a claim's text (in its claims section)."""
    if is_html:
        out = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", out)))
        out = out[out.index("What the outlets say") :]
    else:
        out = re.sub(r"\n {4}(?=\S)", " ", out)
        out = out[max(out.find("Corroborated ("), 0) :]
    at = out.find(text)
    return None if at < 0 else _count(out[at + len(text) : at + len(text) + 400])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clusters", type=int, default=8)
    parser.add_argument("--articles", type=int, default=6)
    args = parser.parse_args()
    with DATA.open(encoding="utf-8") as f:
        clusters = [json.loads(line) for _, line in zip(range(args.clusters), f, strict=False)]
    components = Components(Settings())
    started = time.perf_counter()
    for mode in ("gold outlets", "outlets removed"):
        stats = {"claims": 0, "corroborated": 0, "single_source": 0, "disputed": 0, "sources": 0, "three+": 0}
        stats |= {"unknown articles": 0, "articles": 0, "claims with unknown sources": 0}
        stats |= {"renderings differ": 0, "claims not shown in text": 0, "corroborated on < 2": 0}
        for c in clusters:
            articles = {}
            for i, a in enumerate(c["articles"][: args.articles]):
                raw = RawDocument(
                    origin=f"{c['id']}:{i}",
                    kind="text",
                    content=a["text"],
                    title=a["title"] or a["id"],
                    published=a["published"],
                    outlet=a["outlet"] if mode == "gold outlets" else None,
                )
                art: Article = extract_article(raw)
                articles[art.id] = art
            stats["articles"] += len(articles)
            stats["unknown articles"] += sum(a.outlet is None for a in articles.values())
            b = brief_story(Story(c["id"], tuple(articles)), articles, components)
            outs = {fmt: render([b], fmt) for fmt in ("text", "md", "html")}
            d = json.loads(render([b], "json"))["stories"][0]
            for claim, cd in zip(b.claims, d["claims"], strict=True):
                stats["claims"] += 1
                stats[claim.status] += 1
                stats["claims with unknown sources"] += claim.unnamed_sources > 0
                if claim.status == "corroborated":
                    stats["sources"] += claim.sources
                    stats["three+"] += claim.sources >= 3
                    stats["corroborated on < 2"] += claim.sources < 2
                stated = {fmt: _stated(out, claim.text, is_html=fmt == "html") for fmt, out in outs.items()}
                if stated["text"] is None:  # the text renderings list six claims of a kind
                    stats["claims not shown in text"] += 1
                    stated = {"html": stated["html"]}
                if any(v != cd["sources"] for v in stated.values()):
                    stats["renderings differ"] += 1
        mean = stats["sources"] / stats["corroborated"] if stats["corroborated"] else 0.0
        print(f"## {mode}: {len(clusters)} DUC 2003 clusters, {stats['articles']} articles")
        for k, v in stats.items():
            print(f"  {k:<28} {v}")
        print(f"  {'mean sources (corroborated)':<28} {mean:.2f}")
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
