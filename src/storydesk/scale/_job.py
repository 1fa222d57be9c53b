"""The Dask job: the stages in order, each a set of tasks over the work folder, resumable stage by stage.

::

    read       read + extract per partition (file groups, JSONL line ranges, WARC record ranges)
    dedup      minhash per partition → LSH buckets (shuffled on the bucket) → edges along each bucket's
               sorted members → connected components → each component decided by ingest's streaming index
               (shuffled on the component), copies sent back to their partition
    cluster    articles routed to time windows (shuffled on the window, lead-ins replayed) → the streaming
               clusterer per window → the boundary rule merges window stories into final stories
    brief      articles shuffled on their final story → ``brief_story`` per story, written to the store in batches

A step that finished writes ``_DONE.json`` in its folder; a run with the same work folder skips it. Within a
step a task whose output exists is skipped too, so a run stopped in the middle of a step redoes only the
tasks that had not finished. Dask runs a task again when its worker dies (``retries``).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ConfigError, StorydeskError
from ..ingest import Part
from ..model import Failure
from ._exchange import file_bytes, read_table, table_failures
from ._plan import ReadPart, Window, WindowPlan, newest_by_chunk, plan_reads, plan_windows
from ._records import STAGES, ScaleOptions, ScaleReport, StageReport
from ._tasks import (
    Stats,
    brief_part,
    bucket_edges,
    cluster_window,
    connected_components,
    fold_candidates,
    merge_windows,
    minhash_partition,
    read_partition,
    route_candidates,
    route_stories,
    route_windows,
)

__all__ = ["run_scale", "ScaleError"]

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


class ScaleError(StorydeskError):
    """The Dask job stopped (a task failed more often than it is retried, or the cluster went away)."""


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _fingerprint(paths: Sequence[str | Path], settings: Settings, options: ScaleOptions) -> dict[str, Any]:
    """What a work folder's results depend on: a run resumes only a folder made with the same."""
    keep = (
        "embedder",
        "dedup_threshold",
        "cluster_threshold",
        "summary_sentences",
        "facts",
        "spacy_model",
        "max_file_mb",
    )
    cut = (
        "partition_files",
        "split_bytes",
        "min_split_bytes",
        "window_articles",
        "lead_in_days",
        "flush_every",
    )
    return {
        "inputs": [str(Path(p).resolve()) for p in paths],
        "db": settings.db_url,
        "settings": {k: getattr(settings, k) for k in keep},
        "options": {k: getattr(options, k) for k in cut},
    }


class _Job:
    def __init__(
        self,
        client: Any,
        paths: Sequence[str | Path],
        settings: Settings,
        options: ScaleOptions,
        progress: Progress,
    ) -> None:
        self.client = client
        self.paths = paths
        self.settings = settings
        self.options = options
        self.progress = progress
        self.work = options.work_dir
        self.report = ScaleReport()
        workers = len(client.scheduler_info().get("workers", {})) or 1
        self.report.workers = workers
        # the parts every shuffle is cut into: fixed by the first run, so a resumed run on other workers
        # reads what the earlier steps wrote
        saved = self.work / "parts.json"
        if saved.exists():
            self.parts = int(json.loads(saved.read_text()))
        else:
            self.parts = max(1, options.parts_per_worker * workers)
            saved.write_text(json.dumps(self.parts))

    # -- running a step ----------------------------------------------------------------------------------

    def step(
        self, name: str, folder: str, fn: Callable[..., Stats], calls: list[tuple[Any, ...]]
    ) -> list[Stats]:
        """Run ``fn`` once per argument tuple as Dask tasks, unless an earlier run finished this step."""
        done = self.work / folder / "_DONE.json"
        if done.exists():
            saved = json.loads(done.read_text())
            self.report.steps.append(StageReport(**{**saved["report"], "resumed": True}))
            return [
                Stats(s[0], s[1], s[2], tuple(tuple(c) for c in s[3]), s[4], s[5]) for s in saved["stats"]
            ]
        start = time.perf_counter()
        stats: list[Stats] = []
        if calls:
            futures = self.client.map(fn, *zip(*calls, strict=True), retries=self.options.retries, pure=False)
            try:
                from distributed import as_completed

                for future in as_completed(futures):
                    stats.append(future.result())
                    self.progress(name, 1)
            except Exception as exc:
                for f in futures:
                    f.cancel()
                raise ScaleError(
                    f"the Dask job failed in step {name!r}: {type(exc).__name__}: {exc}; "
                    f"run the same command again to resume from {self.work}"
                ) from exc
            # as_completed gives them in completion order; keep the submission order
            order = {f.key: i for i, f in enumerate(futures)}
            stats = [f.result() for f in sorted(futures, key=lambda f: order[f.key])]
        report = StageReport(
            name,
            time.perf_counter() - start,
            sum(s.seconds for s in stats),
            len(calls),
            sum(s.rows for s in stats),
            sum(s.bytes for s in stats),
            peak_mb=max((s.peak_mb for s in stats), default=0.0),
            cpu_seconds=sum(s.cpu_seconds for s in stats),
        )
        self.report.steps.append(report)
        done.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "report": asdict(report),
            "stats": [[s.rows, s.bytes, s.seconds, list(s.counts), s.peak_mb, s.cpu_seconds] for s in stats],
        }
        tmp = done.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload))
        os.replace(tmp, done)
        return stats

    def local_step(self, name: str, folder: str, fn: Callable[..., Stats], *args: Any) -> Stats:
        """A step of one task (connected components, the boundary rule), run on a worker like the others."""
        return self.step(name, folder, fn, [args])[0]

    def path(self, folder: str, name: str) -> Path:
        return self.work / folder / name

    def stopped(self, stage: str) -> bool:
        if self.options.stop_after == stage:
            self.report.stopped_after = stage
            return True
        return False

    # -- the stages --------------------------------------------------------------------------------------

    def run(self) -> ScaleReport:
        plan = self._plan()
        parts = [p for p in plan if isinstance(p, ReadPart)]
        self.report.partitions = len(parts)
        n = len(parts)
        art = [self.path("1-read", f"articles-{i:05d}.parquet") for i in range(n)]
        fail = [self.path("1-read", f"failures-{i:05d}.parquet") for i in range(n)]
        stats = self.step(
            "read",
            "1-read",
            read_partition,
            [(p, self.settings, art[i], fail[i]) for i, p in enumerate(parts)],
        )
        self.report.articles = sum(s.rows for s in stats)
        # each article's place in the input (what `ingest` reads before it): partition offsets + row
        self.offsets = [0, *itertools.accumulate(s.rows for s in stats)][:n]
        self.report.failures = self._failures(plan, fail)
        if self.stopped("read"):
            return self.report

        self._dedup(art)
        if self.stopped("dedup"):
            return self.report

        windows = self._cluster(art)
        if self.stopped("cluster"):
            return self.report

        self._brief(windows)
        self._store_failures()
        return self.report

    def _plan(self) -> list[ReadPart | Failure]:
        """The read partitions, planned once per work folder (a resumed run reads the same ones)."""
        saved = self.work / "plan.json"
        if saved.exists():
            items = json.loads(saved.read_text())
            return [
                Failure(i["origin"], i["reason"])
                if "origin" in i
                else ReadPart(tuple(i["files"]), Part(**i["part"]) if i["part"] else None)
                for i in items
            ]
        plan = plan_reads(
            self.paths,
            partition_files=self.options.partition_files,
            split_bytes=self.options.split_bytes,
            target_parts=self.parts,
            min_split_bytes=self.options.min_split_bytes,
        )
        items = [asdict(p) for p in plan]
        tmp = saved.with_suffix(".tmp")
        tmp.write_text(json.dumps(items))
        os.replace(tmp, saved)
        return plan

    def _failures(self, plan: list[ReadPart | Failure], files: list[Path]) -> list[Failure]:
        """Every failure in input order: those of the plan in their place, then each partition's."""
        out: list[Failure] = []
        k = 0
        for item in plan:
            if isinstance(item, Failure):
                out.append(item)
            else:
                out.extend(table_failures(read_table(files[k])))
                k += 1
        return out

    def _dedup(self, art: list[Path]) -> None:
        from ..group.options import GroupOptions

        dedup = GroupOptions.from_settings(self.settings).dedup
        lsh_threshold = max(0.1, dedup.threshold - dedup.lsh_slack)
        n, parts = len(art), self.parts
        bands = [self.path("2-dedup", f"bands-{i:05d}.parquet") for i in range(n)]
        self.step(
            "minhash",
            "2-dedup/minhash",
            minhash_partition,
            [(art[i], i, lsh_threshold, dedup.num_perm, parts, bands[i]) for i in range(n)],
        )
        self.report.shuffles["lsh buckets"] = file_bytes(bands)
        edges = [self.path("2-dedup", f"edges-{r:05d}.parquet") for r in range(parts)]
        self.step(
            "buckets to edges", "2-dedup/edges", bucket_edges, [(bands, r, edges[r]) for r in range(parts)]
        )
        comps = self.path("2-dedup", "components.parquet")
        self.local_step("connected components", "2-dedup/components", connected_components, edges, comps)
        self.report.shuffles["edges"] = file_bytes(edges)
        cands = [self.path("2-dedup", f"candidates-{i:05d}.parquet") for i in range(n)]
        self.step(
            "candidates",
            "2-dedup/candidates",
            route_candidates,
            [(art[i], i, comps, parts, self.offsets[i], cands[i]) for i in range(n)],
        )
        self.report.shuffles["candidates"] = file_bytes(cands)
        days = [read_table(path, ["day"]).column("day").to_numpy(zero_copy_only=False) for path in art]
        newest = newest_by_chunk(days, self.offsets, self.options.flush_every)
        copies = [self.path("2-dedup", f"copies-{r:05d}.parquet") for r in range(parts)]
        stats = self.step(
            "fold",
            "2-dedup/fold",
            fold_candidates,
            [(cands, r, dedup, self.options.flush_every, newest, copies[r]) for r in range(parts)],
        )
        self.report.shuffles["copies"] = file_bytes(copies)
        self.report.duplicates = sum(s.rows for s in stats)

    def _window_plan(self, art: list[Path]) -> WindowPlan:
        saved = self.work / "3-cluster" / "windows.json"
        if saved.exists():
            return WindowPlan(tuple(Window(**w) for w in json.loads(saved.read_text())))
        days: dict[float, int] = {}
        undated = 0
        for path in art:
            for day in read_table(path, ["day"]).column("day").to_pylist():
                if day is None or day != day:
                    undated += 1
                else:
                    days[day] = days.get(day, 0) + 1
        plan = plan_windows(
            days,
            undated,
            window_articles=self.options.window_articles,
            lead_in_days=self.options.lead_in_days,
        )
        saved.parent.mkdir(parents=True, exist_ok=True)
        tmp = saved.with_suffix(".tmp")
        tmp.write_text(json.dumps([asdict(w) for w in plan.windows]))
        os.replace(tmp, saved)
        return plan

    def _cluster(self, art: list[Path]) -> int:
        n = len(art)
        plan = self._window_plan(art)
        w = len(plan.windows)
        self.report.windows = w
        copies = [self.path("2-dedup", f"copies-{r:05d}.parquet") for r in range(self.parts)]
        routed = [self.path("3-cluster", f"routed-{i:05d}.parquet") for i in range(n)]
        self.step(
            "route to windows",
            "3-cluster/route",
            route_windows,
            [(art[i], i, copies, plan, self.offsets[i], routed[i]) for i in range(n)],
        )
        self.report.shuffles["windows"] = file_bytes(routed)
        out = [self.path("3-cluster", f"window-{k:05d}.parquet") for k in range(w)]
        links = [self.path("3-cluster", f"links-{k:05d}.parquet") for k in range(w)]
        stats = self.step(
            "cluster windows",
            "3-cluster/windows",
            cluster_window,
            [
                (
                    routed,
                    k,
                    plan,
                    self.settings,
                    self.options.flush_every,
                    self.report.articles,
                    out[k],
                    links[k],
                )
                for k in range(w)
            ],
        )
        self.report.repeats = sum(dict(s.counts).get("repeats", 0) for s in stats)
        story_map = self.path("3-cluster", "stories.parquet")
        merged = self.local_step("merge windows", "3-cluster/merge", merge_windows, links, w, story_map)
        self.report.stories = dict(merged.counts).get("stories", 0)
        return w

    def _brief(self, windows: int) -> None:
        parts = self.parts
        windows_out = [self.path("3-cluster", f"window-{k:05d}.parquet") for k in range(windows)]
        story_map = self.path("3-cluster", "stories.parquet")
        routed = [self.path("4-brief", f"stories-{k:05d}.parquet") for k in range(windows)]
        self.step(
            "route to stories",
            "4-brief/route",
            route_stories,
            [(windows_out[k], k, story_map, parts, routed[k]) for k in range(windows)],
        )
        self.report.shuffles["stories"] = file_bytes(routed)
        done = [self.path("4-brief", f"briefed-{r:05d}.parquet") for r in range(parts)]
        self.step(
            "brief",
            "4-brief/brief",
            brief_part,
            [
                (routed, r, self.settings, self.settings.db_url, self.options.store_batch, done[r])
                for r in range(parts)
            ],
        )

    def _store_failures(self) -> None:
        marker = self.work / "4-brief" / "_FAILURES_STORED"
        if marker.exists() or not self.report.failures:
            return
        from ..store import Store

        with Store.open(self.settings.db_url) as store:
            for failure in self.report.failures:
                store.add_failure(failure)
        marker.write_text("")


def _check_work_dir(paths: Sequence[str | Path], settings: Settings, options: ScaleOptions) -> None:
    """A fresh work folder needs an empty store; a used one must come from the same inputs and settings."""
    manifest = options.work_dir / "manifest.json"
    mine = _fingerprint(paths, settings, options)
    if manifest.exists():
        if json.loads(manifest.read_text()) != json.loads(json.dumps(mine)):
            raise ConfigError(
                f"the work folder {options.work_dir} holds another run (other inputs, settings or store); "
                "give another --work-dir, or delete that folder to start again"
            )
        return
    from ..store import Store

    with Store.open(settings.db_url) as store:
        if store.article_count():
            raise ConfigError(
                f"{settings.db_url} already holds articles: `scale` loads an empty store in bulk "
                "(use `storydesk ingest` to add to a store)"
            )
    options.work_dir.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(mine, indent=1))


def _on_this_machine(address: str) -> bool:
    """Whether a scheduler address is on this machine's loopback (its workers then share its disk)."""
    from urllib.parse import urlsplit

    host = urlsplit(address if "://" in address else f"tcp://{address}").hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def run_scale(
    paths: Sequence[str | Path],
    settings: Settings,
    options: ScaleOptions,
    *,
    progress: Progress = lambda _what, _n: None,
) -> ScaleReport:
    """Run the job over ``paths`` into the store of ``settings`` on a Dask cluster (the one at
    ``options.scheduler``, or a LocalCluster of ``options.workers`` processes started here)."""
    if options.stop_after is not None and options.stop_after not in STAGES:
        raise ConfigError(f"stop_after must be one of {', '.join(STAGES)}, got {options.stop_after!r}")
    if options.scheduler and not _on_this_machine(options.scheduler) and settings.db_url.startswith("sqlite"):
        raise ConfigError(
            "the workers of a Dask cluster write to the store: give a Postgres URL with --db "
            "(a SQLite store only when the cluster runs on this machine)"
        )
    _check_work_dir(paths, settings, options)
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError("`storydesk scale` needs Dask: pip install 'storydesk[scale]'") from exc
    cluster = None
    if options.scheduler:
        client = Client(options.scheduler)
    else:
        workers = options.workers or _cores()
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        return _Job(client, paths, settings, options, progress).run()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
