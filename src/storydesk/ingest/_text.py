"""Plain-text articles (``.txt``): one RawDocument per file; title and header lines are read by extract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import Failure, RawDocument
from ._common import InputProblem, read_text

__all__ = ["read_text_file"]


def read_text_file(path: Path, *, max_file_bytes: int) -> Iterator[RawDocument | Failure]:
    try:
        text = read_text(path, max_file_bytes)
    except InputProblem as exc:
        yield Failure(str(path), exc.reason)
        return
    yield RawDocument(origin=str(path), kind="text", content=text, path=str(path))
