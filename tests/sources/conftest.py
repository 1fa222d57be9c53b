"""Fixtures for the live-sources tests: a clock the tests move, a store per backend, a newsroom site."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from _newsroom import Clock, Newsroom, build_newsroom
from _site import Site


@pytest.fixture
def clock() -> Clock:
    return Clock()


PG_URL = os.environ.get("STORYDESK_TEST_PG_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh store URL on each backend (Postgres: a schema of its own, when STORYDESK_TEST_PG_URL is set)."""
    if request.param == "sqlite":
        yield str(tmp_path / "watch.db")
        return
    if not PG_URL:
        pytest.skip("Postgres tests need STORYDESK_TEST_PG_URL")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = make_url(PG_URL).set(drivername="postgresql+psycopg")
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def newsroom(clock: Clock) -> Iterator[Newsroom]:
    with Site() as site:
        yield build_newsroom(site, clock.now)
