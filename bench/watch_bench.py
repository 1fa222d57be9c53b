"""Two `watch` passes over 200 feeds × 20 entries served by the test server on 127.0.0.1.

The feeds live on 20 hosts (test servers on 20 ports of 127.0.0.1, 10 feeds each). Half of the feeds carry
the full text of their entries; the other half only a teaser, so their 2,000 article pages are fetched.
A third of the feeds answer conditional GETs by ETag, a third by Last-Modified, a third not at all.
The article texts are the 1,067 real news articles of ../shared/data/stories/duc-stories.jsonl (used in
turn, each copy under its own URL, so syndicated copies are folded as near-duplicates as in real feeds).

Each pass runs in a fresh process (`Watcher.poll_once`, the code behind `storydesk watch --once`) with
its own store, so its peak RSS is its own; the servers run in this process and count every request.
Printed per pass: requests, 304s, pages fetched, new articles, seconds, peak RSS, stage times.

Usage::

    python bench/watch_bench.py                    # 200 feeds × 20 entries, hashed TF-IDF vectors, no facts
    python bench/watch_bench.py --feeds 20 --entries 10
    python bench/watch_bench.py --default-settings # MiniLM vectors and the facts layer (much slower)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"
sys.path.insert(0, str(REPO / "tests" / "sources"))

from _site import Site, Story, content_html, page_html, rss, teaser  # noqa: E402

HOSTS = 20

PASS = r"""
import json, sys, time
from storydesk.config import Settings
from storydesk.service import Desk, Watcher
settings = Settings(**json.loads(sys.argv[1]))
start = time.perf_counter()
with Desk(settings) as desk, Watcher(desk) as watcher:
    report = watcher.poll_once()
    timer = dict(desk.components.timer.seconds)
seconds = time.perf_counter() - start
ingest = report.ingest
print(json.dumps({
    "seconds": seconds, "sources": report.sources, "read": report.fetched, "not_modified": report.not_modified,
    "errors": report.errors, "new_entries": report.new_entries, "pages_fetched": report.pages_fetched,
    "page_errors": report.page_errors, "requests": report.requests, "added": ingest.added,
    "duplicates": ingest.duplicates, "failed": len(ingest.failures), "stories": ingest.stories_updated,
    "timer": timer,
}))
"""


def load_articles() -> list[dict]:
    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def build(sites: list[Site], feeds: int, entries: int, now: datetime) -> list[str]:
    """Route every feed and page; return the feed URLs."""
    articles = load_articles()
    urls = []
    n = 0
    for f in range(feeds):
        site = sites[f % len(sites)]
        full = f % 2 == 0
        items = []
        for e in range(entries):
            art = articles[n % len(articles)]
            n += 1
            paragraphs = tuple(p.strip() for p in art["text"].split("\n\n") if p.strip())
            story = Story(
                slug=f"f{f}-e{e}",
                title=(art.get("title") or paragraphs[0][:80]).strip(),
                paragraphs=paragraphs,
                outlet=f"Outlet {f}",
                published=now - timedelta(hours=f % 24 + e * 5),
            )
            link = site.url(f"/a/{story.slug}")
            site.route(f"/a/{story.slug}", body=page_html(story, link))
            items.append(
                {
                    "title": story.title,
                    "link": link + "?utm_source=rss",
                    "published": story.published,
                    "summary": teaser(story),
                    "content": content_html(story) if full else None,
                }
            )
        validators = [{"etag": f'"feed-{f}"'}, {"last_modified": "Fri, 01 Mar 2024 12:00:00 GMT"}, {}][f % 3]
        site.route(
            f"/feed{f}.xml", body=rss(f"Outlet {f}", items), content_type="application/rss+xml", **validators
        )
        urls.append(site.url(f"/feed{f}.xml"))
    for site in sites:
        site.route("/robots.txt", body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    return urls


def _rusage_pass(settings: dict) -> tuple[dict, float]:
    """One pass in a child process; its own peak RSS from wait4."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", PASS, json.dumps(settings)], stdout=out, stderr=err, env=env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            sys.stderr.write(err.read().decode())
            raise SystemExit(f"the pass failed ({proc.returncode})")
        return json.loads(out.read().decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--default-settings", action="store_true", help="MiniLM and the facts layer")
    args = parser.parse_args()
    now = datetime.now(UTC).replace(microsecond=0)
    sites = [Site().start() for _ in range(min(HOSTS, args.feeds))]
    try:
        feeds = build(sites, args.feeds, args.entries, now)
        with tempfile.TemporaryDirectory() as folder:
            db = str(Path(folder) / "bench.db")
            settings = {"db": db, "poll_interval": "0s"}
            if not args.default_settings:
                settings.update(embedder="tfidf", facts=False)
            from storydesk.config import Settings
            from storydesk.service import Desk, add_sources

            with Desk(Settings(**settings)) as desk:
                add_sources(desk, feeds)
            rows = []
            for n in (1, 2):
                for site in sites:
                    site.clear()
                started = time.perf_counter()
                report, peak = _rusage_pass(settings)
                wall = time.perf_counter() - started
                hits = [h for site in sites for h in site.requests()]
                rows.append(
                    {
                        "pass": n,
                        "requests (server)": len(hits),
                        "304s": sum(h.status == 304 for h in hits),
                        "pages fetched": sum(h.path.startswith("/a/") for h in hits),
                        "robots.txt": sum(h.path == "/robots.txt" for h in hits),
                        "new articles": report["added"],
                        "near-duplicates": report["duplicates"],
                        "stories": report["stories"],
                        "seconds (pass)": round(report["seconds"], 1),
                        "seconds (process)": round(wall, 1),
                        "peak RSS MB": round(peak),
                        "report": report,
                    }
                )
        print(
            f"# {args.feeds} feeds x {args.entries} entries on {len(sites)} hosts, "
            f"{'default settings' if args.default_settings else 'embedder=tfidf facts=false'}, "
            f"{datetime.now(UTC):%Y-%m-%d}"
        )
        keys = [k for k in rows[0] if k != "report"]
        print("| " + " | ".join(keys) + " |")
        print("|" + "---|" * len(keys))
        for row in rows:
            print("| " + " | ".join(str(row[k]) for k in keys) + " |")
        for row in rows:
            timer = {k: round(v, 1) for k, v in sorted(row["report"]["timer"].items(), key=lambda kv: -kv[1])}
            print(f"pass {row['pass']} stage seconds: {timer}")
            print(
                f"pass {row['pass']} report: "
                + json.dumps({k: v for k, v in row["report"].items() if k != "timer"})
            )
    finally:
        for site in sites:
            site.stop()


if __name__ == "__main__":
    main()
