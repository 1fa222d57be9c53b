"""Parquet files in the work folder: the articles table, atomic writes, and the shuffles.

A shuffle (an *exchange*) is done through the work folder, the way every stage hands on its output: each
map task writes one Parquet file whose row groups are the rows bound for each target part, in part order,
with the part numbers in the file's metadata; each reduce task reads its row group from every map file.
The bytes that cross the network in a shuffle are those files' bytes (written once, read once), which
:func:`file_bytes` counts. On a cluster the work folder is a file system every worker mounts.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Article, Failure

__all__ = [
    "ARTICLE_FIELDS",
    "articles_table",
    "table_articles",
    "failures_table",
    "table_failures",
    "write_table",
    "read_table",
    "write_exchange",
    "read_exchange",
    "file_bytes",
]

_PARTS_KEY = b"storydesk.parts"

#: The columns an article travels as (``removed`` is a list of strings).
ARTICLE_FIELDS: dict[str, pa.DataType] = {
    "id": pa.string(),
    "title": pa.string(),
    "text": pa.string(),
    "outlet": pa.string(),
    "published": pa.string(),
    "url": pa.string(),
    "path": pa.string(),
    "author": pa.string(),
    "language": pa.string(),
    "removed": pa.list_(pa.string()),
    "outlet_inferred": pa.bool_(),
}


def articles_table(articles: Sequence[Article], **extra: pa.Array | Sequence[object]) -> pa.Table:
    """Articles as a table, with ``extra`` columns (one value per article)."""
    columns: dict[str, pa.Array] = {
        name: pa.array([getattr(a, name) if name != "removed" else list(a.removed) for a in articles], kind)
        for name, kind in ARTICLE_FIELDS.items()
    }
    for name, values in extra.items():
        columns[name] = values if isinstance(values, pa.Array | pa.ChunkedArray) else pa.array(values)
    return pa.table(columns)


def table_articles(table: pa.Table) -> list[Article]:
    """The articles of a table made by :func:`articles_table` (extra columns ignored)."""
    cols = {name: table.column(name).to_pylist() for name in ARTICLE_FIELDS}
    return [
        Article(
            id=cols["id"][i],
            title=cols["title"][i],
            text=cols["text"][i],
            outlet=cols["outlet"][i],
            published=cols["published"][i],
            url=cols["url"][i],
            path=cols["path"][i],
            author=cols["author"][i],
            language=cols["language"][i],
            removed=tuple(cols["removed"][i] or ()),
            outlet_inferred=bool(cols["outlet_inferred"][i]),
        )
        for i in range(table.num_rows)
    ]


def failures_table(failures: Sequence[Failure]) -> pa.Table:
    return pa.table(
        {
            "origin": pa.array([f.origin for f in failures], pa.string()),
            "reason": pa.array([f.reason for f in failures], pa.string()),
        }
    )


def table_failures(table: pa.Table) -> list[Failure]:
    return [
        Failure(o, r)
        for o, r in zip(table.column("origin").to_pylist(), table.column("reason").to_pylist(), strict=True)
    ]


def write_table(table: pa.Table, path: Path) -> int:
    """Write ``table`` to ``path`` atomically (a task killed while writing leaves no file); its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
    return path.stat().st_size


def read_table(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    return pq.read_table(path, columns=list(columns) if columns is not None else None)


def write_exchange(table: pa.Table, parts: np.ndarray, path: Path) -> int:
    """Write ``table`` as one map side of a shuffle: the rows bound for each part (``parts``, one per row)
    as one row group, in part order. Returns the file's bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = np.asarray(parts, dtype=np.int64)
    order = np.argsort(parts, kind="stable")
    table = table.take(pa.array(order))
    parts = parts[order]
    present, starts = np.unique(parts, return_index=True)
    bounds = list(starts) + [len(parts)]
    schema = table.schema.with_metadata({_PARTS_KEY: json.dumps([int(p) for p in present]).encode()})
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        if not len(present):
            writer.write_table(table.replace_schema_metadata(schema.metadata))
        for k in range(len(present)):
            chunk = table.slice(bounds[k], bounds[k + 1] - bounds[k])
            writer.write_table(
                chunk.replace_schema_metadata(schema.metadata), row_group_size=max(1, chunk.num_rows)
            )
    os.replace(tmp, path)
    return path.stat().st_size


def read_exchange(paths: Iterable[Path], part: int, columns: Sequence[str] | None = None) -> pa.Table | None:
    """The rows every map file of a shuffle holds for ``part`` (None when none does)."""
    tables = []
    for path in paths:
        f = pq.ParquetFile(path)
        present = json.loads((f.schema_arrow.metadata or {}).get(_PARTS_KEY, b"[]"))
        if part in present:
            t = f.read_row_group(present.index(part), columns=list(columns) if columns is not None else None)
            tables.append(t.replace_schema_metadata(None))
    if not tables:
        return None
    return pa.concat_tables(tables)


def file_bytes(paths: Iterable[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.exists())
