"""HTML pages (``.html``, ``.htm``, gzipped too): one RawDocument per file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import Failure, RawDocument
from ._common import InputProblem, read_text

__all__ = ["read_html"]


def read_html(path: Path, *, max_file_bytes: int) -> Iterator[RawDocument | Failure]:
    try:
        html = read_text(path, max_file_bytes)
    except InputProblem as exc:
        yield Failure(str(path), exc.reason)
        return
    yield RawDocument(origin=str(path), kind="html", content=html, path=str(path))
