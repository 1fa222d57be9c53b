"""HTML pages (``.html``, ``.htm``, gzipped too): one RawDocument per file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import Failure, RawDocument
from ._common import InputProblem, ReadLimits, display_name, read_text

__all__ = ["read_html"]


def read_html(path: Path, *, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    try:
        html = read_text(path, limits.file_bytes)
    except InputProblem as exc:
        yield Failure(display_name(path), exc.reason)
        return
    yield RawDocument(origin=display_name(path), kind="html", content=html, path=display_name(path))
