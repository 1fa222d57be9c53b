"""Helpers of the live-sources tests: a clock the tests move, plumbing settings, a newsroom site."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from _site import (
    Site,
    Story,
    atom,
    content_html,
    json_feed,
    news_sitemap,
    page_html,
    rss,
    sitemap_index,
    story_articles,
    teaser,
)

from storydesk.config import Settings


class Clock:
    """Now, as far as a Watcher knows; starts at the real time and moves only when told."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def fast(db: str, **changes: object) -> Settings:
    """Plumbing settings: hashing vectors, no facts layer, no worker processes."""
    return Settings(db=db, embedder="tfidf", facts=False, workers=0, fetch_timeout=2.0).replace(**changes)


@dataclass
class Newsroom:
    """A site with a full-text RSS feed (the flood story), a teaser Atom feed whose pages hold the full
    text (the bridge story, one entry repeated with tracking parameters), a teaser JSON Feed (the chess
    article), and a news sitemap index listing one bridge page again."""

    site: Site
    stories: list[Story]
    pages: dict[str, str] = field(default_factory=dict)  # slug -> page URL

    @property
    def sources(self) -> list[str]:
        return [
            self.site.url("/feeds/full.xml"),
            self.site.url("/feeds/teasers.atom"),
            self.site.url("/feeds/chess.json"),
            self.site.url("/sitemap-index.xml"),
        ]

    def page_paths(self) -> list[str]:
        return [f"/articles/{s.slug}" for s in self.stories]

    def full_feed(self) -> bytes:
        flood = [s for s in self.stories if s.slug.startswith("flood")]
        return rss(
            "Flood Wire",
            [
                {
                    "title": s.title,
                    "link": self.pages[s.slug],
                    "published": s.published,
                    "summary": teaser(s),
                    "content": content_html(s),
                }
                for s in flood
            ],
        )


def build_newsroom(site: Site, now: datetime) -> Newsroom:
    stories = story_articles(now)
    room = Newsroom(site, stories)
    for s in stories:
        room.pages[s.slug] = site.url(f"/articles/{s.slug}")
        site.route(f"/articles/{s.slug}", body=page_html(s, room.pages[s.slug]))
    site.route("/robots.txt", body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.route("/feeds/full.xml", body=room.full_feed(), content_type="application/rss+xml", etag='"full-1"')
    bridge = [s for s in stories if s.slug.startswith("bridge")]
    items = [
        {
            "title": s.title,
            "link": room.pages[s.slug] + "?utm_source=atom&utm_medium=feed",
            "published": s.published,
            "summary": teaser(s),
        }
        for s in bridge
    ]
    items.append({**items[0], "link": room.pages[bridge[0].slug] + "?fbclid=XYZ#top"})  # the same page again
    site.route(
        "/feeds/teasers.atom",
        body=atom("Bridge Wire", items),
        content_type="application/atom+xml",
        last_modified="Fri, 01 Mar 2024 12:00:00 GMT",
    )
    chess = stories[-1]
    site.route(
        "/feeds/chess.json",
        content_type="application/feed+json",
        body=json_feed(
            "Village Voice",
            [
                {
                    "title": chess.title,
                    "link": room.pages[chess.slug],
                    "published": chess.published,
                    "summary": teaser(chess),
                }
            ],
        ),
    )
    site.route(
        "/sitemap-index.xml",
        content_type="application/xml",
        body=sitemap_index([(site.url("/sitemaps/news.xml"), now - timedelta(hours=2))]),
    )
    site.route(
        "/sitemaps/news.xml",
        content_type="application/xml",
        body=news_sitemap(
            [(room.pages[bridge[1].slug], bridge[1].title, bridge[1].published)], publication=bridge[1].outlet
        ),
    )
    return room
