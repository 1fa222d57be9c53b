"""End-to-end throughput and peak memory of ``storydesk ingest``, next to the live peers, in one run.

Input: the 1,067 articles of ../shared/data/stories/duc-stories.jsonl, replicated to N articles with fresh
ids. Replica k (k ≥ 1) gets its own URL, its dates shifted by k × 800 days, and every capitalised word
and every word of five letters or more marked with a letters-only replica suffix ("Clinton" →
"Clintonqd", "Gore" → "Goreqd"), so that replicas are new stories in their own vocabulary (neither folded
as near-duplicates nor glued to the originals) while the work per article stays the same. (Marking only
names was tried first: replicas then shared their wording, the clusterer rightly merged them into stories
of ~60 articles, and the run measured giant stories. A suffix with an underscore, "Clinton_k3", was tried
next: the clusterer's name shingles stop at the underscore, and short names such as "Gore" were not
marked, so replicas within the clustering horizon still shared their names and were glued into stories
spanning several replicas: 1,214 stories at 20,000 where the gold has about 1,600.)

For each N the whole ingest — reading, extraction (text normalisation + boilerplate filter), document
vectors, the store (one transaction per article), near-duplicate folding, streaming clustering, and a
briefing (summary + optional facts) for every story — runs in a fresh process with a fresh SQLite store,
so that its peak RSS is its own. Time per stage comes from the pipeline's StageTimer.

Peers, measured in the same run on the same articles:
* ``trafilatura`` alone, extracting each article rendered as a plain HTML page (articles/s), next to
  storydesk's own extraction of the same pages;
* ``sumy LexRank`` summarising every gold story of the 1,067 articles (articles/s);
* spaCy ``en_core_web_sm`` (the facts layer's model, as it ships: every component) ``nlp.pipe`` over the
  1,067 articles' texts (articles/s): the floor for parsing everything once;
* with ``--compare-firehose``, storydesk itself with the firehose settings (``embedder=tfidf``,
  ``facts=false``) at the same sizes, and the ratio of the two.

Usage::

    python bench/throughput.py                      # N = 5000, 10000, 20000; firehose settings
    python bench/throughput.py --sizes 1067 --embedder minilm --facts   # the default settings
    python bench/throughput.py --sizes 5000 --embedder minilm --facts --compare-firehose
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"
DEFAULT_MODEL_LABEL = "en_core_web_sm 3.8.0"
_WORD = re.compile(r"\b([A-Z][A-Za-z]+|[A-Za-z]{5,})\b")


def load() -> list[dict]:
    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _mark(k: int) -> str:
    """The letters-only suffix of replica ``k``: "q" and ``k`` written in base 26 ("qb", "qc", …, "qba")."""
    digits = ""
    while True:
        k, r = divmod(k, 26)
        digits = "abcdefghijklmnopqrstuvwxyz"[r] + digits
        if k == 0:
            return "q" + digits


def replicate(rows: list[dict], n: int) -> list[dict]:
    out = []
    k = 0
    while len(out) < n:
        for r in rows:
            if len(out) >= n:
                break
            if k == 0:
                out.append(dict(r, url=f"https://orig.example/{r['id']}"))
                continue
            mark = _mark(k)

            def rename(m: re.Match[str], mark: str = mark) -> str:
                return m.group(1) + mark

            day = date.fromisoformat(r["published"][:10]) + timedelta(days=800 * k)
            out.append(
                {
                    "id": f"{r['id']}-{k}",
                    "story": f"{r['story']}-{k}",
                    "outlet": r.get("outlet"),
                    "published": day.isoformat(),
                    "url": f"https://replica{k}.example/{r['id']}",
                    "title": _WORD.sub(rename, r["title"]) if r.get("title") else None,
                    "text": _WORD.sub(rename, r["text"]),
                }
            )
        k += 1
    return out


def as_article(row: dict):  # type: ignore[no-untyped-def]
    """A replica row as a storydesk ``Article``."""
    from storydesk.model import Article

    return Article(
        id=row["id"],
        title=row.get("title") or "",
        text=row["text"],
        outlet=row.get("outlet"),
        published=row["published"],
    )


def write_jsonl(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(
                json.dumps({k: r.get(k) for k in ("title", "text", "url", "published", "outlet")}) + "\n"
            )


def run_one(path: Path, db: Path, embedder: str, facts: bool, workers: int = -1) -> dict:
    """Ingest in this process (called in a child); returns timings and peak RSS."""
    import resource

    from storydesk.config import Settings
    from storydesk.service import Desk

    settings = Settings(db=str(db), embedder=embedder, facts=facts, workers=workers)
    start = time.perf_counter()
    with Desk(settings) as desk:
        report = desk.ingest([path])
        stages = dict(desk.components.timer.seconds)
        stories = desk.count_stories()
    total = time.perf_counter() - start
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu_s": own.ru_utime + own.ru_stime,
        "worker_cpu_s": workers.ru_utime + workers.ru_stime,
        "articles": report.added + report.existing,
        "added": report.added,
        "duplicates": report.duplicates,
        "stories": stories,
        "failures": len(report.failures),
        "seconds": total,
        "stages": stages,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # the largest worker process (extraction or briefing; they have ended when the ingest returns)
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def as_html(r: dict) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in r["text"].split("\n\n") if p.strip())
    title = html.escape(r.get("title") or r["text"][:60])
    return (
        f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1>{paras}</article><footer>© News Network</footer></body></html>"
    )


def peer_extraction(rows: list[dict], limit: int) -> dict:
    import trafilatura

    from storydesk.extract import extract_article
    from storydesk.extract.rules import TRAFILATURA_OPTIONS
    from storydesk.model import RawDocument

    pages = [as_html(r) for r in rows[:limit]]
    t = time.perf_counter()
    for p in pages:
        trafilatura.extract(p)
    traf = time.perf_counter() - t
    t = time.perf_counter()
    for p in pages:  # the same trafilatura call storydesk makes: with metadata (dates), precision settings
        trafilatura.bare_extraction(p, **TRAFILATURA_OPTIONS)
    traf_meta = time.perf_counter() - t
    t = time.perf_counter()
    for i, p in enumerate(pages):
        extract_article(RawDocument(origin=f"page-{i}", kind="html", content=p))
    ours = time.perf_counter() - t
    return {
        "pages": len(pages),
        "trafilatura_per_s": len(pages) / traf,
        "trafilatura_metadata_per_s": len(pages) / traf_meta,
        "storydesk_per_s": len(pages) / ours,
    }


def peer_lexrank(rows: list[dict]) -> dict:
    from storydesk.eval.summarization import sumy_summary
    from storydesk.model import Article

    groups: dict[str, list[Article]] = defaultdict(list)
    for r in rows:
        groups[r["story"]].append(as_article(r))
    t = time.perf_counter()
    for arts in groups.values():
        sumy_summary(arts, "lexrank", words=100)
    secs = time.perf_counter() - t
    return {"articles": len(rows), "stories": len(groups), "articles_per_s": len(rows) / secs}


def peer_spacy(rows: list[dict]) -> dict:
    """spaCy's own ``nlp.pipe`` over the texts, every component the model ships enabled (batches of 16)."""
    import spacy

    from storydesk.analyse.rules import DEFAULT_SPACY_MODEL

    nlp = spacy.load(DEFAULT_SPACY_MODEL)
    texts = [r["text"] for r in rows]
    list(nlp.pipe(texts[:20]))  # load and warm, outside the timing
    t, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    secs, cpu_s = time.perf_counter() - t, time.process_time() - cpu
    return {
        "articles": len(texts),
        "components": list(nlp.pipe_names),
        "articles_per_s": len(texts) / secs,
        "cpu_ms_per_article": 1000 * cpu_s / len(texts),
    }


def run_sizes(
    sizes: list[int], rows: list[dict], tmp: str, embedder: str, facts: bool, label: str, workers: int = -1
) -> list[dict]:
    """Each size ingested in a fresh child process and store; one line per size as it ends."""
    results = []
    for n in sizes:
        src = Path(tmp) / f"articles-{n}.jsonl"
        if not src.exists():
            write_jsonl(replicate(rows, n), src)
        db = Path(tmp) / f"store-{label}-{n}.db"
        cmd = [sys.executable, __file__, "--embedder", embedder, "--workers", str(workers)]
        cmd += ["--child", str(src), str(db)]
        if facts:
            cmd.append("--facts")
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        res["n"] = n
        results.append(res)
        both = res["cpu_s"] + res["worker_cpu_s"]
        print(
            f"{label:>8} N={n:>6}: {res['articles'] / res['seconds']:7.1f} articles/s end to end, "
            f"{res['seconds']:7.1f} s, {1000 * both / n:6.1f} CPU ms per article, peak RSS "
            f"{res['peak_rss_mb']:6.0f} MB (+ largest worker {res['worker_peak_rss_mb']:4.0f} MB), "
            f"{res['stories']} stories, {res['duplicates']} near-duplicates, {res['failures']} failures",
            flush=True,
        )
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="5000,10000,20000", help="comma-separated article counts")
    ap.add_argument("--embedder", default="tfidf", choices=["tfidf", "minilm"])
    ap.add_argument("--facts", action="store_true", help="also run the facts layer (spaCy) per story")
    ap.add_argument("--peer-pages", type=int, default=1067, help="pages for the extraction peer")
    ap.add_argument(
        "--compare-firehose",
        action="store_true",
        help="also run the firehose settings (tfidf, no facts) at the same sizes and print the ratio",
    )
    ap.add_argument(
        "--workers",
        type=int,
        default=-1,
        help="the workers setting (-1: the default, one per core beyond the first)",
    )
    ap.add_argument("--no-peers", action="store_true", help="storydesk only (no peer measurements)")
    ap.add_argument("--child", nargs=2, metavar=("JSONL", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child = run_one(Path(args.child[0]), Path(args.child[1]), args.embedder, args.facts, args.workers)
        print(json.dumps(child))
        return

    rows = load()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# storydesk ingest throughput — settings: embedder={args.embedder}, facts={args.facts}")
    print(
        f"# input: {len(rows)} duc-stories articles replicated with fresh ids; Python {sys.version.split()[0]}"
    )
    settings = "defaults" if (args.embedder, args.facts) == ("minilm", True) else "these"
    with tempfile.TemporaryDirectory(prefix="sd-bench-") as tmp:
        results = run_sizes(sizes, rows, tmp, args.embedder, args.facts, settings, args.workers)
        firehose = run_sizes(sizes, rows, tmp, "tfidf", False, "firehose") if args.compare_firehose else []
    print("\n## CPU seconds (user + system): the ingesting process, its worker processes, both per article")
    for r in results:
        both = r["cpu_s"] + r["worker_cpu_s"]
        print(
            f"N={r['n']:>6}: {r['cpu_s']:7.1f} + workers {r['worker_cpu_s']:7.1f} = {both:7.1f} CPU s, "
            f"{1000 * both / r['n']:5.2f} ms per article ({both / r['seconds']:.2f} cores busy on average)"
        )
    print("\n## where time goes (wall seconds; share of the run's wall time)")
    print(
        "# stages marked (workers) ran in worker processes (extraction, briefings), in parallel with the others;"
    )
    print("# 'waiting for briefings' is the time the ingesting process had nothing else to do")
    stages = sorted({s for r in results for s in r["stages"]})
    print("stage".ljust(16) + "".join(f"N={r['n']:>6}".rjust(18) for r in results))
    for s in stages:
        cells = "".join(
            f"{r['stages'].get(s, 0):9.1f} ({100 * r['stages'].get(s, 0) / r['seconds']:4.1f}%)"
            for r in results
        )
        print(s.ljust(16) + cells)

    if args.no_peers:
        return
    print("\n## peers, same machine, same run")
    ext = peer_extraction(rows, args.peer_pages)
    lex = peer_lexrank(rows)
    best = max(r["articles"] / r["seconds"] for r in results)
    print(
        f"trafilatura alone (extraction only): {ext['trafilatura_per_s']:8.1f} pages/s on {ext['pages']} pages"
    )
    print(
        f"trafilatura with metadata, storydesk's settings: {ext['trafilatura_metadata_per_s']:8.1f} pages/s"
    )
    print(
        f"storydesk extraction (trafilatura + filter): {ext['storydesk_per_s']:8.1f} pages/s "
        f"(ratio {ext['storydesk_per_s'] / ext['trafilatura_per_s']:.2f})"
    )
    print(
        f"sumy LexRank per gold story (summary only): {lex['articles_per_s']:8.1f} articles/s "
        f"over {lex['stories']} stories"
    )
    print(f"storydesk end to end vs LexRank summary alone: ratio {best / lex['articles_per_s']:.2f}")
    nlp = peer_spacy(rows)
    print(
        f"spaCy nlp.pipe, {DEFAULT_MODEL_LABEL} ({', '.join(nlp['components'])}): "
        f"{nlp['articles_per_s']:8.1f} articles/s, {nlp['cpu_ms_per_article']:.1f} CPU ms per article"
    )
    print(f"storydesk end to end vs one spaCy parse of everything: ratio {best / nlp['articles_per_s']:.2f}")
    for r, f in zip(results, firehose, strict=True):
        ours, fire = r["articles"] / r["seconds"], f["articles"] / f["seconds"]
        print(
            f"N={r['n']:>6}: firehose {fire:.1f} articles/s vs {settings} {ours:.1f}: ratio {fire / ours:.2f}"
        )
    mem = [r["peak_rss_mb"] for r in results]
    if len(mem) > 1:
        print(
            f"peak RSS growth from N={results[0]['n']} to N={results[-1]['n']}: {mem[-1] / mem[0]:.2f}x "
            f"for {results[-1]['n'] / results[0]['n']:.1f}x the articles"
        )


if __name__ == "__main__":
    main()
