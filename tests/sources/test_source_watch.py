"""Watching live sources end to end: a real server on 127.0.0.1, a real store (SQLite, and Postgres when
STORYDESK_TEST_PG_URL is set), the real pipeline. What is fetched and how often, what is stored, what each
source's status says, and that the stories are those of ingesting the same articles from files."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from _newsroom import Clock, Newsroom, fast
from _site import Site, page_html, rss, story_articles, teaser

from storydesk.service import Desk, Watcher, add_sources, list_sources
from storydesk.sources import from_iso


def by_url(desk: Desk) -> dict[str, Any]:
    return {item.source.url: item for item in list_sources(desk)}


def story_view(desk: Desk) -> dict[str, Any]:
    """Each stored story: its articles and its briefing, without file paths; dates to the day."""
    out = {}
    for row in desk.stories(limit=100):
        b = desk.briefing(row.id)
        out[row.id] = {
            "title": b.title,
            "articles": sorted(
                (a.id, a.title, a.outlet, a.url, (a.published or "")[:10]) for a in b.articles
            ),
            "duplicates": sorted((a.id, tuple(sorted(a.duplicates))) for a in b.articles),
            "summary": [(s.text, sorted(s.citations)) for s in b.summary],
            "first": (b.first_published or "")[:10],
        }
    return out


def test_watch_fetches_politely_and_makes_the_stories_of_the_same_files(
    newsroom: Newsroom, clock: Clock, any_db: str, tmp_path: Path
) -> None:
    site = newsroom.site
    settings = fast(any_db, poll_interval="1h")
    with Desk(settings) as desk, Watcher(desk, clock=clock) as watcher:
        added = add_sources(desk, newsroom.sources)
        assert len(added.added) == 4 and not added.problems
        first = watcher.run(once=True)
        assert first is not None

        # -- what was fetched: every feed and page once, robots.txt once, the duplicate page never --
        assert first.sources == 4 and first.fetched == 4 and first.errors == 0
        for path in newsroom.page_paths():
            if path.startswith("/articles/flood"):
                assert site.requests(path) == [], f"{path} is in the full-text feed: no page fetch"
            else:
                assert len(site.requests(path)) == 1, path
        assert len(site.requests("/robots.txt")) == 1
        assert site.peak_active_per_host == 1  # one request at a time to this host
        assert first.pages_fetched == 5 and first.page_errors == 0
        assert first.requests == len(site.requests())  # the report counts every request made
        assert first.ingest.added == 9 and not first.ingest.failures

        # -- what is stored --
        listing = by_url(desk)
        full = listing[site.url("/feeds/full.xml")]
        assert (full.source.kind, full.source.last_status, full.source.etag) == ("feed", "ok", '"full-1"')
        assert full.source.title == "Flood Wire"
        assert full.counts.total == 4 and full.counts.ingested == 4
        teasers = listing[site.url("/feeds/teasers.atom")]
        assert teasers.source.last_modified == "Fri, 01 Mar 2024 12:00:00 GMT"
        assert teasers.counts.total == 4  # five entries, two of them the same page with tracking parameters
        index = listing[site.url("/sitemap-index.xml")]
        assert index.source.kind == "sitemap" and index.counts.ingested == 1
        assert from_iso(full.source.next_poll_at) == clock.now + timedelta(hours=1)
        entries = desk.store.sources.entries(teasers.source.id)
        assert all(e.status == "ingested" and e.article_id for e in entries)
        assert all(e.url and "utm_" not in e.url and "#" not in e.url for e in entries)
        assert {e.feed_published[:10] for e in entries} == {e.page_published[:10] for e in entries}  # type: ignore[index]
        assert desk.store.sources.page_count() == 5
        stories_after_first = story_view(desk)

        # -- the second pass: nothing changed, so 304s where the server supports them, no page fetched --
        site.clear()
        clock.advance(3600)
        second = watcher.run(once=True)
        assert second is not None
        assert [h.path for h in site.requests(status=304)] and {
            h.path for h in site.requests(status=304)
        } == {"/feeds/full.xml", "/feeds/teasers.atom"}
        assert not [h for h in site.requests() if h.path.startswith("/articles/") or h.path == "/robots.txt"]
        assert second.not_modified == 2 and second.fetched == 2 and second.new_entries == 0
        assert second.pages_fetched == 0 and second.ingest.added == 0
        listing = by_url(desk)
        assert listing[site.url("/feeds/full.xml")].source.not_modified_count == 1
        assert listing[site.url("/feeds/full.xml")].source.fetch_count == 2
        assert listing[site.url("/feeds/chess.json")].source.last_status == "ok"  # no validators: 200 again
        assert story_view(desk) == stories_after_first

    # -- the same articles from files, through `ingest` --
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "full.xml").write_bytes(newsroom.full_feed())
    for s in newsroom.stories:
        if not s.slug.startswith("flood"):
            (folder / f"{s.slug}.html").write_bytes(page_html(s, newsroom.pages[s.slug]))
    with Desk(fast(str(tmp_path / "files.db"))) as desk:
        report = desk.ingest([folder])
        assert report.added == 9 and not report.failures
        assert story_view(desk) == stories_after_first
    assert len(stories_after_first) == 3


def test_misbehaving_sources_are_recorded_and_never_stop_the_pass(clock: Clock, tmp_path: Path) -> None:
    stories = story_articles(clock.now)
    good = stories[4:8]  # the bridge story
    with Site() as site, Site() as slow_site, Site() as busy_site, Site() as very_busy_site:
        for s in good:
            site.route(f"/a/{s.slug}", body=page_html(s, site.url(f"/a/{s.slug}")))
        site.route("/robots.txt", body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        site.route("/a/gone", status=404, body=b"gone")
        site.route("/a/flaky", status=503, body=b"later")  # a 503 without Retry-After: tried again later
        site.route("/private/secret", body=page_html(good[0], site.url("/private/secret")))
        site.route("/a/doc.pdf", body=b"%PDF-1.4", content_type="application/pdf")
        links = [site.url(f"/a/{s.slug}") for s in good] + [
            site.url("/a/gone"),
            site.url("/a/flaky"),
            site.url("/private/secret"),
            site.url("/a/doc.pdf"),
        ]
        items = [
            {
                "title": f"Item {n}",
                "link": link,
                "published": clock.now - timedelta(hours=n + 1),
                "summary": "A teaser.",
            }
            for n, link in enumerate(links)
        ]
        site.route("/good.xml", body=rss("Good Wire", items), content_type="application/rss+xml")
        busy_site.route("/busy.xml", status=429, headers={"Retry-After": "120"})
        very_busy_site.route("/very-busy.xml", status=503, headers={"Retry-After": "864000"})
        site.route("/broken.xml", status=500, body=b"oops")
        site.route("/loop-a", redirect="/loop-b")
        site.route("/loop-b", redirect="/loop-a")
        site.route("/huge.xml", huge=50 * 2**20, huge_length=False, content_type="application/rss+xml")
        site.route(
            "/invalid.xml",
            body=b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>',
            etag='"bad-1"',
            content_type="application/rss+xml",
        )
        site.route("/page.html", body=b"<!DOCTYPE html><html><body><p>Hello</p></body></html>")
        slow_site.route("/slow.xml", body=b"<rss/>", delay=3.0)
        urls = {
            name: site.url(path)
            for name, path in [
                ("good", "/good.xml"),
                ("broken", "/broken.xml"),
                ("loop", "/loop-a"),
                ("huge", "/huge.xml"),
                ("invalid", "/invalid.xml"),
                ("html", "/page.html"),
            ]
        }
        urls["slow"] = slow_site.url("/slow.xml")
        urls["busy"] = busy_site.url("/busy.xml")
        urls["very_busy"] = very_busy_site.url("/very-busy.xml")
        urls["refused"] = "http://127.0.0.1:9/feed.xml"
        settings = fast(str(tmp_path / "m.db"), fetch_timeout=0.5, fetch_max_mb=1, poll_interval="1h")
        with Desk(settings) as desk, Watcher(desk, clock=clock) as watcher:
            add_sources(desk, list(urls.values()))
            report = watcher.run(once=True)
            assert report is not None
            assert report.sources == 10 and report.fetched == 1 and report.errors == 9
            listing = {name: by_url(desk)[url] for name, url in urls.items()}
            expect = {
                "busy": "HTTP 429",
                "very_busy": "HTTP 503",
                "broken": "HTTP 500",
                "loop": "redirect loop",
                "huge": "over the limit of 1.0 MB",
                "invalid": "malformed XML",
                "html": "HTML page, not a feed",
                "slow": "timed out",
                "refused": "connection refused",
            }
            for name, words in expect.items():
                source = listing[name].source
                assert source.last_status == "error", name
                assert words in (source.last_error or ""), (name, source.last_error)
                assert source.consecutive_errors == 1 and source.error_count == 1, name
            now = clock.now
            assert from_iso(listing["busy"].source.next_poll_at) == now + timedelta(seconds=120)
            assert from_iso(listing["very_busy"].source.next_poll_at) == now + timedelta(hours=24)  # clamped
            assert from_iso(listing["broken"].source.next_poll_at) == now + timedelta(hours=1)
            assert listing["invalid"].source.etag is None  # validators only after a successful parse
            assert listing["loop"].source.final_url is not None

            # the good feed: four articles in, and each bad page recorded with its reason
            good_entries = {e.url: e for e in desk.store.sources.entries(listing["good"].source.id)}
            assert report.ingest.added == 4
            assert good_entries[site.url("/a/gone")].status == "failed"
            assert "404" in (good_entries[site.url("/a/gone")].error or "")
            assert good_entries[site.url("/a/flaky")].status == "pending"  # 503: tried again later
            assert "disallows" in (good_entries[site.url("/private/secret")].error or "")
            assert site.requests("/private/secret") == []
            assert "not a web page" in (good_entries[site.url("/a/doc.pdf")].error or "")
            assert {f.origin for f in report.failures} >= {site.url("/a/gone"), site.url("/private/secret")}

            # -- an hour later: the retry-after source and the failed ones again, the flaky page again --
            site.clear()
            busy_site.clear()
            very_busy_site.clear()
            site.route(
                "/invalid.xml", body=rss("Fixed", []), etag='"bad-1"', content_type="application/rss+xml"
            )
            site.route("/a/flaky", body=page_html(stories[0], site.url("/a/flaky")))
            clock.advance(3600)
            second = watcher.run(once=True)
            assert second is not None
            polled = {h.path for h in site.requests()}
            assert very_busy_site.requests() == []  # a day to wait
            assert len(busy_site.requests("/busy.xml")) == 1  # its two minutes are over
            assert {"/broken.xml", "/invalid.xml", "/good.xml", "/a/flaky"} <= polled
            assert "If-None-Match" not in site.requests("/invalid.xml")[0].headers
            assert by_url(desk)[urls["invalid"]].source.last_status == "ok"
            assert by_url(desk)[urls["invalid"]].source.etag == '"bad-1"'
            broken = by_url(desk)[urls["broken"]].source
            assert broken.consecutive_errors == 2
            assert from_iso(broken.next_poll_at) == clock.now + timedelta(hours=2)  # backed off
            assert site.requests("/a/gone") == []  # a 404 is final
            entries = {e.url: e for e in desk.store.sources.entries(listing["good"].source.id)}
            assert entries[site.url("/a/flaky")].status == "ingested"
            assert second.ingest.added == 1


def test_a_host_that_answers_429_is_left_alone_for_the_rest_of_the_pass(clock: Clock, tmp_path: Path) -> None:
    stories = story_articles(clock.now)[:4]
    with Site() as site:
        site.route("/a/first", status=429, headers={"Retry-After": "300"}, body=b"slow down")
        for s in stories:
            site.route(f"/a/{s.slug}", body=page_html(s, site.url(f"/a/{s.slug}")))
        links = [site.url("/a/first")] + [site.url(f"/a/{s.slug}") for s in stories]
        items = [
            {
                "title": f"Item {n}",
                "link": link,
                "published": clock.now - timedelta(hours=n + 1),
                "summary": "A teaser.",
            }
            for n, link in enumerate(links)
        ]
        site.route("/f.xml", body=rss("Busy Wire", items), content_type="application/rss+xml")
        with (
            Desk(fast(str(tmp_path / "h.db"), poll_interval="1m")) as desk,
            Watcher(desk, clock=clock) as watcher,
        ):
            add_sources(desk, [site.url("/f.xml")])
            first = watcher.run(once=True)
            assert first is not None and first.ingest.added == 0
            assert [h.path for h in site.requests() if h.path.startswith("/a/")] == ["/a/first"]
            (item,) = list_sources(desk)
            assert item.counts.pending == 5
            clock.advance(120)  # the feed is due again, the host still asked for three more minutes
            site.clear()
            assert watcher.run(once=True).deferred == 1  # type: ignore[union-attr]
            assert site.requests() == []
            clock.advance(200)
            site.route("/a/first", body=page_html(stories[0], site.url("/a/first")))
            third = watcher.run(once=True)
            assert third is not None and third.pages_fetched == 5 and third.ingest.added == 5
            assert third.ingest.duplicates == 1  # /a/first holds a copy of another page
            (item,) = list_sources(desk)
            assert item.counts.pending == 0 and item.counts.ingested == 5


def test_old_and_future_entries(clock: Clock, tmp_path: Path) -> None:
    stories = story_articles(clock.now)
    with Site() as site:
        for s in stories[:3]:
            site.route(f"/a/{s.slug}", body=page_html(s, site.url(f"/a/{s.slug}")))
        old, future, fine = stories[:3]
        items = [
            {
                "title": old.title,
                "link": site.url(f"/a/{old.slug}"),
                "published": clock.now - timedelta(days=40),
                "summary": teaser(old),
            },
            {
                "title": future.title,
                "link": site.url(f"/a/{future.slug}"),
                "published": clock.now + timedelta(days=5),
                "summary": teaser(future),
            },
            {
                "title": fine.title,
                "link": site.url(f"/a/{fine.slug}"),
                "published": clock.now - timedelta(days=1),
                "summary": teaser(fine),
            },
        ]
        site.route("/f.xml", body=rss("Dates", items), content_type="application/rss+xml")
        with Desk(fast(str(tmp_path / "d.db"))) as desk, Watcher(desk, clock=clock) as watcher:
            add_sources(desk, [site.url("/f.xml")])
            report = watcher.run(once=True)
            assert report is not None
            assert (report.new_entries, report.skipped_old, report.future_dated) == (2, 1, 1)
            assert site.requests(f"/a/{old.slug}") == []
            (item,) = list_sources(desk)
            assert (item.counts.total, item.counts.old, item.counts.ingested, item.counts.future_dated) == (
                3,
                1,
                2,
                1,
            )
            entries = {e.title: e for e in desk.store.sources.entries(item.source.id)}
            clamped = entries[future.title]
            assert clamped.flags == ("future_date",)
            assert from_iso(clamped.feed_published) == clock.now
            article = desk.article(clamped.article_id or "")
            assert from_iso(article.published) == clock.now
            # the page's own date is kept apart from the feed's
            assert (
                clamped.page_published and clamped.page_published[:10] == future.published.date().isoformat()
            )


def test_a_followed_page_is_fetched_conditionally_and_each_new_version_ingested(
    clock: Clock, tmp_path: Path
) -> None:
    stories = story_articles(clock.now)
    with Site() as site:
        site.route("/live", body=page_html(stories[0], site.url("/live")), etag='"v1"')
        with (
            Desk(fast(str(tmp_path / "p.db"), poll_interval="10m")) as desk,
            Watcher(desk, clock=clock) as watcher,
        ):
            added = add_sources(desk, [site.url("/live")], kind="page")
            assert added.added[0].kind == "page"
            assert watcher.run(once=True).ingest.added == 1  # type: ignore[union-attr]
            clock.advance(600)
            again = watcher.run(once=True)
            assert again is not None and again.not_modified == 1 and again.ingest.added == 0
            site.route("/live", body=page_html(stories[1], site.url("/live")), etag='"v2"')
            clock.advance(600)
            third = watcher.run(once=True)
            assert third is not None and third.ingest.added == 1
            (item,) = list_sources(desk)
            assert item.counts.ingested == 2 and item.source.not_modified_count == 1
            assert [h.path for h in site.requests()].count("/robots.txt") == 1


def test_a_watch_loop_survives_a_fetcher_that_raises_and_stops_when_told(
    clock: Clock, tmp_path: Path
) -> None:
    class Exploding:
        calls = 0

        def fetch(self, request: Any) -> Any:
            Exploding.calls += 1
            raise RuntimeError("boom")

    passes: list[Any] = []
    stop = threading.Event()

    def on_pass(report: Any) -> None:
        passes.append(report)
        clock.advance(60)
        if len(passes) == 2:
            stop.set()

    with Desk(fast(str(tmp_path / "l.db"), poll_interval="0s")) as desk:
        add_sources(desk, ["http://127.0.0.1:9/a.xml", "http://127.0.0.1:9/b.xml"])
        with Watcher(desk, fetcher=Exploding(), clock=clock) as watcher:  # type: ignore[arg-type]
            thread = threading.Thread(target=watcher.run, kwargs={"stop": stop, "on_pass": on_pass})
            thread.start()
            thread.join(timeout=30)
        assert not thread.is_alive()
        assert len(passes) == 2 and all(p.errors == 2 for p in passes)
        assert "unexpected error: RuntimeError: boom" in (list_sources(desk)[0].source.last_error or "")
        assert Exploding.calls == 4


def test_user_agent_with_contact_and_a_moved_feed(newsroom: Newsroom, clock: Clock, tmp_path: Path) -> None:
    site = newsroom.site
    site.route("/old-feed", redirect="/feeds/full.xml")
    settings = fast(str(tmp_path / "ua.db"), contact_url="mailto:desk@example.org")
    with Desk(settings) as desk, Watcher(desk, clock=clock) as watcher:
        add_sources(desk, [site.url("/old-feed")])
        report = watcher.run(once=True)
        assert report is not None and report.ingest.added == 4
        (item,) = list_sources(desk)
    assert item.source.url == site.url("/old-feed")
    assert item.source.final_url == site.url("/feeds/full.xml")
    agents = {h.headers["User-Agent"] for h in site.requests()}
    assert agents == {"storydesk/0.1.0 (+mailto:desk@example.org)"}


def test_sources_list_json_fields(newsroom: Newsroom, clock: Clock, tmp_path: Path) -> None:
    with Desk(fast(str(tmp_path / "j.db"))) as desk, Watcher(desk, clock=clock) as watcher:
        add_sources(desk, newsroom.sources[:1], tags=["weather"])
        watcher.run(once=True)
        (item,) = list_sources(desk)
    row = json.loads(json.dumps({"tags": list(item.source.tags), "304": item.source.not_modified_count}))
    assert row == {"tags": ["weather"], "304": 0}
    assert item.source.last_fetch_at is not None and item.source.next_poll_at is not None


@pytest.mark.parametrize("interval", ["soon", "-1h"])
def test_a_bad_interval_is_a_config_error(tmp_path: Path, interval: str) -> None:
    from storydesk.errors import ConfigError

    with Desk(fast(str(tmp_path / "c.db"))) as desk, pytest.raises(ConfigError, match="interval"):
        Watcher(desk, interval=interval)


def test_a_stop_during_the_ingest_stores_what_was_handed_on_and_records_nothing(
    newsroom: Newsroom, clock: Clock, tmp_path: Path
) -> None:
    stop = threading.Event()

    def progress(what: str, _: int) -> None:
        if what == "article":  # the first article handed to the ingest: stop now (as a server shutdown does)
            stop.set()

    with Desk(fast(str(tmp_path / "stop.db"))) as desk, Watcher(desk, clock=clock) as watcher:
        add_sources(desk, newsroom.sources)
        cut = watcher.poll_once(stop=stop, progress=progress)
        assert cut.interrupted and "stopped before the end" in cut.line()
        assert cut.ingest is not None and 1 <= cut.ingest.added < 9
        assert all(i.source.last_fetch_at is None and i.counts.total == 0 for i in list_sources(desk))
        again = watcher.run(once=True)  # the next pass does the work again; the stored articles stay
        assert again is not None and not again.interrupted and again.ingest is not None
        assert again.ingest.added + cut.ingest.added == 9 and again.ingest.existing == cut.ingest.added
        assert all(i.source.last_status == "ok" for i in list_sources(desk))
        assert desk.count_stories() == 3
