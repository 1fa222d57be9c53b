"""Helpers every reader shares: opening, size limits, gzip, decoding, failures."""

from __future__ import annotations

import gzip
import io
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from . import rules
from ._decode import BinaryContentError, decode_bytes
from .rules import GZIP_MAGIC

__all__ = [
    "InputProblem",
    "ReadLimits",
    "Part",
    "display_name",
    "open_binary",
    "read_bytes",
    "read_text",
    "size_message",
    "describe_os_error",
]


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """How much one input may hold; each limit bounds time as well as memory.

    ``file_bytes``: a file, or one line of a JSONL file or one record of a WARC archive (they are
    streamed); ``input_bytes``: all the bytes read from one input after decompression; ``lines``: the
    lines of one JSONL input, blank ones included; ``records``: the records of one WARC archive or the
    entries of one feed. Built from the settings ``max_file_mb``, ``max_input_mb``, ``max_lines`` and
    ``max_records``.
    """

    file_bytes: int = rules.MAX_FILE_BYTES
    input_bytes: int = rules.MAX_INPUT_BYTES
    lines: int = rules.MAX_LINES
    records: int = rules.MAX_RECORDS


@dataclass(frozen=True, slots=True)
class Part:
    """One byte range of a large uncompressed JSONL file or WARC archive, read on its own (a batch job's
    partition; :func:`~storydesk.ingest.index_jsonl` and :func:`~storydesk.ingest.index_warc` say where
    one may start). It starts at byte ``offset``, where a line or record starts, after ``before`` lines or
    records, and ends before the first line or record that starts at or after byte ``stop`` (None: the end
    of the file). Lines and records are numbered, and limits counted, as in a read of the whole file.
    """

    offset: int
    before: int
    stop: int | None = None


def display_name(path: str | Path) -> str:
    """A file name as one printable line: bytes that are not UTF-8 as ``\\xff``, control characters
    (a newline in a name) as ``\\n`` and the like, the way ``repr`` writes them, so that an error line
    stays one line and the name can be stored as text."""
    raw = os.fsencode(path) if isinstance(path, Path) else os.fsencode(str(path))
    text = raw.decode("utf-8", errors="backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class InputProblem(Exception):
    """A reason why one input (file, line or record) cannot be read; becomes a ``Failure``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def size_message(what: str, size: int | None, limit: int, setting: str = "max_file_mb") -> str:
    """``"file is 62.0 MB, over the limit of 50.0 MB; raise the setting max_file_mb to read it"``."""
    has = f"is {_mb(size)}" if size is not None else "is larger"
    return f"{what} {has}, over the limit of {_mb(limit)}; raise the setting {setting} to read it"


def describe_os_error(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "not found"
    if isinstance(exc, PermissionError):
        return "permission denied (cannot read this file)"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {exc.strerror or exc}"


def open_binary(path: Path) -> BinaryIO:
    """Open a file for reading bytes (one place, so tests can simulate unreadable files)."""
    return open(path, "rb")  # noqa: SIM115


def read_bytes(path: Path, limit: int) -> bytes:
    """The whole file, gunzipped when it is gzip; :class:`InputProblem` if over ``limit`` or damaged."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputProblem(size_message("file", size, limit))
        with open_binary(path) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputProblem(describe_os_error(exc)) from exc
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, limit)
    if not data.strip():
        raise InputProblem("empty file" if not data else "empty file (only whitespace)")
    return data


def gunzip(data: bytes, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(limit + 1)
    except EOFError as exc:
        raise InputProblem("truncated gzip file (it ends before the end of the compressed stream)") from exc
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise InputProblem(f"corrupt gzip file: {exc}") from exc
    if len(out) > limit:
        raise InputProblem(size_message("decompressed content", None, limit))
    return out


def read_text(path: Path, limit: int) -> str:
    data = read_bytes(path, limit)
    try:
        text = decode_bytes(data)
    except BinaryContentError as exc:
        raise InputProblem(str(exc)) from exc
    if not text.strip():
        raise InputProblem("empty file (no text after decoding)")
    return text
