"""The Dask job (``storydesk scale``) against ``storydesk ingest``, in one run on this machine.

(a) Agreement: the 1,067 articles of ../shared/data/stories/duc-stories.jsonl loaded by ``ingest`` and by
    ``scale --workers 2`` into fresh SQLite stores; B³ F1 of scale's stories against ingest's (ingest taken
    as the truth), and of both against the gold stories. The default windows hold the whole set in one
    window; a second scale run with small windows (``--small-window`` articles) crosses many boundaries,
    so that it measures the boundary rule too.
(b) Scaling: the articles replicated to N as ``bench/throughput.py`` makes them (fresh ids, vocabulary and
    dates per replica), loaded by ``scale`` with 1 and then 2 workers; throughput, the ratio, the time of
    each step (wall clock, and the seconds its tasks ran on all workers together) and the bytes of each
    shuffle. Firehose settings (``embedder=tfidf, facts=false``) at ``--size``, and the default settings
    (MiniLM, facts) at ``--default-size``.
(c) Extrapolation: articles per second per core of each stage, from the 1-worker run's task CPU seconds, and
    the cores a month of CommonCrawl-News (10 M articles) needs to finish within an hour.

The machine is shared by several agents (2 cores): wall-clock timings are noisy and neither run has two
idle cores, so the bench also models the ratio from the CPU seconds of the tasks (each run's tasks
scheduled on one core and on two idle cores), and (c) reads CPU seconds only. Usage::

    python bench/scale.py                                  # (a), (b) at 20,000 firehose and 2,000 default, (c)
    python bench/scale.py --only agreement
    python bench/scale.py --only scaling --size 5000 --default-size 0
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import DATA, load, replicate, write_jsonl  # noqa: E402

MONTH = 10_000_000  # articles in a month of CommonCrawl-News
HOUR = 3600.0


def _assignments(db: Path) -> dict[str, str]:
    """url → story id of every stored story member and folded copy."""
    import sqlite3

    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT a.url, s.story_id FROM story_articles s JOIN articles a ON a.id = s.article_id"
    ).fetchall()
    con.close()
    return {url: story for url, story in rows}


def _settings(db: Path, embedder: str, facts: bool):  # type: ignore[no-untyped-def]
    from storydesk.config import Settings

    return Settings(db=str(db), embedder=embedder, facts=facts)


def run_ingest(path: Path, db: Path, embedder: str, facts: bool) -> dict:
    from storydesk.service import Desk

    start = time.perf_counter()
    with Desk(_settings(db, embedder, facts)) as desk:
        report = desk.ingest([path])
    return {"seconds": time.perf_counter() - start, "added": report.added, "duplicates": report.duplicates}


def run_scale(path: Path, db: Path, work: Path, embedder: str, facts: bool, workers: int, **cut: int) -> dict:
    from storydesk.scale import ScaleOptions
    from storydesk.scale import run_scale as job

    start = time.perf_counter()
    report = job([path], _settings(db, embedder, facts), ScaleOptions(work_dir=work, workers=workers, **cut))
    seconds = time.perf_counter() - start
    task_cpu = {}  # each step's task CPU seconds, from the work folder
    for done in work.rglob("_DONE.json"):
        saved = json.loads(done.read_text())
        task_cpu[saved["report"]["name"]] = [row[5] for row in saved["stats"]]
    return {
        "task_cpu": task_cpu,
        "seconds": seconds,
        "articles": report.articles,
        "duplicates": report.duplicates,
        "stories": report.stories,
        "windows": report.windows,
        "partitions": report.partitions,
        "steps": [
            {
                "name": s.name,
                "seconds": round(s.seconds, 2),
                "task_seconds": round(s.task_seconds, 2),
                "cpu_seconds": round(s.cpu_seconds, 2),
                "tasks": s.tasks,
                "peak_mb": round(s.peak_mb),
            }
            for s in report.steps
        ],
        "shuffles": report.shuffles,
    }


def agreement(tmp: Path, embedder: str, facts: bool, small_window: int) -> dict:
    from storydesk.eval.bcubed import bcubed

    rows = load()
    gold = {f"duc://{r['id']}": r["story"] for r in rows}
    path = tmp / "duc.jsonl"
    write_jsonl([dict(r, url=f"duc://{r['id']}") for r in rows], path)
    out: dict = {"articles": len(rows), "embedder": embedder, "facts": facts}
    ingest = run_ingest(path, tmp / "ingest.db", embedder, facts)
    single = _assignments(tmp / "ingest.db")
    out["ingest"] = {**ingest, "b3_gold": bcubed(single, gold)}
    runs: list[tuple[str, dict[str, int]]] = [("scale", {})]
    if small_window:
        runs.append((f"scale, windows of {small_window}", {"window_articles": small_window}))
    for name, cut in runs:
        db = tmp / f"scale-{len(out)}.db"
        run = run_scale(path, db, tmp / f"work-{len(out)}", embedder, facts, 2, **cut)
        got = _assignments(db)
        out[name] = {
            "seconds": run["seconds"],
            "windows": run["windows"],
            "stories": run["stories"],
            "duplicates": run["duplicates"],
            "b3_vs_ingest": bcubed(got, single),
            "b3_gold": bcubed(got, gold),
            "same_articles": set(got) == set(single),
            "identical": got == single,  # every article in the story of the same id as ingest's
        }
    return out


def scaling(tmp: Path, n: int, embedder: str, facts: bool, window_articles: int | None) -> dict:
    path = tmp / f"replicas-{n}-{embedder}.jsonl"
    write_jsonl(replicate(load(), n), path)
    runs = {}
    for workers in (1, 2):
        runs[workers] = run_scale(
            path,
            tmp / f"s{n}-{embedder}-{workers}.db",
            tmp / f"w{n}-{embedder}-{workers}",
            embedder,
            facts,
            workers,
            **({"window_articles": window_articles} if window_articles else {}),
        )
        runs[workers]["articles_per_s"] = n / runs[workers]["seconds"]
    return {
        "articles": n,
        "embedder": embedder,
        "facts": facts,
        "runs": runs,
        "ratio": runs[1]["seconds"] / runs[2]["seconds"],
        "window_articles": window_articles,
    }


#: The steps that are one task whatever the size of the input.
SERIAL = ("connected components", "merge windows")

#: The job's steps grouped into the issue's four stages (per-article costs are summed per stage).
STAGE_OF = {
    "read": "read + extract",
    "minhash": "near-duplicates",
    "buckets to edges": "near-duplicates",
    "connected components": "near-duplicates",
    "candidates": "near-duplicates",
    "fold": "near-duplicates",
    "route to windows": "stories",
    "cluster windows": "stories",
    "merge windows": "stories",
    "route to stories": "briefing",
    "brief": "briefing",
}


def html_extraction_rate(pages: int = 200) -> float:
    """Articles/s per core (CPU time) of storydesk's extraction of HTML pages (trafilatura + the line
    filter), on the DUC articles rendered as pages: what a WARC crawl costs to read, where a JSONL input
    costs next to nothing."""
    from throughput import as_html

    from storydesk.extract import extract_article
    from storydesk.model import RawDocument

    html = [as_html(r) for r in load()[:pages]]
    extract_article(RawDocument(origin="warm-up", kind="html", content=html[0]))
    start = time.process_time()
    for i, page in enumerate(html):
        extract_article(RawDocument(origin=f"page-{i}", kind="html", content=page))
    return len(html) / (time.process_time() - start)


def extrapolate(one_worker: dict, n: int, html_rate: float | None = None) -> dict:
    """Articles/s per core per stage from the 1-worker run's task seconds, and the cores for a month."""
    per_stage: dict[str, float] = {}
    for step in one_worker["steps"]:
        stage = STAGE_OF[step["name"]]
        per_stage[stage] = per_stage.get(stage, 0.0) + step["cpu_seconds"]
    rates = {stage: n / seconds for stage, seconds in per_stage.items() if seconds}
    if html_rate:  # a crawl is HTML: its extraction instead of JSONL's near-free reading
        rates["read + extract (HTML)"] = html_rate
        per_stage["read + extract"] = n / html_rate
    core_seconds = sum(per_stage.values()) / n * MONTH
    # serial steps (one task whatever the input): connected components and the boundary rule grow with the
    # articles too (a step that had one task because the input was small, as one window, is not serial)
    serial = sum(s["cpu_seconds"] for s in one_worker["steps"] if s["name"] in SERIAL) / n * MONTH
    cores = core_seconds / (HOUR - serial) if serial < HOUR else float("inf")
    return {
        "articles_per_s_per_core": {k: round(v, 1) for k, v in rates.items()},
        "core_hours_per_month": round(core_seconds / HOUR, 1),
        "serial_seconds_per_month": round(serial, 1),
        "cores_for_a_month_in_an_hour": int(cores) + 1,
    }


def makespan(task_cpu: dict[str, list[float]], workers: int) -> float:
    """Seconds the steps would take on ``workers`` idle cores, from their tasks' CPU seconds: each step's
    tasks scheduled longest first on the least loaded core (a step starts when the previous one ends)."""
    import heapq

    total = 0.0
    for tasks in task_cpu.values():
        cores = [0.0] * workers
        for t in sorted(tasks, reverse=True):
            heapq.heappush(cores, heapq.heappop(cores) + t)
        total += max(cores)
    return total


def _print_steps(run: dict) -> None:
    for s in run["steps"]:
        print(
            f"    {s['name']:<22} {s['seconds']:>8.1f} s wall  {s['task_seconds']:>8.1f} s in tasks ({s['cpu_seconds']:.1f} s CPU)  ({s['tasks']} tasks, worker peak {s['peak_mb']} MB)"
        )
    print("    shuffles: " + ", ".join(f"{k} {v / 2**20:.1f} MB" for k, v in run["shuffles"].items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["agreement", "scaling"], help="one part only")
    ap.add_argument(
        "--size", type=int, default=20_000, help="articles of the firehose scaling runs (0: none)"
    )
    ap.add_argument(
        "--default-size", type=int, default=2_000, help="articles of the default-settings runs (0: none)"
    )
    ap.add_argument(
        "--small-window", type=int, default=150, help="articles per window in the boundary run (0: none)"
    )
    ap.add_argument(
        "--window-articles", type=int, help="articles per window in (b) (default: the rule, WINDOW_ARTICLES)"
    )
    ap.add_argument("--agreement-embedder", default="minilm")
    ap.add_argument(
        "--agreement-facts", action="store_true", help="facts on in (a) (slower; stories unchanged)"
    )
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    args = ap.parse_args()
    results: dict = {"date": time.strftime("%Y-%m-%d"), "data": str(DATA)}
    with tempfile.TemporaryDirectory(prefix="storydesk-scale-bench-") as folder:
        tmp = Path(folder)
        if args.only in (None, "agreement"):
            a = agreement(tmp, args.agreement_embedder, args.agreement_facts, args.small_window)
            results["agreement"] = a
            print(
                f"(a) agreement on {a['articles']} DUC articles (embedder={a['embedder']}, facts={a['facts']}):"
            )
            p, r, f = a["ingest"]["b3_gold"]
            print(
                f"    ingest                  vs gold: B3 P {p:.4f} R {r:.4f} F1 {f:.4f}  ({a['ingest']['seconds']:.1f} s)"
            )
            for name in [k for k in a if k.startswith("scale")]:
                row = a[name]
                p, r, f = row["b3_gold"]
                pi, ri, fi = row["b3_vs_ingest"]
                print(
                    f"    {name:<23} vs gold: B3 P {p:.4f} R {r:.4f} F1 {f:.4f};  vs ingest: F1 {fi:.4f} "
                    f"(P {pi:.4f} R {ri:.4f}); {row['windows']} windows, {row['stories']} stories ({row['seconds']:.1f} s); "
                    f"identical to ingest's (same ids, same members): {row['identical']}"
                )
        if args.only in (None, "scaling"):
            configs = [(args.size, "tfidf", False)] if args.size else []
            if args.default_size:
                configs.append((args.default_size, "minilm", True))
            results["scaling"] = []
            for n, embedder, facts in configs:
                s = scaling(tmp, n, embedder, facts, args.window_articles)
                results["scaling"].append(s)
                print(f"(b) scaling, {n} articles, embedder={embedder}, facts={facts}:")
                for w in (1, 2):
                    run = s["runs"][w]
                    print(
                        f"  {w} worker(s): {run['seconds']:.1f} s, {run['articles_per_s']:.1f} articles/s, "
                        f"{run['windows']} windows, {run['stories']} stories"
                    )
                    _print_steps(run)
                print(f"  ratio 2 workers / 1 worker: {s['ratio']:.2f}x (wall clock on this shared machine)")
                cpu1 = s["runs"][1]["task_cpu"]
                cpu2 = s["runs"][2]["task_cpu"]
                # the same tasks on one core and on two idle cores: how evenly the job's work splits
                within = {
                    w: makespan(s["runs"][w]["task_cpu"], 1) / makespan(s["runs"][w]["task_cpu"], 2)
                    for w in (1, 2)
                }
                across = makespan(cpu1, 1) / makespan(cpu2, 2)
                s["ratio_from_task_cpu"] = within[2]
                s["ratio_from_task_cpu_1_worker_tasks"] = within[1]
                s["ratio_from_task_cpu_across_runs"] = across
                print(
                    f"  ratio from task CPU seconds, each run's tasks on 1 core vs 2 idle cores: {within[2]:.2f}x "
                    f"(2-worker run's {sum(map(len, cpu2.values()))} tasks), {within[1]:.2f}x (1-worker run's "
                    f"{sum(map(len, cpu1.values()))} tasks)"
                )
                print(
                    f"  (across the two runs, 1-worker CPU sum / 2-worker tasks on 2 cores: {across:.2f}x; their "
                    f"tasks' CPU seconds differ by {makespan(cpu2, 1) / makespan(cpu1, 1) - 1:+.0%}, noise of the "
                    "shared machine, so this one is not a speed-up)"
                )
                if "html_rate" not in results:
                    results["html_rate"] = html_extraction_rate()
                e = extrapolate(s["runs"][1], n, results["html_rate"])
                s["extrapolation"] = e
                print(
                    f"(c) per core ({embedder}, facts={facts}): "
                    + ", ".join(f"{k} {v} articles/s" for k, v in e["articles_per_s_per_core"].items())
                )
                print(
                    f"    a month of CommonCrawl-News (10 M HTML articles): {e['core_hours_per_month']} core-hours; "
                    f"{e['serial_seconds_per_month']} s in single-task steps; "
                    f"{e['cores_for_a_month_in_an_hour']} cores to finish within an hour"
                )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
