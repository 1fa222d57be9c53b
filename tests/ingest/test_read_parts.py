"""A large JSONL or WARC file read in ranges (a batch job's partitions, #19) gives exactly what a read of
the whole file gives: the same articles with the same names, the same failures, limits reported once."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storydesk.ingest import (
    InputFile,
    Part,
    ReadLimits,
    index_jsonl,
    index_warc,
    list_inputs,
    read_file,
    read_inputs,
)
from storydesk.model import Failure


def _parts(cuts: list[tuple[int, int]]) -> list[Part]:
    stops: list[int | None] = [c[0] for c in cuts[1:]]
    stops.append(None)
    return [Part(offset, before, stop) for (offset, before), stop in zip(cuts, stops, strict=True)]


def _in_parts(path: Path, cuts: list[tuple[int, int]], limits: ReadLimits | None = None) -> list:
    return [item for part in _parts(cuts) for item in read_file(path, limits=limits, part=part)]


def _jsonl(tmp_path: Path, n: int = 40) -> Path:
    lines = [json.dumps({"text": f"Article number {i}. " * 20, "title": f"T{i}"}) for i in range(n)]
    lines[17] = "{broken"
    lines[25] = ""  # a blank line is counted, never reported
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_jsonl_ranges_read_as_the_whole_file(tmp_path: Path) -> None:
    path = _jsonl(tmp_path)
    cuts = index_jsonl(path, 2000)
    assert len(cuts) >= 3 and cuts[0] == (0, 0)
    whole = list(read_inputs([path]))
    assert any(isinstance(i, Failure) and i.origin.endswith(":18") for i in whole)
    assert _in_parts(path, cuts) == whole


@pytest.mark.parametrize("max_lines", [5, 21, 30])
def test_a_jsonl_line_limit_is_reported_once_by_the_range_that_reaches_it(
    tmp_path: Path, max_lines: int
) -> None:
    path = _jsonl(tmp_path)
    limits = ReadLimits(lines=max_lines)
    whole = list(read_inputs([path], limits=limits))
    assert sum("max_lines" in i.reason for i in whole if isinstance(i, Failure)) == 1
    assert _in_parts(path, index_jsonl(path, 2000), limits) == whole


def _warc(tmp_path: Path, gz: bool, pages: int = 12) -> Path:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(pages):
        body = f"<html><body><p>Page {i}: " + "the council met again today. " * 60 + "</p></body></html>"
        kind = "text/html; charset=utf-8" if i % 5 else "application/pdf"  # not HTML: counted, not read
        headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example.org/{i}",
            "response",
            payload=io.BytesIO(body.encode()),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": f"2019-04-{10 + i}T10:00:00Z"},
        )
        writer.write_record(record)
    path = tmp_path / ("big.warc.gz" if gz else "big.warc")
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_warc_ranges_read_as_the_whole_file(tmp_path: Path, gz: bool) -> None:
    path = _warc(tmp_path, gz)
    cuts = index_warc(path, 3000 if not gz else 800)
    assert len(cuts) >= 3
    whole = list(read_inputs([path]))
    assert len(whole) == 9 and not any(isinstance(i, Failure) for i in whole)
    assert _in_parts(path, cuts) == whole


@pytest.mark.parametrize("max_records", [2, 7])
def test_a_warc_record_limit_is_reported_once(tmp_path: Path, max_records: int) -> None:
    path = _warc(tmp_path, gz=False)
    limits = ReadLimits(records=max_records)
    whole = list(read_inputs([path], limits=limits))
    assert sum("max_records" in i.reason for i in whole if isinstance(i, Failure)) == 1
    assert _in_parts(path, index_warc(path, 3000), limits) == whole


def test_a_truncated_warc_is_reported_by_its_last_range(tmp_path: Path) -> None:
    path = _warc(tmp_path, gz=False)
    path.write_bytes(path.read_bytes()[:-200])
    whole = list(read_inputs([path]))
    assert isinstance(whole[-1], Failure) and "truncated" in whole[-1].reason
    assert _in_parts(path, index_warc(path, 3000)) == whole


def test_a_whole_file_gzip_stream_is_one_range(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "one.warc.gz"
    path.write_bytes(gzip.compress(_warc(tmp_path, gz=False).read_bytes()))
    assert index_warc(path, 800) == [(0, 0)]
    jsonl = tmp_path / "one.jsonl.gz"
    jsonl.write_bytes(gzip.compress(_jsonl(tmp_path).read_bytes()))
    assert index_jsonl(jsonl, 800) == [(0, 0)]


def test_only_jsonl_and_warc_are_read_in_parts(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("A title\n\nSome text.")
    with pytest.raises(ValueError, match="only JSONL and WARC"):
        list(read_file(path, part=Part(0, 0)))


def test_list_inputs_gives_read_inputs_order_and_refusals(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("B title\n\nSome text of b.")
    (tmp_path / "a.txt").write_text("A title\n\nSome text of a.")
    (tmp_path / "notes.md").write_text("skipped")
    listed = list(list_inputs([tmp_path / "missing.txt", tmp_path]))
    assert isinstance(listed[0], Failure) and listed[0].reason == "not found"
    assert listed[1:] == [InputFile(tmp_path / "a.txt"), InputFile(tmp_path / "b.txt")]
