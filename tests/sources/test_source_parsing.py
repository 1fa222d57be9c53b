"""Reading what a source returns: URLs, feeds (RSS, Atom, JSON Feed), sitemaps, OPML, durations, dates."""

from __future__ import annotations

import gzip
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from _site import atom, json_feed, news_sitemap, rss, sitemap_index

from storydesk.sources import SourceProblem, canonical_url, check_url, parse_duration, read_opml
from storydesk.sources._feeds import parse_feed, sniff_kind
from storydesk.sources._schedule import backoff_seconds, next_poll, parse_retry_after
from storydesk.sources._sitemaps import parse_sitemap
from storydesk.sources._urls import host_key

NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)


# -- URLs -------------------------------------------------------------------------------------------------


def test_canonical_url_lowers_scheme_and_host_and_drops_tracking_and_fragment() -> None:
    url = "HTTPS://News.Example.ORG:443/World/Story-1?utm_source=rss&id=7&utm_medium=feed&fbclid=abc#comments"
    assert canonical_url(url) == "https://news.example.org/World/Story-1?id=7"
    assert canonical_url("http://example.org") == "http://example.org/"
    assert canonical_url("http://example.org:8080/a?b=1&c=2") == "http://example.org:8080/a?b=1&c=2"
    assert canonical_url("http://example.org/a?gclid=1&UTM_Campaign=x") == "http://example.org/a"
    # the path's case is kept: /Story and /story may be different pages
    assert canonical_url("http://e.org/Story") != canonical_url("http://e.org/story")


def test_check_url_refuses_what_cannot_be_fetched() -> None:
    assert check_url("https://example.org/feed") is None
    assert "http" in (check_url("ftp://example.org/feed") or "")
    assert "http" in (check_url("feed.xml") or "")
    assert check_url("http:///nohost") is not None
    assert host_key("https://Example.org/a") == "example.org:443"
    assert host_key("http://example.org:8080/a") == "example.org:8080"


# -- feeds ------------------------------------------------------------------------------------------------

BASE = "http://news.example/feed.xml"


def test_rss_entries_with_full_text_and_teasers() -> None:
    body = rss(
        "Harbour Herald",
        [
            {
                "title": "Full",
                "link": "http://news.example/a?utm_source=rss",
                "published": NOW,
                "summary": "Short teaser.",
                "content": "<p>" + "word " * 120 + "</p>",
            },
            {
                "title": "Teaser",
                "link": "/b",
                "published": NOW - timedelta(hours=1),
                "summary": "Only a teaser.",
            },
        ],
    )
    feed = parse_feed(body, base_url=BASE)
    assert feed.title == "Harbour Herald"
    full, tease = feed.items
    assert full.url == "http://news.example/a" and full.key == full.url
    assert full.words >= 120 and full.content_kind == "html"
    assert full.published == NOW
    assert tease.url == "http://news.example/b"  # relative link resolved against the feed's URL
    assert tease.words == 3


def test_atom_and_json_feed() -> None:
    items = [{"title": "One", "link": "http://news.example/1", "published": NOW, "summary": "A teaser."}]
    a = parse_feed(atom("Atom Wire", items), base_url=BASE)
    assert [(i.title, i.url, i.published) for i in a.items] == [("One", "http://news.example/1", NOW)]
    j = parse_feed(
        json_feed("JSON Wire", [{**items[0], "content": "<p>" + "x " * 90 + "</p>"}]), base_url=BASE
    )
    assert j.title == "JSON Wire"
    assert j.items[0].url == "http://news.example/1" and j.items[0].words >= 90
    assert j.items[0].published == NOW


def test_a_feed_that_is_html_names_the_feed_it_links_to() -> None:
    page = b'<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>hi</body></html>'
    with pytest.raises(SourceProblem, match=r"HTML page, not a feed.*http://news.example/rss"):
        parse_feed(page, base_url=BASE, content_type="text/html")
    assert sniff_kind(page) == "html"


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A</title></item><item>',
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A <b></title></item></channel></rss>',
    ],
)
def test_malformed_xml_is_a_problem(body: bytes) -> None:
    with pytest.raises(SourceProblem, match="malformed XML"):
        parse_feed(body, base_url=BASE)


def test_an_html_entity_in_a_feed_is_tolerated() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T&nbsp;Wire</title><item><title>A</title><link>http://n.example/a</link></item></channel></rss>'
    assert [i.url for i in parse_feed(body, base_url=BASE).items] == ["http://n.example/a"]


def test_json_that_is_no_json_feed() -> None:
    with pytest.raises(SourceProblem, match="not a JSON Feed"):
        parse_feed(b'{"hello": "world"}', base_url=BASE)
    with pytest.raises(SourceProblem, match="malformed JSON"):
        parse_feed(b'{"version": ', base_url=BASE)


def test_plain_text_is_not_a_feed() -> None:
    with pytest.raises(SourceProblem, match="not an RSS, Atom or JSON feed"):
        parse_feed(b"hello, I am a text file", base_url=BASE)


# -- sitemaps ---------------------------------------------------------------------------------------------


def test_news_sitemap_and_index() -> None:
    body = news_sitemap([("http://news.example/s1?utm_campaign=x", "Storm hits", NOW)])
    parsed = parse_sitemap(body, base_url=BASE, max_bytes=2**20)
    (url,) = parsed.urls
    assert (url.url, url.title, url.published, url.outlet) == (
        "http://news.example/s1",
        "Storm hits",
        NOW,
        "Harbour Herald",
    )
    index = sitemap_index([("http://news.example/a.xml", NOW), ("/b.xml", None)])
    parsed = parse_sitemap(gzip.compress(index), base_url=BASE, max_bytes=2**20)
    assert parsed.children == (("http://news.example/a.xml", NOW), ("http://news.example/b.xml", None))


def test_sitemap_lastmod_dates_a_plain_url_and_image_locs_are_ignored() -> None:
    body = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
        b"<url><image:image><image:loc>http://img.example/1.jpg</image:loc></image:image>"
        b"<loc>http://news.example/p</loc><lastmod>2024-03-09</lastmod></url></urlset>"
    )
    (url,) = parse_sitemap(body, base_url=BASE, max_bytes=2**20).urls
    assert url.url == "http://news.example/p"
    assert url.published == datetime(2024, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<urlset><url><loc>http://a/</loc></url>", "malformed XML"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "not a sitemap"),
        (b"<!DOCTYPE html><html><body>nope</body></html>", "HTML page, not a sitemap"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><urlset>&a;</urlset>', "declares entities"),
        (b"", "empty document"),
    ],
)
def test_what_is_no_sitemap(body: bytes, reason: str) -> None:
    with pytest.raises(SourceProblem, match=reason):
        parse_sitemap(body, base_url=BASE, max_bytes=2**20)


def test_a_gzipped_sitemap_is_inflated_within_the_size_limit() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (3 * 2**20) + b"</urlset>")
    with pytest.raises(SourceProblem, match="over the limit"):
        parse_sitemap(bomb, base_url=BASE, max_bytes=2**20)


# -- OPML -------------------------------------------------------------------------------------------------

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="News">
    <outline text="World">
      <outline type="rss" text="Harbour Herald" xmlUrl="http://herald.example/rss?utm_source=opml"/>
    </outline>
    <outline type="rss" text="Valley Times" xmlUrl="https://valley.example/feed"/>
  </outline>
  <outline text="Sport"><outline type="rss" text="Herald again" xmlUrl="http://herald.example/rss"/></outline>
  <outline type="rss" text="Broken" xmlUrl="ftp://nowhere.example/feed"/>
</body></opml>"""


def test_opml_nested_folders_become_tags_and_duplicates_merge() -> None:
    listed = read_opml(OPML)
    assert listed.title == "My feeds"
    by_url = {s.url: s for s in listed.sources}
    assert set(by_url) == {"http://herald.example/rss", "https://valley.example/feed"}
    assert by_url["http://herald.example/rss"].tags == ("News/World", "Sport")
    assert by_url["http://herald.example/rss"].title == "Harbour Herald"
    assert by_url["https://valley.example/feed"].tags == ("News",)
    assert all(s.kind == "feed" for s in listed.sources)
    assert len(listed.problems) == 1 and "ftp://nowhere.example/feed" in listed.problems[0]


@pytest.mark.parametrize("body", [b"<!DOCTYPE html><html><body>not a list</body></html>", b"hello", b""])
def test_an_opml_that_is_not_opml(body: bytes) -> None:
    with pytest.raises(SourceProblem, match="not an OPML subscription list"):
        read_opml(body)


def test_a_600_feed_opml_is_read_in_little_memory() -> None:
    outlines = "\n".join(
        f'<outline text="Folder {f}">'
        + "".join(
            f'<outline type="rss" text="Feed {f}-{i}" xmlUrl="http://h{f}.example/feed{i}.xml"/>'
            for i in range(60)
        )
        + "</outline>"
        for f in range(10)
    )
    body = f'<?xml version="1.0"?><opml version="2.0"><head><title>big</title></head><body>{outlines}</body></opml>'.encode()
    tracemalloc.start()
    listed = read_opml(body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(listed.sources) == 600
    assert {s.tags for s in listed.sources} == {(f"Folder {f}",) for f in range(10)}
    assert peak < 20 * 2**20, f"reading a 600-feed OPML took {peak / 2**20:.1f} MB"


# -- scheduling -------------------------------------------------------------------------------------------


def test_durations() -> None:
    assert [parse_duration(t) for t in ("90s", "15m", "1h", "1d", "45", "0s", "1.5h")] == [
        90,
        900,
        3600,
        86400,
        45,
        0,
        5400,
    ]
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("soon")


def test_retry_after_is_read_and_clamped() -> None:
    assert parse_retry_after("120", NOW) == 120
    assert parse_retry_after("0", NOW) == 60  # never spin
    assert parse_retry_after("99999999", NOW) == 24 * 3600
    assert parse_retry_after("Sun, 10 Mar 2024 12:30:00 GMT", NOW) == 1800
    assert parse_retry_after("Fri, 10 Mar 2034 12:30:00 GMT", NOW) == 24 * 3600
    assert parse_retry_after("whenever", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_back_off_doubles_per_error_up_to_a_day() -> None:
    assert [backoff_seconds(3600, n) for n in (1, 2, 3, 4, 5, 6)] == [3600, 7200, 14400, 28800, 57600, 86400]
    assert backoff_seconds(3600, 30) == 86400
    assert next_poll(NOW, interval_s=3600, consecutive_errors=0) == NOW + timedelta(hours=1)
    assert next_poll(NOW, interval_s=3600, consecutive_errors=3) == NOW + timedelta(hours=4)
    assert next_poll(NOW, interval_s=3600, consecutive_errors=3, retry_after_s=120) == NOW + timedelta(
        seconds=120
    )
