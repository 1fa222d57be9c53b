import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storydesk.extract import extract_article
from storydesk.ingest import read_inputs
from storydesk.model import RawDocument

BODY = (
    "<p>The harbour council voted on the new ferry terminal after a long debate about costs and noise.</p>"
    "<p>Residents of the eastern quay said the plans had changed many times since the first proposal.</p>"
    "<p>The councillors agreed to publish the full budget and to hold a further hearing for the public.</p>"
)
DATED = (
    "<html><head><title>Council approves terminal</title>"
    '<meta property="article:published_time" content="2019-04-26T08:30:00+00:00">'
    "</head><body><article><h1>Council approves terminal</h1>" + BODY + "</article></body></html>"
)
UNDATED = (
    "<html><head><title>Council approves terminal</title></head>"
    "<body><article><h1>Council approves terminal</h1>" + BODY + "</article></body></html>"
)


def _warc(tmp_path, pages):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, html, crawled in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        rec = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(html.encode()),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": crawled},
        )
        writer.write_record(rec)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(buf.getvalue())
    return path


def test_warc_date_is_fetched_and_the_pages_own_date_wins(tmp_path):
    path = _warc(
        tmp_path,
        [
            ("https://news.example.org/terminal", DATED, "2021-02-03T04:05:06Z"),
            ("https://news.example.org/terminal-copy", UNDATED, "2021-02-03T04:05:07Z"),
        ],
    )
    raws = [r for r in read_inputs([path]) if isinstance(r, RawDocument)]
    assert [r.fetched for r in raws] == ["2021-02-03T04:05:06Z", "2021-02-03T04:05:07Z"]
    assert [r.published for r in raws] == [None, None]
    dated, undated = (extract_article(r) for r in raws)
    assert dated.published is not None and dated.published.startswith("2019-04-26")
    assert undated.published == "2021-02-03T04:05:07+00:00"  # no date on the page: the crawl date


def test_source_published_beats_page_date_and_fetched():
    raw = RawDocument(
        origin="x", kind="html", content=DATED, published="2019-05-01", fetched="2021-02-03T04:05:06Z"
    )
    assert extract_article(raw).published == "2019-05-01"


def test_text_falls_back_to_fetched_when_header_has_no_date():
    raw = RawDocument(
        origin="t", kind="text", content="A title\n\nThe council met again.", fetched="2021-02-03"
    )
    assert extract_article(raw).published == "2021-02-03"
    dated = RawDocument(
        origin="t",
        kind="text",
        content="A title\nPublished: 26 April 2019\n\nThe council met again.",
        fetched="2021-02-03",
    )
    assert extract_article(dated).published == "2019-04-26"
