"""Walk paths and hand each file to the reader for its kind (by name, else by sniffing its content)."""

from __future__ import annotations

import dataclasses
import errno
import gzip
import logging
import os
import select
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..model import Failure, RawDocument
from . import rules
from ._common import Part, ReadLimits, describe_os_error, display_name, open_binary
from ._decode import BinaryContentError, binary_kind, decode_bytes
from ._feeds import read_feed
from ._html import read_html
from ._jsonl import read_jsonl
from ._text import read_text_file
from ._warc import read_warc

__all__ = ["read_inputs", "list_inputs", "InputFile", "read_file", "kind_of"]

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
    paths: Iterable[str | Path], *, limits: ReadLimits | None = None
) -> Iterator[RawDocument | Failure]:
    """Read files and folders (recursively, sorted, hidden files skipped) into RawDocuments.

    In a folder only files whose name ends in an input kind's suffix (``rules.SUFFIX_KINDS``: .txt,
    .html, .jsonl, .warc.gz, .xml …) are read; the others (.md, .json, .png, .csv, no suffix …) are
    skipped quietly, logged at debug level. A file named explicitly is always read: by its suffix, else
    by sniffing its content, and it yields a ``Failure`` when it is no input kind at all.

    Every input that cannot be read yields one ``Failure`` naming the file (``path:LINE`` for a JSONL
    line, ``path#record-N`` / ``path#entry-N`` for WARC records and feed entries) and a reason; nothing
    raises for a bad file. WARC and JSONL are streamed, so ``limits.file_bytes`` applies per record
    there; ``limits`` also bounds the decompressed bytes, lines and records of one input.

    Only regular files are opened: a FIFO, socket or device (in a folder or named) yields one Failure
    without being opened, so it can never hang a run. The one exception is a pipe named explicitly that
    already has a writer, as ``<(command)`` gives: it is read without blocking (a FIFO that nobody writes
    to is refused at once). Names are printed with :func:`display_name` (one line, storable as text).

    The files are those :func:`list_inputs` lists, in its order, each read by :func:`read_file` (a batch
    job reads the same list, in partitions).
    """
    limits = limits or ReadLimits()
    for item in list_inputs(paths):
        if isinstance(item, Failure):
            yield item
        elif item.pipe:
            yield from _read_pipe(item.path, limits)
        else:
            yield from read_file(item.path, limits=limits)


@dataclasses.dataclass(frozen=True, slots=True)
class InputFile:
    """A file :func:`read_inputs` reads: a regular file, or (``pipe``) a pipe named explicitly."""

    path: Path
    pipe: bool = False


def list_inputs(paths: Iterable[str | Path]) -> Iterator[InputFile | Failure]:
    """The files :func:`read_inputs` reads, in the order it reads them, and in their place a ``Failure``
    for each path or folder entry it refuses without reading (not found, not a regular file …)."""
    for given in paths:
        path = Path(given)
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            yield Failure(display_name(path), describe_os_error(exc))
            continue
        if stat.S_ISDIR(mode):
            yield from _list_folder(path)
        elif stat.S_ISREG(mode):
            yield InputFile(path)
        elif stat.S_ISFIFO(mode):
            yield InputFile(path, pipe=True)
        else:
            yield Failure(display_name(path), _not_regular(mode))


def _not_regular(mode: int) -> str:
    what = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a character device"
        if stat.S_ISCHR(mode)
        else "a block device"
        if stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return f"{what}, not a regular file: skipped without reading it"


def _list_folder(folder: Path) -> Iterator[InputFile | Failure]:
    found: list[Path] = []
    errors: list[Failure] = []

    def on_error(exc: OSError) -> None:
        errors.append(Failure(display_name(exc.filename or folder), describe_os_error(exc)))

    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root) / f for f in files if not f.startswith("."))
    yield from errors
    for path in sorted(found):
        try:
            mode = path.stat().st_mode
        except OSError as exc:  # a dangling symlink, or a file gone since the walk
            yield Failure(display_name(path), describe_os_error(exc))
            continue
        if not stat.S_ISREG(mode):
            yield Failure(display_name(path), _not_regular(mode))
            continue
        if kind_of(path) is None:
            log.debug("skipping %s: its name ends in no input kind's suffix", display_name(path))
            continue
        yield InputFile(path)


def _read_pipe(path: Path, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    """A pipe named on the command line (``<(command)``), copied to a temporary file and read from there.

    It is opened without blocking: a FIFO with no writer reads as end-of-file at once and is refused; a
    writer that stays silent for ``PIPE_IDLE_SECONDS`` is given up on.
    """
    name = display_name(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        yield Failure(name, describe_os_error(exc))
        return
    with tempfile.TemporaryDirectory(prefix="storydesk-pipe-") as folder:
        suffix = next(
            (s for s in sorted(rules.SUFFIX_KINDS, key=len, reverse=True) if path.name.lower().endswith(s)),
            "",
        )
        spool = Path(folder) / f"pipe{suffix}"
        try:
            problem = _copy_pipe(fd, spool, limits.file_bytes)
        finally:
            os.close(fd)
        if problem:
            yield Failure(name, problem)
            return
        for item in read_file(spool, limits=limits):
            here = str(spool)
            if isinstance(item, Failure):
                yield Failure(item.origin.replace(here, name), item.reason.replace(here, name))
            else:
                yield dataclasses.replace(item, origin=item.origin.replace(here, name), path=name)


def _copy_pipe(fd: int, spool: Path, limit: int) -> str | None:
    """Copy what the pipe gives into ``spool``; the reason it cannot be read, or None."""
    got = 0
    with open(spool, "wb") as out:
        while True:
            try:
                chunk = os.read(fd, 2**16)
            except BlockingIOError:
                ready, _, _ = select.select([fd], [], [], rules.PIPE_IDLE_SECONDS)
                if not ready:
                    return f"a pipe that sent nothing for {rules.PIPE_IDLE_SECONDS:.0f} s: given up"
                continue
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                return describe_os_error(exc)
            if not chunk:
                break
            got += len(chunk)
            if got > limit:
                return f"the pipe gave more than {limit:,} bytes; raise the setting max_file_mb to read it"
            out.write(chunk)
    if got == 0:
        return "a FIFO (named pipe) with nothing to read (no writer): skipped"
    return None


def kind_of(path: Path) -> str | None:
    """The reader kind a file's name asks for, or None when only its content can tell."""
    name = path.name.lower()
    for suffix in sorted(rules.SUFFIX_KINDS, key=len, reverse=True):
        if name.endswith(suffix):
            return rules.SUFFIX_KINDS[suffix]
    return None


def read_file(
    path: Path, *, limits: ReadLimits | None = None, part: Part | None = None
) -> Iterator[RawDocument | Failure]:
    """Read one regular file, never raising for bad content.

    ``part`` reads one range of a large JSONL or WARC file (a batch job's partition, from
    :func:`~storydesk.ingest.index_jsonl` or :func:`~storydesk.ingest.index_warc`): its lines or records
    are read, named and reported exactly as reading the whole file reports them.
    """
    limits = limits or ReadLimits()
    kind = kind_of(path)
    if part is not None and kind not in ("jsonl", "warc"):
        raise ValueError(f"{display_name(path)}: only JSONL and WARC files are read in parts, not {kind}")
    if kind is None:
        try:
            kind = sniff(path)
        except OSError as exc:
            yield Failure(display_name(path), describe_os_error(exc))
            return
        except _Unknown as exc:
            yield Failure(display_name(path), str(exc))
            return
    try:
        if part is None:
            yield from READERS[kind](path, limits=limits)
        elif kind == "jsonl":
            yield from read_jsonl(path, limits=limits, part=part)
        else:
            yield from read_warc(path, limits=limits, part=part)
    except Exception as exc:  # a reader bug must not stop the batch; report it against the file
        yield Failure(display_name(path), f"could not read as {kind}: {type(exc).__name__}: {exc}")


class _Unknown(Exception):
    pass


def _looks_like_prose(head: bytes) -> bool:
    """Plain text with no name to tell: decodable, and mostly words (not markup, not data)."""
    try:
        text = decode_bytes(head)
    except BinaryContentError:
        return False
    words = text.split()
    if len(words) < rules.SNIFF_MIN_WORDS:
        return False
    wordy = sum(1 for w in words if any(c.isalpha() for c in w))
    return wordy / len(words) >= rules.SNIFF_MIN_WORD_SHARE and text.count("<") < len(words) / 10


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
    if _looks_like_prose(head):
        return "text"
    raise _Unknown(
        "unknown file type: the name has no known extension (.txt, .html, .jsonl, .warc, .xml/.rss/.atom) "
        "and the content looks like none of them"
    )
