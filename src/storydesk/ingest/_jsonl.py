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
from ._common import describe_os_error, open_binary, size_message
from ._decode import BinaryContentError, decode_bytes
from .rules import GZIP_MAGIC, JSONL_FIELDS

__all__ = ["read_jsonl"]


def read_jsonl(path: Path, *, max_file_bytes: int) -> Iterator[RawDocument | Failure]:
    origin = str(path)
    try:
        raw = open_binary(path)
    except OSError as exc:
        yield Failure(origin, describe_os_error(exc))
        return
    with raw:
        fh: IO[bytes] = raw
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            fh = gzip.GzipFile(fileobj=raw)
        else:
            raw.seek(0)
        seen_any = False
        lineno = 0
        try:
            while True:
                line = fh.readline(max_file_bytes + 1)
                if not line:
                    break
                lineno += 1
                if len(line) > max_file_bytes and not line.endswith(b"\n"):
                    yield Failure(f"{origin}:{lineno}", size_message("line", None, max_file_bytes))
                    _skip_rest_of_line(fh)
                    continue
                if not line.strip():
                    continue
                seen_any = True
                yield _parse_line(origin, lineno, line, path)
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            yield Failure(origin, f"truncated or corrupt gzip after line {lineno}: {exc}")
            return
    if not seen_any:
        yield Failure(origin, "empty file (no JSON lines)")


def _skip_rest_of_line(fh: IO[bytes]) -> None:
    while True:
        chunk = fh.readline(2**20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _parse_line(origin: str, lineno: int, line: bytes, path: Path) -> RawDocument | Failure:
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
    return RawDocument(origin=where, kind="text", content=text, path=str(path), line=lineno, **fields)
