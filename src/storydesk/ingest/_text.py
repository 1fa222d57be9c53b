"""Plain-text articles (``.txt``): one RawDocument per file; title and header lines are read by extract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import Failure, RawDocument
from ._common import InputProblem, ReadLimits, display_name, read_text

__all__ = ["read_text_file"]


def read_text_file(path: Path, *, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    try:
        text = read_text(path, limits.file_bytes)
    except InputProblem as exc:
        yield Failure(display_name(path), exc.reason)
        return
    yield RawDocument(origin=display_name(path), kind="text", content=text, path=display_name(path))
