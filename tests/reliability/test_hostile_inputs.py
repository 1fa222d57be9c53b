"""Issue #16's hostile inputs, one regression test each: every bad input gets one line naming the file and
a reason, the good files beside it are read (and stored), and nothing hangs or runs unbounded."""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from _paths import EXAMPLES
from storydesk.config import Settings
from storydesk.ingest import ReadLimits, read_inputs
from storydesk.model import Failure, RawDocument
from storydesk.pipeline import read_articles

GOOD = (EXAMPLES / "news" / "harbour-herald-2019-04-25-quillon-customers-warned.txt").read_bytes()


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, Failure)]


def _with_timeout(fn, seconds: float = 20.0):
    """Run ``fn`` in a thread; fail (instead of hanging the suite) if it has not returned in ``seconds``."""
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:  # re-raised in the test's thread
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: it hangs"
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out["value"]


def test_fifo_in_a_folder_and_named_is_refused_without_hanging(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(GOOD)
    os.mkfifo(tmp_path / "pipe.txt")
    docs, fails = _with_timeout(lambda: _split(read_inputs([tmp_path])))
    assert len(docs) == 1
    assert [f.origin for f in fails] == [str(tmp_path / "pipe.txt")]
    assert "FIFO" in fails[0].reason and "not a regular file" in fails[0].reason
    # named directly, with nobody writing to it: one line at once
    docs, fails = _with_timeout(lambda: _split(read_inputs([tmp_path / "pipe.txt", tmp_path / "good.txt"])))
    assert len(docs) == 1 and len(fails) == 1 and "FIFO" in fails[0].reason


def test_socket_in_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(GOOD)
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s.txt"))
        docs, fails = _with_timeout(lambda: _split(read_inputs([tmp_path])))
    finally:
        sock.close()
    assert len(docs) == 1
    assert len(fails) == 1 and "socket" in fails[0].reason


def test_character_device_named_is_refused_without_reading_it() -> None:
    # /dev/zero would never end if it were read
    docs, fails = _with_timeout(lambda: _split(read_inputs(["/dev/zero"])))
    assert docs == [] and len(fails) == 1 and "character device" in fails[0].reason


def test_a_pipe_with_a_writer_is_read_and_sniffed_as_plain_text() -> None:
    # what `storydesk ingest <(cat a.txt)` hands over: /dev/fd/N, a pipe with no name ending
    read_end, write_end = os.pipe()

    def write() -> None:
        time.sleep(0.2)  # the reader starts before the writer has written
        with os.fdopen(write_end, "wb") as fh:
            fh.write(GOOD)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        docs, fails = _with_timeout(lambda: _split(read_inputs([f"/dev/fd/{read_end}"])))
    finally:
        writer.join()
        os.close(read_end)
    assert fails == []
    assert len(docs) == 1 and docs[0].kind == "text" and docs[0].origin == f"/dev/fd/{read_end}"
    assert "Quillon" in docs[0].content


def test_file_name_with_a_byte_that_is_not_utf8_is_stored(tmp_path: Path) -> None:
    from storydesk.service import Desk

    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"bad-\xff.txt")
    with open(bad, "wb") as fh:
        fh.write(GOOD)
    for i, other in enumerate(sorted((EXAMPLES / "news").glob("*.txt"))[:4]):
        (folder / f"good-{i}.txt").write_bytes(other.read_bytes())
    settings = Settings(db=str(tmp_path / "s.db"), embedder="tfidf", facts=False, workers=0)
    with Desk(settings) as desk:
        report = desk.ingest([folder])
        assert report.failures == []
        paths = {a.path for a in desk.store.iter_articles()}
    assert str(folder / "bad-\\xff.txt") in paths  # the undecodable byte written as \xff
    assert report.added + report.existing == 5


def test_newline_in_a_file_name_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines.jsonl"
    path.write_text("{not json}\n", encoding="utf-8")
    _, fails = _split(read_inputs([path]))
    assert len(fails) == 1
    assert "\n" not in fails[0].origin and "two\\nlines.jsonl" in fails[0].origin


def test_gzip_of_a_billion_newlines_is_bounded_by_the_line_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as gz:
        for _ in range(40):
            gz.write(b"\n" * 2**22)  # 168 M newlines from a file of ~160 KB
    start = time.perf_counter()
    docs, fails = _with_timeout(lambda: _split(read_inputs([path], limits=ReadLimits(lines=100_000))), 60)
    assert time.perf_counter() - start < 10
    assert docs == [] and len(fails) == 1
    assert "more than 100,000 lines" in fails[0].reason and "max_lines" in fails[0].reason


def test_decompressed_bytes_are_bounded_per_input(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl.gz"
    line = b'{"text": "' + b"word " * 200 + b'"}\n'
    with gzip.open(path, "wb") as gz:
        gz.write(line * 5000)  # ~5 MB of good lines
    docs, fails = _split(read_inputs([path], limits=ReadLimits(input_bytes=2**20)))
    assert 0 < len(docs) < 5000
    assert len(fails) == 1 and "max_input_mb" in fails[0].reason


def test_one_line_gzip_bomb_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "oneline.jsonl.gz"
    with gzip.open(path, "wb") as gz:
        gz.write(b"x" * 20_000_000)
    docs, fails = _split(read_inputs([path], limits=ReadLimits(file_bytes=2**20)))
    assert docs == []
    assert len(fails) == 1, fails  # not "line too large" and then "empty file"
    assert "line is larger" in fails[0].reason


def test_malformed_warc_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10\r\n\r\nabc")
    _, fails = _split(read_inputs([path]))
    assert len(fails) == 1
    assert "NoneType" not in fails[0].reason and "attribute" not in fails[0].reason
    assert "damaged" in fails[0].reason or "truncated" in fails[0].reason


def test_warc_record_count_is_bounded(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "many.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(30):
            html = f"<html><body><p>{f'Page number {i} of the archive. ' * 20}</p></body></html>".encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
            writer.write_record(
                writer.create_warc_record(
                    f"http://example.org/{i}", "response", payload=io.BytesIO(html), http_headers=headers
                )
            )
    docs, fails = _split(read_inputs([path], limits=ReadLimits(records=10)))
    assert len(docs) == 10
    assert len(fails) == 1 and "more than 10 records" in fails[0].reason


def test_garbage_published_in_jsonl_is_said_not_silently_dropped(tmp_path: Path, caplog) -> None:
    path = tmp_path / "a.jsonl"
    body = " ".join(GOOD.decode().split()[20:200])
    record = {"title": "T", "published": "not a date at all", "text": body}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        items = list(read_articles([path], Settings(embedder="tfidf", facts=False, workers=0)))
    assert len(items) == 1 and not isinstance(items[0], Failure)
    assert items[0].published is None
    assert any("a.jsonl:1" in r.getMessage() and "not a date" in r.getMessage() for r in caplog.records)


def test_utf8_page_labelled_latin1_is_not_garbled(tmp_path: Path) -> None:
    from storydesk.extract import extract_article

    body = (
        "<p>"
        + " ".join(["Le café de la gare a rouvert ses portes hier matin après des travaux."] * 8)
        + "</p>"
    )
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        f"<title>Café reopens in Zürich</title></head><body><h1>Café reopens in Zürich</h1><article>{body * 3}"
        "</article></body></html>"
    ).encode()
    html = html.replace(b"hier matin", b"hier \x96 matin", 1)  # one pasted Windows-1252 dash
    path = tmp_path / "page.html"
    path.write_bytes(html)
    (raw,) = [r for r in read_inputs([path]) if isinstance(r, RawDocument)]
    article = extract_article(raw)
    assert article.title == "Café reopens in Zürich"
    assert "Ã" not in article.text and "café" in article.text and "–" in article.text


@pytest.mark.parametrize("name", ["notes", "README"])
def test_plain_text_without_an_extension_named_explicitly_is_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(GOOD)
    docs, fails = _split(read_inputs([path]))
    assert fails == [] and [d.kind for d in docs] == ["text"]
