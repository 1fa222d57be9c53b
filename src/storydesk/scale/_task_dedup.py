"""Step 2 as Dask tasks: near-duplicates — MinHash, LSH buckets, edges, connected components, ingest's streaming rule."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..model import Article, article_sort_key, publication_day
from ._exchange import (
    read_exchange,
    read_table,
    write_exchange,
    write_table,
)
from ._task_common import (
    Stats,
    _done,
    _timed,
)

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
