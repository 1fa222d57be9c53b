"""Step 3 as Dask tasks: stories per time window with the streaming clusterer, merged across window boundaries."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..config import Settings
from ..model import Article, article_sort_key, publication_day
from ._exchange import (
    articles_table,
    read_exchange,
    read_table,
    table_articles,
    write_exchange,
    write_table,
)
from ._plan import WindowPlan
from ._task_common import (
    Stats,
    _done,
    _peak_mb,
    _timed,
    components_for,
)
from ._task_dedup import (
    ingest_order,
)

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
    sequence: list[tuple[int, Article, np.ndarray]], options: Any, chunk: int, total: int
) -> _Clustered:
    """Stories from the streaming clusterer ``ingest`` uses (``group.cluster.StreamClusterer``), fed as
    ``ingest`` feeds it: ``sequence`` holds (arrival, article, document vector) and is placed in
    :func:`ingest_order`; the clusterer revises (``flush``) after each full chunk of ``chunk`` arrivals and
    once more at the end, as ``ingest`` does after each chunk it places and at the end of the run
    (``total`` arrivals in all). Near-duplicates are in ``sequence`` too: ``ingest``'s index feeds them
    to its clusterer as well (``group.StoryIndex``), and their stories are their originals'."""
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
    fed = clustered + [a for a, _ in copies]  # copies weigh in as ingest's index feeds them (#19)
    vectors = embed_documents(components.embedder, fed) if fed else np.zeros((0, 1), np.float32)
    sequence = [(arrival_of[a.id], a, vectors[i]) for i, a in enumerate(fed)]
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
