"""What one Dask task does: each stage's map and reduce work, over files in the work folder.

Every task reads its inputs from the work folder, writes its output there atomically (a file appears
whole or not at all) and returns a few numbers. A task whose output exists already returns at once, so a
stage run again after a failure redoes only what is missing; a task run twice (Dask retries it when its
worker dies) writes the same bytes. Tasks hold no state but the per-process :class:`Components`.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..components import Components
from ..config import Settings
from ..model import Article, Failure, Story, article_sort_key, count_outlets, publication_day
from ._exchange import (
    articles_table,
    failures_table,
    read_exchange,
    read_table,
    table_articles,
    write_exchange,
    write_table,
)
from ._plan import ReadPart, WindowPlan

__all__ = [
    "Stats",
    "read_partition",
    "minhash_partition",
    "bucket_edges",
    "connected_components",
    "route_candidates",
    "fold_candidates",
    "route_windows",
    "cluster_window",
    "route_stories",
    "brief_part",
]

_components: dict[tuple[Settings, bool], Components] = {}  # this worker process's, built once


def components_for(settings: Settings, *, one_thread: bool = True) -> Components:
    """This process's Components for ``settings`` (models load once per worker process). In a worker
    (``one_thread``) MiniLM runs on one thread: the cluster runs one task per core."""
    key = (settings, one_thread)
    if key not in _components:
        embedder = None
        if one_thread:
            from ..group.embed import EmbedderOptions, get_embedder

            embedder = get_embedder(settings.embedder, EmbedderOptions(threads=1))
        _components[key] = Components(settings, embedder=embedder)
    return _components[key]


@dataclass(frozen=True, slots=True)
class Stats:
    """What a task reports: rows out, bytes written, its seconds, a few counts by name, and the peak
    resident memory of its worker process so far (MB)."""

    rows: int = 0
    bytes: int = 0
    seconds: float = 0.0
    counts: tuple[tuple[str, int], ...] = ()
    peak_mb: float = 0.0
    cpu_seconds: float = 0.0  # the CPU time of its process meanwhile (not inflated by a busy machine)


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _done(path: Path) -> Stats | None:
    return Stats(bytes=path.stat().st_size) if path.exists() else None


def _timed(fn: Callable[..., Stats]) -> Callable[..., Stats]:
    """The task with its seconds counted (it keeps the task's name, so Dask sends it by reference)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Stats:
        start, cpu = time.perf_counter(), time.process_time()
        stats = fn(*args, **kwargs)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        return Stats(stats.rows, stats.bytes, seconds, stats.counts, _peak_mb(), cpu)

    return run


# -- 1. read + extract ---------------------------------------------------------------------------------


@_timed
def read_partition(part: ReadPart, settings: Settings, out: Path, failures_out: Path) -> Stats:
    """Read and extract one partition (the same readers and extractor as ``ingest``): its articles, with
    their publication day, and its failures, in reading order."""
    if (done := _done(out)) is not None and failures_out.exists():
        return done
    from ..ingest import read_file
    from ..pipeline import extract_document, read_limits

    articles: list[Article] = []
    failures: list[Failure] = []
    limits = read_limits(settings)
    for name in part.files:
        for raw in read_file(Path(name), limits=limits, part=part.part):
            if isinstance(raw, Failure):
                failures.append(raw)
                continue
            item = extract_document(raw)
            (failures if isinstance(item, Failure) else articles).append(item)  # type: ignore[arg-type]
    days = pa.array([publication_day(a.published) for a in articles], pa.float64())
    size = write_table(failures_table(failures), failures_out)
    size += write_table(articles_table(articles, day=days), out)
    return Stats(len(articles), size, counts=(("failures", len(failures)),))


# -- 2. near-duplicates: minhash → LSH buckets → edges → connected components → ingest's streaming rule ---


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) of the LSH the single-machine index uses (datasketch's choice for the
    same threshold and permutations)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _signatures(texts: list[str], num_perm: int) -> np.ndarray:
    """MinHash signatures (one row per text) computed as :class:`storydesk.group.dedup.DuplicateIndex`
    computes them: datasketch's permutations over the same shingle hashes."""
    from datasketch import MinHash

    from ..group.dedup import shingle_hashes

    template = MinHash(num_perm=num_perm)
    a = template.permutations[0].astype(np.uint32)[None, :]
    b = template.permutations[1].astype(np.uint32)[None, :]
    out = np.empty((len(texts), num_perm), dtype=np.uint64)
    for i, text in enumerate(texts):
        hv = shingle_hashes(text)
        out[i] = (hv[:, None] * a + b).min(axis=0) if len(hv) else template.hashvalues
    return out


def _band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """A 64-bit key per (text, band): the band's values mixed with the band's number (n × bands)."""
    n = sig.shape[0]
    h = np.zeros((n, bands), dtype=np.uint64)
    cut = sig[:, : bands * rows].reshape(n, bands, rows)
    with np.errstate(over="ignore"):
        h += np.arange(1, bands + 1, dtype=np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15)
        for j in range(rows):
            h = (h ^ cut[:, :, j]) * np.uint64(0x100000001B3)
            h ^= h >> np.uint64(29)
    return h


@_timed
def minhash_partition(
    articles: Path, index: int, threshold: float, num_perm: int, parts: int, out: Path
) -> Stats:
    """MinHash every article of partition ``index`` and write one (bucket, doc) row per LSH band, shuffled
    on the bucket. A doc is ``index << 32 | row``."""
    if (done := _done(out)) is not None:
        return done
    texts = read_table(articles, ["text"]).column("text").to_pylist()
    bands, rows = lsh_bands(threshold, num_perm)
    keys = _band_keys(_signatures(texts, num_perm), bands, rows)
    docs = np.repeat((np.int64(index) << 32) + np.arange(len(texts), dtype=np.int64), bands)
    buckets = keys.reshape(-1)
    table = pa.table({"bucket": pa.array(buckets, pa.uint64()), "doc": pa.array(docs, pa.int64())})
    size = write_exchange(table, (buckets % np.uint64(parts)).astype(np.int64), out)
    return Stats(len(buckets), size)


@_timed
def bucket_edges(maps: list[Path], part: int, out: Path) -> Stats:
    """One shuffle part of LSH buckets → edges: the members of each bucket sorted, each linked to the next
    (a bucket of k members gives k − 1 edges, not k(k − 1)/2)."""
    if (done := _done(out)) is not None:
        return done
    table = read_exchange(maps, part)
    if table is None:
        return Stats(
            0, write_table(pa.table({"a": pa.array([], pa.int64()), "b": pa.array([], pa.int64())}), out)
        )
    bucket = table.column("bucket").to_numpy()
    doc = table.column("doc").to_numpy()
    order = np.lexsort((doc, bucket))
    bucket, doc = bucket[order], doc[order]
    same = bucket[1:] == bucket[:-1]
    pairs = np.stack([doc[:-1][same], doc[1:][same]], axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs = np.unique(pairs, axis=0) if len(pairs) else pairs.reshape(0, 2)
    edges = pa.table({"a": pa.array(pairs[:, 0], pa.int64()), "b": pa.array(pairs[:, 1], pa.int64())})
    return Stats(len(pairs), write_table(edges, out))


@_timed
def connected_components(edges: list[Path], out: Path) -> Stats:
    """Connected components of all edges (one task: the edges are two integers each); each doc in a
    component of two or more is written with the component's smallest doc, shuffled on the doc's partition."""
    if (done := _done(out)) is not None:
        return done
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components as components

    tables = [read_table(p) for p in edges]
    a = np.concatenate([t.column("a").to_numpy() for t in tables]) if tables else np.zeros(0, np.int64)
    b = np.concatenate([t.column("b").to_numpy() for t in tables]) if tables else np.zeros(0, np.int64)
    nodes, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    n = len(nodes)
    graph = sp.coo_matrix((np.ones(len(a)), (inverse[: len(a)], inverse[len(a) :])), shape=(n, n))
    _, labels = components(graph, directed=False)
    smallest = np.full(labels.max() + 1 if n else 0, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, labels, nodes)
    table = pa.table(
        {"doc": pa.array(nodes, pa.int64()), "component": pa.array(smallest[labels], pa.int64())}
    )
    size = write_exchange(table, (nodes >> 32).astype(np.int64), out)
    return Stats(n, size, counts=(("components", int(len(np.unique(labels))) if n else 0),))


@_timed
def route_candidates(
    articles: Path, index: int, components: Path, parts: int, offset: int, out: Path
) -> Stats:
    """The articles of partition ``index`` that share a component, with what the streaming rule reads
    (id, date, text, and ``arrival``: the article's place in the input, ``offset`` + its row), shuffled on
    the component."""
    if (done := _done(out)) is not None:
        return done
    found = read_exchange([components], index)
    empty = pa.table(
        {
            "component": pa.array([], pa.int64()),
            "id": pa.array([], pa.string()),
            "published": pa.array([], pa.string()),
            "text": pa.array([], pa.string()),
            "doc": pa.array([], pa.int64()),
            "arrival": pa.array([], pa.int64()),
        }
    )
    if found is None:
        return Stats(0, write_exchange(empty, np.zeros(0, np.int64), out))
    docs = found.column("doc").to_numpy()
    component = found.column("component").to_numpy()
    table = read_table(articles, ["id", "published", "text"]).take(pa.array(docs & 0xFFFFFFFF))
    table = table.append_column("component", pa.array(component, pa.int64()))
    table = table.append_column("doc", pa.array(docs, pa.int64()))
    table = table.append_column("arrival", pa.array(offset + (docs & 0xFFFFFFFF), pa.int64()))
    return Stats(len(docs), write_exchange(table, component % parts, out))


def ingest_order(arrival: int, article: Article, chunk: int) -> tuple[int, str, str]:
    """Where ``ingest`` places an article: it stores articles in input order and places them ``chunk`` at
    a time (``IngestOptions.place_every``), each chunk in publication order (``StoryPlacer.place``). So an
    article at place ``arrival`` of the input comes in chunk ``arrival // chunk``, then by publication."""
    return (arrival // chunk, *article_sort_key(article))


def _stream_newest(arrival: int, day: float, chunk: int, newest: list[float]) -> float:
    """The newest day a streaming index fed the whole input in ``ingest``'s order has seen when it adds
    this article: that of the chunks before, or this one's own (a chunk comes in publication order, undated
    articles last, so an undated one comes after all of its chunk's dated ones)."""
    c = arrival // chunk
    if math.isnan(day):
        return newest[c]
    return max(newest[c - 1] if c else -math.inf, day)


@_timed
def fold_candidates(
    maps: list[Path], part: int, options: Any, chunk: int, newest: list[float], out: Path
) -> Stats:
    """Each component of one shuffle part decided by the rule ``ingest`` applies: the streaming
    :class:`storydesk.group.dedup.DuplicateIndex` (``options`` its DedupOptions), fed the component's
    articles in the order ``ingest`` places them (:func:`ingest_order`); copy → canonical with the
    canonical's date, shuffled back to the copy's read partition.

    The index compares an article only with earlier articles that share an LSH band with it, and those
    are in its component, so deciding each component alone gives what one index over all articles gives.
    Its horizon counts from the newest day of the whole input so far (``newest``: per chunk, from
    :func:`~._plan.newest_by_chunk`); its cap on undated articles counts the component's only."""
    if (done := _done(out)) is not None:
        return done
    from ..group.dedup import DuplicateIndex

    table = read_exchange(maps, part)
    copies: list[tuple[int, str, str, str | None]] = []
    if table is not None:
        names = ("component", "id", "published", "text", "doc", "arrival")
        cols = {c: table.column(c).to_pylist() for c in names}
        by_component: dict[int, list[int]] = {}
        for i, c in enumerate(cols["component"]):
            by_component.setdefault(c, []).append(i)
        for rows in by_component.values():
            articles = {
                i: Article(cols["id"][i], "", cols["text"][i], published=cols["published"][i]) for i in rows
            }
            index = DuplicateIndex(options)
            published = {cols["id"][i]: cols["published"][i] for i in rows}
            for i in sorted(rows, key=lambda i: ingest_order(cols["arrival"][i], articles[i], chunk)):
                day = publication_day(cols["published"][i])
                seen = _stream_newest(cols["arrival"][i], day, chunk, newest)
                canonical = index.add(articles[i], newest=seen)
                if canonical is not None and canonical != cols["id"][i]:
                    copies.append((cols["doc"][i], cols["id"][i], canonical, published[canonical]))
    docs = np.array([c[0] for c in copies], dtype=np.int64)
    out_table = pa.table(
        {
            "doc": pa.array(docs, pa.int64()),
            "id": pa.array([c[1] for c in copies], pa.string()),
            "canonical": pa.array([c[2] for c in copies], pa.string()),
            "canonical_published": pa.array([c[3] for c in copies], pa.string()),
        }
    )
    return Stats(len(copies), write_exchange(out_table, docs >> 32, out))


# -- 3. stories: time windows, the streaming clusterer in each, merged across boundaries ------------------

ROLE_OWN, ROLE_LEAD, ROLE_COPY = "own", "lead", "copy"


@_timed
def route_windows(
    articles: Path, index: int, copies: list[Path], plan: WindowPlan, offset: int, out: Path
) -> Stats:
    """Send each article of partition ``index`` to the window that owns its day, and to the later windows
    whose lead-in holds it; a near-duplicate goes, as a copy, to its canonical article's window. Each
    row keeps its ``arrival`` (its place in the input: ``offset`` + its row), which orders the window."""
    if (done := _done(out)) is not None:
        return done
    table = read_table(articles)
    found = read_exchange(copies, index)
    canonical: dict[int, tuple[str, str | None]] = {}
    if found is not None:
        for doc, canon, pub in zip(
            found.column("doc").to_pylist(),
            found.column("canonical").to_pylist(),
            found.column("canonical_published").to_pylist(),
            strict=True,
        ):
            canonical[doc & 0xFFFFFFFF] = (canon, pub)
    rows: list[int] = []
    windows: list[int] = []
    roles: list[str] = []
    canon_ids: list[str | None] = []
    for row, day in enumerate(table.column("day").to_pylist()):
        day = math.nan if day is None else day
        if row in canonical:
            canon, pub = canonical[row]
            rows.append(row)
            windows.append(plan.home(publication_day(pub)))
            roles.append(ROLE_COPY)
            canon_ids.append(canon)
            continue
        rows.append(row)
        windows.append(plan.home(day))
        roles.append(ROLE_OWN)
        canon_ids.append(None)
        for w in plan.leads(day):
            rows.append(row)
            windows.append(w)
            roles.append(ROLE_LEAD)
            canon_ids.append(None)
    routed = table.take(pa.array(rows, pa.int64())).drop_columns(["day"])
    routed = routed.append_column("role", pa.array(roles, pa.string()))
    routed = routed.append_column("canonical", pa.array(canon_ids, pa.string()))
    routed = routed.append_column("arrival", pa.array(np.array(rows, dtype=np.int64) + offset, pa.int64()))
    return Stats(len(rows), write_exchange(routed, np.array(windows, dtype=np.int64), out))


@dataclass(frozen=True, slots=True)
class _Clustered:
    """What a window's streaming clusterer made: article id → story id, and story id → related story ids."""

    story_of: dict[str, str]
    related: dict[str, tuple[str, ...]]


def place_like_ingest(
    sequence: list[tuple[int, Article, np.ndarray | None]], options: Any, chunk: int, total: int
) -> _Clustered:
    """Stories from the streaming clusterer ``ingest`` uses (``group.cluster.StreamClusterer``), fed as
    ``ingest`` feeds it: ``sequence`` holds (arrival, article, document vector, or None for a near-duplicate
    folded into another) and is placed in :func:`ingest_order`; the clusterer revises (``flush``) after
    each full chunk of ``chunk`` arrivals and once more at the end, as ``ingest`` does after each chunk it
    places and at the end of the run (``total`` arrivals in all). Near-duplicates are not clustered, but
    they count in their chunk, as in ``ingest``."""
    from ..group.cluster import StreamClusterer

    clusterer = StreamClusterer(options)
    story_of: dict[str, str] = {}
    related: dict[str, tuple[str, ...]] = {}

    def flush() -> None:
        clusterer.flush()
        story_of.update(clusterer.assignments())  # stories let go of keep their last assignment
        related.update((s.id, s.related) for s in clusterer.stories())

    ordered = sorted(sequence, key=lambda item: ingest_order(item[0], item[1], chunk))
    current: int | None = None
    full_chunks = total // chunk
    for arrival, article, vector in ordered:
        here = arrival // chunk
        if current is not None and here != current and current < full_chunks:
            flush()
        current = here
        if vector is not None:
            clusterer.add(article, vector)
    if current is not None and current < full_chunks:
        flush()  # the last chunk was full: ingest placed it, then ends the run with one more placement
    flush()
    return _Clustered(story_of, related)


@_timed
def cluster_window(
    maps: list[Path],
    window: int,
    plan: WindowPlan,
    settings: Settings,
    chunk: int,
    total: int,
    out: Path,
    links: Path,
) -> Stats:
    """Cluster one window: its lead-in and its own articles through the streaming clusterer ``ingest``
    uses, fed in ``ingest``'s order and revised at its chunk boundaries (:func:`place_like_ingest`), with
    document vectors from the same embedder. Writes the window's own articles and copies with their window
    story, and (``links``) what the boundary rule reads: each window story's earliest own article, the
    stories of its lead-in articles, its own articles that a later window replays, and its related stories."""
    if (done := _done(out)) is not None and links.exists():
        return done
    from ..group.embed import embed_documents

    components = components_for(settings)
    table = read_exchange(maps, window)
    if table is None:
        table = articles_table(
            [],
            role=pa.array([], pa.string()),
            canonical=pa.array([], pa.string()),
            arrival=pa.array([], pa.int64()),
        )
    articles = table_articles(table)
    roles = table.column("role").to_pylist()
    canonical = table.column("canonical").to_pylist()
    arrivals = table.column("arrival").to_pylist()
    seen: set[tuple[str, str]] = set()
    repeats = 0
    leads: list[Article] = []
    own: list[Article] = []
    copies: list[tuple[Article, str]] = []
    arrival_of: dict[str, int] = {}
    for article, role, canon, arrival in zip(articles, roles, canonical, arrivals, strict=True):
        if (article.id, role) in seen:
            repeats += role != ROLE_LEAD  # the same article read twice (ingest: "already stored")
            continue
        seen.add((article.id, role))
        arrival_of.setdefault(article.id, arrival)
        if role == ROLE_LEAD:
            leads.append(article)
        elif role == ROLE_OWN:
            own.append(article)
        else:
            copies.append((article, canon))
    clustered = leads + own
    vectors = embed_documents(components.embedder, clustered) if clustered else np.zeros((0, 1), np.float32)
    sequence: list[tuple[int, Article, np.ndarray | None]] = [
        (arrival_of[a.id], a, vectors[i]) for i, a in enumerate(clustered)
    ]
    sequence += [(arrival_of[a.id], a, None) for a, _ in copies]
    placed = place_like_ingest(sequence, components.group_options.cluster, chunk, total)
    prefix = f"{window}:"
    story_of = {a.id: prefix + placed.story_of[a.id] for a in clustered}

    seeds: dict[str, tuple[str, str]] = {}
    for a in own:
        key = article_sort_key(a)
        sid = story_of[a.id]
        if sid not in seeds or key < seeds[sid]:
            seeds[sid] = key
    written = own + [a for a, _ in copies]
    stories = [story_of[a.id] for a in own] + [story_of[c] for _, c in copies]
    size = write_table(
        articles_table(
            written,
            story=pa.array(stories, pa.string()),
            canonical=pa.array([None] * len(own) + [c for _, c in copies], pa.string()),
        ),
        out,
    )
    replayed = [a for a in own if plan.leads(publication_day(a.published))]
    related = [
        ("related", prefix + sid, prefix + other, None)
        for sid, others in placed.related.items()
        if prefix + sid in seeds
        for other in others
    ]
    link_rows = (
        [("seed", sid, key[1], key[0]) for sid, key in seeds.items()]
        + [("lead", story_of[a.id], a.id, None) for a in leads]
        + [("owned", story_of[a.id], a.id, None) for a in replayed]
        + related
    )
    size += write_table(
        pa.table(
            {
                "kind": pa.array([r[0] for r in link_rows], pa.string()),
                "story": pa.array([r[1] for r in link_rows], pa.string()),
                "article": pa.array([r[2] for r in link_rows], pa.string()),
                "published": pa.array([r[3] for r in link_rows], pa.string()),
            }
        ),
        links,
    )
    return Stats(len(written), size, counts=(("repeats", repeats), ("window_stories", len(seeds))))


def merge_windows(links: list[Path], windows: int, out: Path) -> Stats:
    """The boundary rule (:mod:`._merge`) over every window's links: window story → final story id, with
    the final story's related stories (those of its window stories, as final ids), shuffled on the window."""
    from ._merge import merge_across_windows

    start, cpu = time.perf_counter(), time.process_time()
    if (done := _done(out)) is not None:
        return done
    seeds: dict[str, tuple[str, str]] = {}
    owned: dict[str, str] = {}
    leads: list[tuple[str, str]] = []
    related: list[tuple[str, str]] = []
    for path in links:
        t = read_table(path)
        for kind, story, article, published in zip(
            *(t.column(c).to_pylist() for c in ("kind", "story", "article", "published")), strict=True
        ):
            if kind == "seed":
                seeds[story] = (published, article)
            elif kind == "lead":
                leads.append((story, article))
            elif kind == "related":
                related.append((story, article))
            else:
                owned[article] = story
    final = merge_across_windows(seeds, owned, leads)
    related_of: dict[str, list[str]] = {}
    for story, other in related:
        a, b = final.get(story), final.get(other)
        if a is not None and b is not None and a != b and b not in related_of.setdefault(a, []):
            related_of[a].append(b)
    names = sorted(final)
    table = pa.table(
        {
            "story": pa.array(names, pa.string()),
            "final": pa.array([final[s] for s in names], pa.string()),
            "related": pa.array([related_of.get(final[s], []) for s in names], pa.list_(pa.string())),
        }
    )
    parts = np.array([int(s.split(":", 1)[0]) for s in names], dtype=np.int64)
    size = write_exchange(table, parts, out)
    counts = (("stories", len(set(final.values()))),)
    return Stats(len(names), size, time.perf_counter() - start, counts, _peak_mb(), time.process_time() - cpu)


# -- 4. briefings ------------------------------------------------------------------------------------------


def _part_of(story_id: str, parts: int) -> int:
    return int(story_id[:12], 16) % parts


@_timed
def route_stories(window_file: Path, window: int, story_map: Path, parts: int, out: Path) -> Stats:
    """The articles of one window with their final story, shuffled on the story."""
    if (done := _done(out)) is not None:
        return done
    table = read_table(window_file)
    found = read_exchange([story_map], window)
    final: dict[str, tuple[str, list[str]]] = {}
    if found is not None:
        final = {
            s: (f, r)
            for s, f, r in zip(
                *(found.column(c).to_pylist() for c in ("story", "final", "related")), strict=True
            )
        }
    window_stories = table.column("story").to_pylist()
    stories = [final[s][0] for s in window_stories]
    table = table.set_column(table.schema.get_field_index("story"), "story", pa.array(stories, pa.string()))
    table = table.append_column(
        "related", pa.array([final[s][1] for s in window_stories], pa.list_(pa.string()))
    )
    parts_of = np.array([_part_of(s, parts) for s in stories], dtype=np.int64)
    return Stats(table.num_rows, write_exchange(table, parts_of, out))


def _stories(table: pa.Table) -> Iterator[tuple[Story, dict[str, Article]]]:
    """Each story of a shuffle part with its articles (members and folded copies), ordered by id."""
    articles = table_articles(table)
    stories = table.column("story").to_pylist()
    canonical = table.column("canonical").to_pylist()
    related_of = dict(zip(stories, table.column("related").to_pylist(), strict=True))
    members: dict[str, dict[str, Article]] = {}
    copies: dict[str, dict[str, list[str]]] = {}
    for article, sid, canon in zip(articles, stories, canonical, strict=True):
        members.setdefault(sid, {})
        if canon is None:
            members[sid][article.id] = article
        else:
            members[sid].setdefault(article.id, article)
            folded = copies.setdefault(sid, {}).setdefault(canon, [])
            if article.id not in folded:
                folded.append(article.id)
    for sid in sorted(members):
        by_id = members[sid]
        dups = {c: tuple(sorted(ds)) for c, ds in copies.get(sid, {}).items()}
        copy_ids = {d for ds in dups.values() for d in ds}
        own = sorted((a for i, a in by_id.items() if i not in copy_ids), key=article_sort_key)
        yield Story(sid, tuple(a.id for a in own), dups, tuple(related_of[sid] or ())), by_id


@_timed
def brief_part(maps: list[Path], part: int, settings: Settings, db_url: str, batch: int, out: Path) -> Stats:
    """Brief every story of one shuffle part (the same ``brief_story`` as ``ingest``) and write them to the
    store ``batch`` stories at a time: their articles in one transaction, their near-duplicates, then each
    story with its briefing. Writing is idempotent, so a part briefed again after a failure changes nothing."""
    if (done := _done(out)) is not None:
        return done
    import json

    from ..brief import brief_story
    from ..render import briefing_to_dict
    from ..store import Store

    components = components_for(settings)
    table = read_exchange(maps, part)
    count = articles = 0
    if table is not None:
        with Store.open(db_url) as store:
            pending: list[tuple[Story, dict[str, Article]]] = []

            def write() -> None:
                everything = sorted(
                    {i: a for _, by_id in pending for i, a in by_id.items()}.values(), key=article_sort_key
                )
                store.add_articles(everything)
                store.set_duplicates({d: c for s, _ in pending for c, ds in s.duplicates.items() for d in ds})
                for story, by_id in pending:
                    briefing = brief_story(story, by_id, components)
                    store.replace_story(
                        story,
                        title=briefing.title,
                        first_published=briefing.first_published,
                        last_published=briefing.last_published,
                        outlet_count=count_outlets(briefing.articles),  # as ingest counts them
                        lead=briefing.summary[0].text if briefing.summary else None,
                        briefing_json=json.dumps(briefing_to_dict(briefing), ensure_ascii=False),
                        entities=[(e.name, e.type) for e in briefing.entities],
                    )
                pending.clear()

            for story, by_id in _stories(table):
                pending.append((story, by_id))
                count += 1
                articles += len(by_id)
                if len(pending) >= batch:
                    write()
            write()
    size = write_table(pa.table({"stories": [count], "articles": [articles]}), out)
    return Stats(count, size, counts=(("articles", articles),))
