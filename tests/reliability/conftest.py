"""Fixtures of the reliability suite: a fresh store on each backend (a SQLite file in tmp_path; a schema of
its own on the throw-away Postgres named by ``STORYDESK_TEST_PG_URL``, dropped afterwards)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _store_state import BACKENDS, pg_schema


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store: a SQLite file, or a Postgres schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with pg_schema() as url:
        yield url
