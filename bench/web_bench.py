"""Web benchmark: requests/s and p50/p99 latency of the story page, the story list and search, with wrk.

Builds (or reuses) a SQLite store of synthetic articles and stories written straight through the store API
(not the pipeline: the point is to time the web layer over a large store), starts ``uvicorn`` on 127.0.0.1
in a subprocess, and runs Debian's ``wrk --latency`` (2 threads) against each page for ``--seconds``.

    python bench/web_bench.py --articles 10000 --seconds 10
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from storydesk.config import Settings
from storydesk.model import Article, ArticleRef, Briefing, Entity, Story, SummarySentence
from storydesk.render import briefing_to_dict
from storydesk.store import Store

WORDS = (
    "harbour bridge council mayor ferry cable inspector storm river school budget vote court ruling "
    "minister strike rail union hospital nurse election poll market price factory wind farm flood"
).split()
OUTLETS = [f"Outlet {i}" for i in range(40)]
PER_STORY = 5


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + f" number {n}."


def build_store(path: Path, n_articles: int) -> tuple[int, float]:
    """Insert synthetic articles in stories of PER_STORY; returns (articles now stored, seconds)."""
    t0 = time.perf_counter()
    store = Store.open(Settings(db=str(path)).db_url)
    have = store.article_count()
    if have >= n_articles:
        store.close()
        return have, 0.0
    rng = random.Random(7)
    for s in range(have // PER_STORY, n_articles // PER_STORY):
        arts = []
        for k in range(PER_STORY):
            text = "\n\n".join(
                " ".join(_sentence(rng, s * 100 + k * 10 + j) for j in range(4)) for _ in range(5)
            )
            title = f"Story {s}: " + " ".join(rng.choice(WORDS) for _ in range(6))
            outlet = rng.choice(OUTLETS)
            day = f"2024-{1 + s % 12:02d}-{1 + s % 28:02d}"
            a = Article(
                Article.make_id(text=text, url=None, outlet=outlet, title=title), title, text, outlet, day
            )
            store.add_article(a)
            arts.append(a)
        ids = tuple(a.id for a in arts)
        summary = tuple(
            SummarySentence(text=_sentence(rng, i), citations=ids[: 1 + i], source=ids[i], source_index=i)
            for i in range(4)
        )
        b = Briefing(
            story_id=Story.make_id(ids[0]),
            title=arts[0].title,
            articles=tuple(ArticleRef(a.id, a.title, a.outlet, a.published, None, None) for a in arts),
            summary=summary,
            entities=(Entity(name=f"Person {s % 300}", type="PERSON", articles=ids),),
            first_published=arts[0].published,
            last_published=arts[-1].published,
        )
        store.replace_story(
            Story(b.story_id, ids),
            title=b.title,
            first_published=b.first_published,
            last_published=b.last_published,
            outlet_count=len({a.outlet for a in arts}),
            lead=summary[0].text,
            briefing_json=json.dumps(briefing_to_dict(b)),
            entities=[(e.name, e.type) for e in b.entities],
        )
    count = store.article_count()
    store.close()
    return count, time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import uvicorn; from storydesk.config import Settings; from storydesk.web import create_app; "
        f"uvicorn.run(create_app(Settings(db={str(db)!r})), host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories?limit=1", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def _ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", value)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]


def run_wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": float(errors.group(1)) if errors else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/storydesk-web-bench.db"))
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=4)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install -y wrk")
    count, took = build_store(args.db, args.articles)
    note = f"built in {took:.1f} s" if took else "reused"
    print(
        f"store: {args.db} with {count} synthetic articles in stories of {PER_STORY} ({note}; inserted via the store API, not the pipeline)"
    )
    port = free_port()
    server = start_server(args.db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        story_id = json.loads(urllib.request.urlopen(f"{base}/api/stories?limit=1&offset=500").read())[
            "items"
        ][0]["id"]
        pages = [
            ("story page", f"/stories/{story_id}"),
            ("story list", "/"),
            ("story list p.50", "/?offset=1000"),
            ("search rare", "/search?q=12345"),
            ("search common", "/search?q=harbour+bridge"),
            ("API story", f"/api/stories/{story_id}"),
        ]
        print(f"wrk -t2 -c{args.connections} -d{args.seconds}s --latency; uvicorn, 1 worker")
        print(f"{'page':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
        for name, path in pages:
            r = run_wrk(base + path, args.seconds, args.connections)
            print(f"{name:<18}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['non2xx']:>9.0f}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
