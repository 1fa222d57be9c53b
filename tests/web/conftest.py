"""Fixtures for the web tests: a store seeded with invented stories, and a real uvicorn server on 127.0.0.1.

``seed_story`` writes articles and a briefing straight through the store API (fast and independent of the
heavy stages); the tests that exercise the real ingest path call ``Desk.ingest_items`` or the POST endpoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _followed import Followed, Site, follow
from _web import Seeded, seeded_desk, serve


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Seeded]:
    sd = seeded_desk(tmp_path)
    yield sd
    sd.desk.close()


@pytest.fixture
def live(seeded: Seeded) -> Iterator[tuple[str, Seeded]]:
    with serve(seeded.settings, seeded.desk) as server:
        yield server.url, seeded


@pytest.fixture
def followed(tmp_path: Path) -> Iterator[Followed]:
    """A seeded store that follows the feed server's sources (one failing, one with a hostile title),
    polled once."""
    sd = seeded_desk(tmp_path, workers=0, fetch_timeout=2.0)
    with Site() as site:
        yield follow(sd, site)
    sd.desk.close()
