"""JSON Lines: one article per line, streamed so that the size limit applies per line.

Each line is an object with a required ``text`` and optional ``title``, ``url``, ``published``,
``outlet`` and ``author`` (strings or null). A bad line yields a ``Failure`` named ``path:LINE``; the
other lines go on.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..model import Failure, RawDocument
from ._common import Part, ReadLimits, describe_os_error, display_name, open_binary, size_message
from ._decode import BinaryContentError, decode_bytes
from .rules import GZIP_MAGIC, JSONL_FIELDS

__all__ = ["read_jsonl", "index_jsonl"]


def read_jsonl(
    path: Path, *, limits: ReadLimits, part: Part | None = None
) -> Iterator[RawDocument | Failure]:
    """Every line of the file; with ``part``, only the lines of that range of an uncompressed file (a
    batch job's partition), read, numbered and reported exactly as a read of the whole file reports them
    (a limit is reported by the range that reaches it)."""
    origin = display_name(path)
    try:
        raw = open_binary(path)
    except OSError as exc:
        yield Failure(origin, describe_os_error(exc))
        return
    max_line = limits.file_bytes
    with raw:
        fh: IO[bytes] = raw
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            fh = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]  # a GzipFile is a binary IO
        else:
            raw.seek(0)
        seen_any = failed = False
        lineno = 0
        read = 0
        stop = None
        if part is not None:
            if part.before > limits.lines or part.offset > limits.input_bytes:
                return  # an earlier range stopped the read there and said why
            lineno, read, stop = part.before, part.offset, part.stop
            seen_any = True  # "empty file" is for a read of the whole file to say
            fh.seek(part.offset)
        try:
            while stop is None or read < stop:
                line = fh.readline(max_line + 1)
                if not line:
                    break
                lineno += 1
                read += len(line)
                if lineno > limits.lines:
                    yield Failure(
                        origin,
                        f"more than {limits.lines:,} lines: the rest were not read (setting max_lines)",
                    )
                    return
                if read > limits.input_bytes:
                    yield Failure(
                        origin,
                        size_message("content", None, limits.input_bytes, "max_input_mb")
                        + " (the rest was not read)",
                    )
                    return
                if len(line) > max_line and not line.endswith(b"\n"):
                    yield Failure(f"{origin}:{lineno}", size_message("line", None, max_line))
                    failed = True
                    read += _skip_rest_of_line(fh, limits.input_bytes - read)
                    if read > limits.input_bytes:
                        return  # the failure above says why; the rest is not read
                    continue
                if not line.strip():
                    continue
                seen_any = True
                yield _parse_line(origin, lineno, line)
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            yield Failure(origin, f"truncated or corrupt gzip after line {lineno}: {exc}")
            return
    if not seen_any and not failed:
        yield Failure(origin, "empty file (no JSON lines)")


def _skip_rest_of_line(fh: IO[bytes], budget: int) -> int:
    """Read to the end of the current line (at most ``budget`` bytes more); the bytes read."""
    skipped = 0
    while skipped <= budget:
        chunk = fh.readline(2**20)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            break
    return skipped


def _parse_line(origin: str, lineno: int, line: bytes) -> RawDocument | Failure:
    where = f"{origin}:{lineno}"
    try:
        text_line = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text_line = decode_bytes(line)
        except BinaryContentError as exc:
            return Failure(where, f"malformed JSONL line: {exc}")
    try:
        obj = json.loads(text_line)
    except json.JSONDecodeError as exc:
        return Failure(where, f"malformed JSONL line: {exc.msg} at column {exc.colno}")
    except RecursionError:  # Python's parser recurses per level of [ or {
        return Failure(where, "malformed JSONL line: nested too deeply to be an article")
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return Failure(where, f"malformed JSONL line: {str(exc).split(';')[0]}")
    if not isinstance(obj, dict):
        return Failure(where, f"malformed JSONL line: expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        what = "missing" if text is None else "empty or not a string"
        return Failure(where, f"malformed JSONL line: required field 'text' is {what}")
    fields: dict[str, str | None] = {}
    for name in JSONL_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            else:
                return Failure(where, f"malformed JSONL line: field {name!r} must be a string or null")
        fields[name] = value.strip() or None if isinstance(value, str) else None
    return RawDocument(origin=where, kind="text", content=text, path=origin, line=lineno, **fields)


def index_jsonl(path: Path, every_bytes: int) -> list[tuple[int, int]]:
    """Where a large uncompressed JSONL file can be cut into ranges (:class:`Part`): (byte offset of a
    line start, lines before it), about every ``every_bytes``; the first is (0, 0). A gzipped file is one
    range (a gzip stream cannot be entered in the middle)."""
    cuts = [(0, 0)]
    with open_binary(path) as fh:
        if fh.read(2) == GZIP_MAGIC:
            return cuts
        fh.seek(0)
        offset = lines = 0
        while True:
            block = fh.read(2**24)
            if not block:
                return cuts
            start = 0
            while True:
                nl = block.find(b"\n", start)
                if nl < 0:
                    break
                lines += 1
                start = nl + 1
                if offset + start - cuts[-1][0] >= every_bytes:
                    cuts.append((offset + start, lines))
            offset += len(block)
