import gzip
import io
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import storydesk.ingest._common as common
from _paths import FIXTURES
from storydesk.ingest import ReadLimits, read_inputs
from storydesk.model import Failure, RawDocument

FIX = FIXTURES / "inputs"


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, Failure)]


def _one_failure(path, **kw):
    docs, fails = _split(read_inputs([path], **kw))
    assert docs == [] and len(fails) == 1, (docs, fails)
    assert str(path) in fails[0].origin
    return fails[0]


def test_html_and_gzipped_html_read_the_same_page():
    docs, fails = _split(read_inputs([FIX / "wordpress.html", FIX / "page.html.gz"]))
    assert fails == []
    assert [d.kind for d in docs] == ["html", "html"]
    assert docs[0].content == docs[1].content
    assert "ferry terminal" in docs[0].content


def test_text_file_and_folder_walk_sorted_skipping_hidden(tmp_path):
    (tmp_path / "b.txt").write_text("Second\n\nBody of the second article here.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Nested\n\nBody of the nested article here.")
    (tmp_path / "a.txt").write_text("First\n\nBody of the first article here.")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nShould not be read.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden dir\n\nShould not be read.")
    docs, fails = _split(read_inputs([tmp_path]))
    assert fails == []
    assert [Path(d.origin).relative_to(tmp_path).as_posix() for d in docs] == ["a.txt", "b.txt", "sub/a.txt"]


def test_jsonl_good_lines_go_on_and_bad_lines_name_path_and_line():
    docs, fails = _split(read_inputs([FIX / "batch.jsonl"]))
    assert [d.title for d in docs] == ["Early harvest in the valley", "Airport adds routes"]
    first = docs[0]
    assert (first.url, first.published, first.outlet, first.author) == (
        "https://news.example.org/harvest",
        "2019-04-26",
        "Valley Radio",
        "Ana Lima",
    )
    assert first.origin.endswith("batch.jsonl:1") and docs[1].origin.endswith("batch.jsonl:5")
    assert [f.origin.rsplit(":", 1)[1] for f in fails] == ["2", "3"]
    assert "malformed" in fails[0].reason and "'text'" in fails[1].reason


def test_jsonl_size_limit_applies_per_line(tmp_path):
    path = tmp_path / "big.jsonl"
    small = '{"text": "A short article body for the test."}\n'
    big = '{"text": "' + "x" * 5000 + '"}\n'
    path.write_text(small + big + small)
    docs, fails = _split(read_inputs([path], limits=ReadLimits(file_bytes=1000)))
    assert len(docs) == 2 and len(fails) == 1
    assert fails[0].origin.endswith(":2") and "max_file_mb" in fails[0].reason


def test_rss_entry_with_full_content_and_teaser_failure():
    docs, fails = _split(read_inputs([FIX / "feed.rss"]))
    assert len(docs) == 1 and len(fails) == 1
    doc = docs[0]
    assert doc.url == "https://coastalcourier.example/rail"
    assert doc.outlet == "Coastal Courier"
    assert doc.published.startswith("2019-04-26T18:08:15")
    assert doc.author == "Nora Field"
    assert "Tickets go on sale" in doc.content
    assert "full text" in fails[0].reason and fails[0].origin.endswith("#entry-2")


def test_atom_entry_with_full_content():
    docs, fails = _split(read_inputs([FIX / "feed.atom"]))
    assert fails == [] and len(docs) == 1
    assert docs[0].outlet == "Valley Gazette" and docs[0].url == "https://valley.example/library"
    assert docs[0].published.startswith("2019-04-27T08:00:00")
    assert "city council" in docs[0].content


def test_feed_sniffed_under_unknown_extension(tmp_path):
    path = tmp_path / "news.feed"
    path.write_bytes((FIX / "feed.atom").read_bytes())
    docs, _ = _split(read_inputs([path]))
    assert len(docs) == 1


def _warc_bytes(gz: bool, pages: int = 3) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(pages):
        body = f"<html><body><p>Page {i}: " + "the council met again today. " * 300 + "</p></body></html>"
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        rec = writer.create_warc_record(
            f"https://example.org/{i}",
            "response",
            payload=io.BytesIO(body.encode()),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": f"2019-04-2{i}T10:00:00Z"},
        )
        writer.write_record(rec)
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://example.org/{i}.png",
                "response",
                payload=io.BytesIO(b"\x89PNG...."),
                http_headers=image,
            )
        )
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses_become_documents(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(_warc_bytes(gz))
    docs, fails = _split(read_inputs([path]))
    assert fails == []
    assert [d.url for d in docs] == [f"https://example.org/{i}" for i in range(3)]
    assert [d.fetched for d in docs] == [f"2019-04-2{i}T10:00:00Z" for i in range(3)]
    assert all(d.published is None for d in docs)  # the crawl date is not the publication date
    assert all(d.kind == "html" and "council met" in d.content for d in docs)


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_yields_records_before_damage_then_one_failure(tmp_path, gz):
    data = _warc_bytes(gz)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[: int(len(data) * 0.75)])
    docs, fails = _split(read_inputs([path]))
    assert len(docs) >= 1 and len(fails) == 1
    assert all(d.content.endswith("</html>") for d in docs)
    assert "truncated or corrupt WARC" in fails[0].reason and str(path) in fails[0].origin


def test_warc_size_limit_is_per_record(tmp_path):
    path = tmp_path / "crawl.warc"
    path.write_bytes(_warc_bytes(False))
    docs, fails = _split(read_inputs([path], limits=ReadLimits(file_bytes=5000)))
    assert docs == [] and len(fails) == 3
    assert all("#record-" in f.origin and "max_file_mb" in f.reason for f in fails)


def test_latin1_and_non_english_text_decode():
    docs, fails = _split(read_inputs([FIX / "latin1.txt", FIX / "russian.txt", FIX / "korean.txt"]))
    assert fails == []
    assert "cafés" in docs[0].content and "“new rules”" in docs[0].content
    assert "Городской совет" in docs[1].content
    assert docs[2].content.startswith("시의회") and "\ufeff" not in docs[2].content


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.html", b"  \n\n ", "empty file"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + os.urandom(200), "PNG"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(200), "PNG"),
        ("noise.bin", bytes(range(256)) * 8, "not text"),
        ("noise.txt", os.urandom(4096) + b"\x00", "not text"),
        (
            "cut.html.gz",
            gzip.compress(b"<html><body>" + os.urandom(3000).hex().encode())[:2000],
            "truncated gzip",
        ),
        ("mystery.dat", b"just some words that are not any known format\n", "unknown file type"),
    ],
)
def test_bad_files_give_exactly_one_failure(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    failure = _one_failure(path)
    assert expected in failure.reason


def test_missing_path_fails_without_raising(tmp_path):
    assert "not found" in _one_failure(tmp_path / "nope.txt").reason


def test_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Title\n\nBody text of the locked article.")
    path.chmod(0)

    real_open = common.open_binary

    def deny(p):
        if os.geteuid() == 0 and Path(p) == path:  # root ignores file modes: simulate what others get
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p)

    monkeypatch.setattr(common, "open_binary", deny)
    failure = _one_failure(path)
    assert "permission denied" in failure.reason


def test_file_over_size_limit_says_size_limit_and_setting(tmp_path):
    path = tmp_path / "big.html"
    path.write_text("<html><body>" + "x" * 3 * 2**20 + "</body></html>")
    failure = _one_failure(path, limits=ReadLimits(file_bytes=2**20))
    assert "3.0 MB" in failure.reason and "1.0 MB" in failure.reason and "max_file_mb" in failure.reason


def test_one_bad_file_does_not_stop_the_rest(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text("Title\n\nA good article body.")
    docs, fails = _split(read_inputs([tmp_path]))
    assert len(docs) == 1 and len(fails) == 1
