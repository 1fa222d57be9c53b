"""What a store holds, read with plain SQL (around storydesk's own code, so that the tests check it rather
than trust it), the Postgres schema of a test, and the public articles the tests ingest."""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from _paths import SHARED_DATA

PG_URL = os.environ.get("STORYDESK_TEST_PG_URL", "")

#: The backends a store test runs on (Postgres only where STORYDESK_TEST_PG_URL names one).
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(not PG_URL, reason="Postgres tests need STORYDESK_TEST_PG_URL"),
    ),
]


class pg_schema:
    """A Postgres URL whose ``search_path`` is a new schema, dropped on exit."""

    def __enter__(self) -> str:
        self.schema = f"rel_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(make_url(PG_URL).set(drivername="postgresql+psycopg"))
        with self.admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {self.schema}"))
        url = make_url(PG_URL).set(drivername="postgresql+psycopg")
        url = url.update_query_dict({"options": f"-csearch_path={self.schema}"})
        return url.render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {self.schema} CASCADE"))
        self.admin.dispose()


def read_rows(url: str, sql: str) -> list[tuple]:
    """Rows of one SQL query on the store at ``url`` (its own short-lived engine)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def story_of_each(url: str) -> dict[str, list[str]]:
    """Every stored article → the stories listing it (as a member or a folded copy)."""
    out: dict[str, list[str]] = {a: [] for (a,) in read_rows(url, "SELECT id FROM articles")}
    for article, story in read_rows(url, "SELECT article_id, story_id FROM story_articles"):
        out[article].append(story)
    return out


def assert_each_article_in_one_story(url: str) -> dict[str, str]:
    """Assert every stored article is in exactly one story and no story is empty; article → story."""
    stories = story_of_each(url)
    counts = Counter(len(s) for s in stories.values())
    assert counts.keys() <= {1}, f"articles by number of stories holding them: {dict(counts)}"
    empty = read_rows(
        url,
        "SELECT id FROM stories s WHERE NOT EXISTS "
        "(SELECT 1 FROM story_articles m WHERE m.story_id = s.id AND m.duplicate_of IS NULL)",
    )
    assert not empty, f"stories without articles: {empty[:5]}"
    return {a: s[0] for a, s in stories.items()}


def duc_rows(n: int, *, start: int = 0) -> list[dict]:
    """``n`` articles of the DUC story-clustering gold set (public data), from ``start``, as JSONL rows."""
    rows = []
    with (SHARED_DATA / "stories" / "duc-stories.jsonl").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= start + n:
                break
            if i >= start:
                r = json.loads(line)
                rows.append({k: r[k] for k in ("title", "text", "outlet", "published") if r.get(k)})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def execute_sql(url: str, *statements: str) -> None:
    """Run raw SQL statements against a store (to damage or roll it back), in one transaction."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()
