"""The backend-neutral store tests (test_store_api.py), run against a real Postgres.

Start one with ``scripts/start-postgres.sh`` (as root) and export the URL it prints as
``STORYDESK_TEST_PG_URL``. Each test runs in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from test_store_api import *  # noqa: F403  (the same tests, collected again here)
from test_store_api import make_article

from storydesk.store import Store

PG_URL = os.environ.get("STORYDESK_TEST_PG_URL", "")

if not PG_URL:
    pytest.skip(
        "Postgres store tests need STORYDESK_TEST_PG_URL "
        "(run `sudo scripts/start-postgres.sh` and export the URL it prints)",
        allow_module_level=True,
    )


@pytest.fixture
def store_url() -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def test_postgres_backend_and_text_search_index(store: Store) -> None:
    assert store.backend == "postgresql"
    store.add_article(make_article(1, text="Storm surge floods the seafront."))
    with store.engine.connect() as conn:
        indexes = conn.execute(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'articles'")
        ).scalars()
        assert "ix_articles_tsv" in set(indexes)
    assert [h.article_id for h in store.search("flooding seafront")] == ["art00001"]
