"""WARC archives (``.warc``, ``.warc.gz``) via warcio, streamed record by record.

Every ``response`` record whose HTTP Content-Type is HTML becomes a RawDocument with the record's
``WARC-Target-URI`` as ``url`` and ``WARC-Date`` as ``fetched`` (the crawl time, not the publication
date: extraction uses the page's own date when it states one, and falls back to ``fetched`` otherwise). The size limit applies per record. A truncated or
damaged archive yields the records before the damage and then one ``Failure``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from ..model import Failure, RawDocument
from ._common import Part, ReadLimits, describe_os_error, display_name, open_binary, size_message
from ._decode import BinaryContentError, decode_bytes
from .rules import GZIP_MAGIC, WARC_HTML_TYPES

__all__ = ["read_warc", "index_warc"]


def _quiet_iterator() -> type:
    """warcio's ArchiveIterator without the warning it writes to stderr itself (several lines, naming no
    file) when a record is not followed by a blank line: read_warc says it once, as a Failure."""
    from warcio.archiveiterator import ArchiveIterator

    class QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
        INC_RECORD = ""

    return QuietArchiveIterator


def read_warc(path: Path, *, limits: ReadLimits, part: Part | None = None) -> Iterator[RawDocument | Failure]:
    """Every HTML response record; with ``part``, only the records that start in that range (a batch
    job's partition, from :func:`index_warc`), named and reported exactly as a read of the whole file
    names them. The ``max_input_mb`` limit counts the bytes of the file before the range as read (for
    an archive gzipped record by record: its compressed bytes, a lower bound of what a whole read counts)."""
    origin = display_name(path)
    max_file_bytes = limits.file_bytes
    try:
        fh = open_binary(path)
    except OSError as exc:
        yield Failure(origin, describe_os_error(exc))
        return
    count = said = 0
    start, stop = (0, None) if part is None else (part.offset, part.stop)
    if part is not None:
        if part.before > limits.records or part.offset > limits.input_bytes:
            fh.close()
            return  # an earlier range stopped the read there and said why
        count = said = part.before  # "no HTML page among its records" is for a whole read to say
    size = _size(fh)
    with fh:
        if not fh.read(1):
            yield Failure(origin, "empty file")
            return
        fh.seek(start)
        gz_check = _GzipCheck(fh) if fh.read(2) == GZIP_MAGIC else None
        fh.seek(start)
        try:
            records = _quiet_iterator()(gz_check or fh, check_digests=False)
            # warcio counts offsets from where the file was when it began, or from 0 through _GzipCheck
            base = start - records.offset
            for record in records:
                if stop is not None and base + records.offset >= stop:
                    return  # the next range's first record
                count += 1
                if count > limits.records:
                    yield Failure(
                        origin,
                        f"more than {limits.records:,} records: the rest were not read (setting max_records)",
                    )
                    return
                if (
                    gz_check is not None
                    and start + gz_check.out > limits.input_bytes
                    or gz_check is None
                    and base + records.offset > limits.input_bytes
                ):
                    yield Failure(
                        origin,
                        size_message("content", None, limits.input_bytes, "max_input_mb")
                        + " (the rest was not read)",
                    )
                    return
                item = _record(record, origin, count, max_file_bytes)
                _drain(record, count)
                if item is not None:
                    said += 1
                    yield item
            if gz_check is not None:
                gz_check.check_complete()
            if size is not None and base + records.offset < size and count:
                raise EOFError(f"{size - base - records.offset} bytes after the last complete record")
            if size is not None and base + records.offset < size:
                raise EOFError("no complete record")
        except Exception as exc:  # warcio raises many kinds on damage; report, never raise
            yield Failure(origin, f"truncated or corrupt WARC after {count} records: {_describe(exc)}")
            return
    if count == 0:
        yield Failure(origin, "no WARC records found (is this a WARC file?)")
    elif getattr(records, "err_count", 0):
        yield Failure(
            origin,
            f"{records.err_count} record(s) not followed by a blank line: a Content-Length is probably wrong, "
            "so a record may have been cut or run into the next",
        )
    elif not said:
        yield Failure(origin, f"no HTML page among its {count} record(s) (only HTML responses are read)")


def _describe(exc: Exception) -> str:
    if isinstance(exc, AttributeError | TypeError | KeyError | IndexError):
        # warcio trips over a header it cannot parse (e.g. a record with no WARC-Type or status line)
        return "a record header is damaged or incomplete"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _record(record, origin: str, n: int, limit: int) -> RawDocument | Failure | None:
    if not record.rec_type or record.rec_headers.get_header("Content-Length") is None:
        raise EOFError(f"record {n} has a damaged or incomplete header")
    if record.rec_type != "response":
        return None
    where = f"{origin}#record-{n}"
    http = record.http_headers
    ctype = (http.get_header("Content-Type") if http else "") or ""
    if not ctype.lower().startswith(WARC_HTML_TYPES):
        return None
    length = record.length
    if length is not None and length > limit:
        return Failure(where, size_message("WARC record", length, limit))
    payload = record.content_stream().read(limit + 1)
    if len(payload) > limit:
        return Failure(where, size_message("WARC record", None, limit))
    _drain(record, n)
    if not payload.strip():
        return Failure(where, "empty HTML response")
    try:
        html = decode_bytes(payload)
    except BinaryContentError as exc:
        return Failure(where, str(exc))
    return RawDocument(
        origin=where,
        kind="html",
        content=html,
        path=origin,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        fetched=record.rec_headers.get_header("WARC-Date"),
    )


def _size(fh) -> int | None:
    try:
        import os

        return os.fstat(fh.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return None


def _drain(record, n: int) -> None:
    """Read what is left of a record; raise if the file ends before its declared length."""
    stream = record.raw_stream
    while stream.read(2**16):
        pass
    if getattr(stream, "limit", 0):
        raise EOFError(f"record {n} ends before its declared length")


class _GzipCheck:
    """A pass-through reader that decompresses alongside warcio to notice a truncated last member.

    warcio returns whatever a cut gzip member decompresses to without complaint; this does not.
    """

    def __init__(self, fh) -> None:
        self._fh = fh
        self._z = zlib.decompressobj(wbits=31)
        self._pending = False
        self.out = 0  # decompressed bytes so far

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._feed(data)
        return data

    def _feed(self, data: bytes) -> None:
        while data:
            try:
                self.out += len(self._z.decompress(data, 2**20))
                while self._z.unconsumed_tail and not self._z.eof:
                    self.out += len(self._z.decompress(self._z.unconsumed_tail, 2**20))
            except zlib.error as exc:
                raise EOFError(f"corrupt gzip data: {exc}") from exc
            self._pending = not self._z.eof
            if self._z.eof:
                data = self._z.unused_data
                self._z = zlib.decompressobj(wbits=31)
                self._pending = bool(data)
            else:
                data = b""

    def check_complete(self) -> None:
        while self.read(2**16):
            pass
        if self._pending:
            raise EOFError("the gzip stream ends in the middle of a record")


def index_warc(path: Path, every_bytes: int) -> list[tuple[int, int]]:
    """Where a large WARC file can be cut into ranges (:class:`Part`): (byte offset of a record start,
    records before it), about every ``every_bytes``; the first is (0, 0). Only for an uncompressed file or
    one gzipped record by record (a whole-file gzip stream cannot be entered in the middle: one range).
    Indexing stops quietly at damage: the range that reaches it reports it, as a whole read does."""
    cuts = [(0, 0)]
    try:
        with open_binary(path) as fh:
            gz = fh.read(2) == GZIP_MAGIC
            fh.seek(0)
            records = _quiet_iterator()(fh, check_digests=False)
            count = 0
            for _ in records:
                offset = records.get_record_offset()
                if offset - cuts[-1][0] >= every_bytes:
                    if gz and not _member_starts(fh, offset):
                        return [(0, 0)]
                    cuts.append((offset, count))
                count += 1
    except Exception:  # damage: the last range reads on to it and reports it
        pass
    return cuts


def _member_starts(fh, offset: int) -> bool:
    """Whether a gzip member starts at ``offset`` (the file's position is kept)."""
    here = fh.tell()
    fh.seek(offset)
    ok = fh.read(2) == GZIP_MAGIC
    fh.seek(here)
    return ok
