"""Walk paths and hand each file to the reader for its kind (by name, else by sniffing its content)."""

from __future__ import annotations

import gzip
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..model import Failure, RawDocument
from . import rules
from ._common import describe_os_error, open_binary
from ._decode import binary_kind
from ._feeds import read_feed
from ._html import read_html
from ._jsonl import read_jsonl
from ._text import read_text_file
from ._warc import read_warc

__all__ = ["read_inputs", "kind_of"]

log = logging.getLogger(__name__)

Reader = Callable[..., Iterator[RawDocument | Failure]]

READERS: dict[str, Reader] = {
    "text": read_text_file,
    "html": read_html,
    "jsonl": read_jsonl,
    "warc": read_warc,
    "feed": read_feed,
}


def read_inputs(
    paths: Iterable[str | Path], *, max_file_bytes: int = rules.MAX_FILE_BYTES
) -> Iterator[RawDocument | Failure]:
    """Read files and folders (recursively, sorted, hidden files skipped) into RawDocuments.

    In a folder only files whose name ends in an input kind's suffix (``rules.SUFFIX_KINDS``: .txt,
    .html, .jsonl, .warc.gz, .xml …) are read; the others (.md, .json, .png, .csv, no suffix …) are
    skipped quietly, logged at debug level. A file named explicitly is always read: by its suffix, else
    by sniffing its content, and it yields a ``Failure`` when it is no input kind at all.

    Every input that cannot be read yields one ``Failure`` naming the file (``path:LINE`` for a JSONL
    line, ``path#record-N`` / ``path#entry-N`` for WARC records and feed entries) and a reason; nothing
    raises for a bad file. WARC and JSONL are streamed, so ``max_file_bytes`` applies per record there.
    """
    for given in paths:
        path = Path(given)
        try:
            is_dir = path.is_dir()
        except OSError as exc:
            yield Failure(str(path), describe_os_error(exc))
            continue
        if is_dir:
            yield from _read_folder(path, max_file_bytes)
        else:
            yield from read_file(path, max_file_bytes=max_file_bytes)


def _read_folder(folder: Path, limit: int) -> Iterator[RawDocument | Failure]:
    found: list[Path] = []
    errors: list[Failure] = []

    def on_error(exc: OSError) -> None:
        errors.append(Failure(str(exc.filename or folder), describe_os_error(exc)))

    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root) / f for f in files if not f.startswith("."))
    yield from errors
    for path in sorted(found):
        if kind_of(path) is None:
            log.debug("skipping %s: its name ends in no input kind's suffix", path)
            continue
        yield from read_file(path, max_file_bytes=limit)


def kind_of(path: Path) -> str | None:
    """The reader kind a file's name asks for, or None when only its content can tell."""
    name = path.name.lower()
    for suffix in sorted(rules.SUFFIX_KINDS, key=len, reverse=True):
        if name.endswith(suffix):
            return rules.SUFFIX_KINDS[suffix]
    return None


def read_file(path: Path, *, max_file_bytes: int = rules.MAX_FILE_BYTES) -> Iterator[RawDocument | Failure]:
    """Read one file, never raising for bad content."""
    kind = kind_of(path)
    if kind is None:
        try:
            kind = sniff(path)
        except OSError as exc:
            yield Failure(str(path), describe_os_error(exc))
            return
        except _Unknown as exc:
            yield Failure(str(path), str(exc))
            return
    try:
        yield from READERS[kind](path, max_file_bytes=max_file_bytes)
    except Exception as exc:  # a reader bug must not stop the batch; report it against the file
        yield Failure(str(path), f"could not read as {kind}: {type(exc).__name__}: {exc}")


class _Unknown(Exception):
    pass


def sniff(path: Path) -> str:
    """Guess the kind of a file with an unknown name from its first bytes."""
    with open_binary(path) as fh:
        head = fh.read(rules.SNIFF_BYTES)
    if not head:
        raise _Unknown("empty file")
    if head.startswith(rules.GZIP_MAGIC):
        try:
            with gzip.open(path, "rb") as gz:
                inner = gz.read(rules.SNIFF_BYTES)
        except (EOFError, OSError) as exc:
            raise _Unknown(f"truncated or corrupt gzip file: {exc}") from exc
        if inner.startswith(rules.WARC_MAGIC):
            return "warc"
        head = inner
    if head.startswith(rules.WARC_MAGIC):
        return "warc"
    what = binary_kind(head)
    if what:
        raise _Unknown(f"not text: {what}")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if rules.FEED_SNIFF.search(head) and not rules.HTML_SNIFF.search(head):
        return "feed"
    if rules.HTML_SNIFF.search(head):
        return "html"
    if stripped.startswith(b"<?xml") and rules.FEED_SNIFF.search(head):
        return "feed"
    if stripped.startswith(b"{"):
        return "jsonl"
    raise _Unknown(
        "unknown file type: the name has no known extension (.txt, .html, .jsonl, .warc, .xml/.rss/.atom) "
        "and the content looks like none of them"
    )
