"""Live sources for the web tests: the feed server and newsroom of tests/sources (also used by bench/),
sources followed and polled once into a seeded store, and a story written again after a moment."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from _web import LIBRARY, Seeded, seed_story

from _paths import TESTS
from storydesk.service import Watcher, add_sources

sys.path.insert(0, str(TESTS / "sources"))
from _newsroom import Clock, Newsroom, build_newsroom, fast  # noqa: E402
from _site import Site, json_feed, rss  # noqa: E402

__all__ = [
    "Clock",
    "Followed",
    "HOSTILE_TITLE",
    "Newsroom",
    "Site",
    "build_newsroom",
    "fast",
    "follow",
    "resave_after",
    "rss",
    "stamp",
]

HOSTILE_TITLE = 'Vale <img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'


@dataclass
class Followed:
    seeded: Seeded
    room: Newsroom
    clock: Clock

    @property
    def site(self) -> Site:
        return self.room.site


def follow(seeded: Seeded, site: Site) -> Followed:
    """The newsroom's four sources, a source that answers 500 and a feed with a hostile title, polled once."""
    clock = Clock()
    room = build_newsroom(site, clock.now)
    site.route("/broken.xml", status=500, body=b"oops", content_type="text/plain")
    site.route("/hostile.json", body=json_feed(HOSTILE_TITLE, []), content_type="application/feed+json")
    urls = [*room.sources, site.url("/broken.xml"), site.url("/hostile.json")]
    add_sources(seeded.desk, urls, tags=["News/World"])
    with Watcher(seeded.desk, clock=clock) as watcher:
        report = watcher.run(once=True)
    assert report is not None and report.fetched == 5 and report.errors == 1
    return Followed(seeded, room, clock)


def stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def resave_after(seeded: Seeded, baseline: str) -> None:
    """Write the library story again once the clock (to the second) is past ``baseline``."""
    while stamp(datetime.now(UTC)) <= baseline:
        time.sleep(0.05)
    seed_story(seeded.desk, LIBRARY, cite="children queued")
