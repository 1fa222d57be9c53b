"""`storydesk doctor` and `storydesk repair` on SQLite and Postgres, on stores the tests damage themselves
(issue #16): articles in two stories, a story without articles, articles in no story, a full-text index out
of step (or gone), a schema a migration behind, and (SQLite) an index that disagrees with its table."""

from __future__ import annotations

from pathlib import Path

from _store_state import assert_each_article_in_one_story, duc_rows, execute_sql, read_rows, write_jsonl
from click.testing import CliRunner, Result
from sqlalchemy import create_engine

from storydesk.cli import main
from storydesk.config import Settings
from storydesk.service import Desk
from storydesk.store import Store
from storydesk.store._migrate import _config, head_revision

SETS = ["--set", "embedder=tfidf", "--set", "facts=false", "--set", "workers=0"]


def _cli(*args: str) -> Result:
    return CliRunner().invoke(main, [*SETS, *args])


def _healthy(url: str, tmp_path: Path, n: int = 14) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", duc_rows(n))
    with Desk(Settings(db=url, embedder="tfidf", facts=False, workers=0)) as desk:
        desk.ingest([source])


def _lines(result: Result) -> dict[str, str]:
    """doctor's lines by check: 'ok' or 'FAIL' and what it found."""
    out = {}
    for line in result.stdout.splitlines():
        if line.startswith(("ok  ", "FAIL")):
            status, rest = line[:4].strip(), line[6:]
            out[rest[:17].strip()] = f"{status} {rest[17:].strip()}"
    return out


def test_doctor_finds_and_repair_mends_membership_grouping_fulltext_and_schema(
    store_url: str, tmp_path: Path
) -> None:
    _healthy(store_url, tmp_path)
    healthy = _cli("doctor", "--db", store_url)
    assert healthy.exit_code == 0, healthy.output
    assert all(v.startswith("ok") for v in _lines(healthy).values()), healthy.output

    stories = [s for (s,) in read_rows(store_url, "SELECT id FROM stories ORDER BY article_count DESC, id")]
    members = read_rows(
        store_url,
        f"SELECT article_id FROM story_articles WHERE story_id = '{stories[0]}' ORDER BY article_id",
    )
    moved, other, lost = members[0][0], stories[1], stories[-1]
    postgres = store_url.startswith("postgresql")
    execute_sql(
        store_url,
        # an article in two stories, as two writers without the lock left it
        f"INSERT INTO story_articles (story_id, article_id, duplicate_of) VALUES ('{other}', '{moved}', NULL)",
        # a story without articles
        "INSERT INTO stories (id, title, article_count, outlet_count, updated_at) "
        "VALUES ('feedfacefeedface', 'Empty', 0, 0, '2026-01-01T00:00:00+00:00')",
        # articles in no story, as a killed ingest left them
        f"DELETE FROM story_articles WHERE story_id = '{lost}'",
        f"DELETE FROM stories WHERE id = '{lost}'",
        # the full-text index out of step (SQLite: a trigger gone and an entry missing; Postgres: no index)
        *(
            ["DROP INDEX ix_articles_tsv"]
            if postgres
            else [
                "DROP TRIGGER articles_fts_ai",
                "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                "SELECT 'delete', seq, title, text FROM articles ORDER BY seq LIMIT 1",
            ]
        ),
    )
    ungrouped = len(
        read_rows(
            store_url,
            "SELECT id FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM story_articles m WHERE m.article_id = a.id)",
        )
    )
    assert ungrouped >= 1

    sick = _cli("doctor", "--db", store_url)
    assert sick.exit_code == 1, sick.output
    found = _lines(sick)
    assert found["story membership"] == "FAIL 1 articles in several stories; 1 stories without articles"
    assert found["grouping"] == f"FAIL {ungrouped} articles in no story (an interrupted ingest)"
    assert found["full-text index"].startswith("FAIL")
    listing = _cli("stories", "--db", store_url)  # readers say what is not grouped
    assert f"{ungrouped} article{'s' if ungrouped > 1 else ''} not yet grouped into stories" in listing.stderr

    repaired = _cli("repair", "--db", store_url)
    assert repaired.exit_code == 0, repaired.output
    assert "repaired: rebuilt the full-text index" in repaired.stdout
    assert "repaired: released 3 stories with inconsistent membership (1 articles in several stories, " in (
        repaired.stdout
    )
    assert "repaired: grouped " in repaired.stdout
    assert all(v.startswith("ok") for v in _lines(repaired).values()), repaired.output
    assert_each_article_in_one_story(store_url)
    again = _cli("doctor", "--db", store_url)
    assert again.exit_code == 0 and "FAIL" not in again.stdout, again.output
    title = read_rows(store_url, "SELECT title FROM articles ORDER BY seq LIMIT 1")[0][0]
    with Store.open(store_url) as store:  # the entry that was missing is found again
        assert any(h.title == title for h in store.search(title.split()[0] if title else "the", limit=500))


def test_doctor_reports_an_old_schema_without_migrating_it_and_repair_migrates(
    store_url: str, tmp_path: Path
) -> None:
    _healthy(store_url, tmp_path, n=4)
    _downgrade(store_url, "0001")  # every later migration undone by its own downgrade
    latest = head_revision()
    sick = _cli("doctor", "--db", store_url)
    assert sick.exit_code == 1, sick.output
    assert _lines(sick)["schema"] == f"FAIL at 0001, latest {latest}"
    assert read_rows(store_url, "SELECT version_num FROM alembic_version") == [("0001",)]  # untouched
    repaired = _cli("repair", "--db", store_url)
    assert repaired.exit_code == 0, repaired.output
    assert f"repaired: migrated the schema from 0001 to {latest}" in repaired.stdout
    assert read_rows(store_url, "SELECT count(*) FROM sources") == [(0,)]


def test_repair_rebuilds_an_index_that_disagrees_with_its_table(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    url = f"sqlite:///{db}"
    _healthy(url, tmp_path, n=6)
    import sqlite3

    con = sqlite3.connect(db)
    con.isolation_level = None
    con.execute("PRAGMA writable_schema = 1")  # the index now claims to hold titles; it holds outlets
    con.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_articles_outlet ON articles (title)' "
        "WHERE name = 'ix_articles_outlet'"
    )
    con.execute("PRAGMA writable_schema = 0")
    con.close()
    sick = _cli("doctor", "--db", url)
    assert sick.exit_code == 1
    assert _lines(sick)["integrity"].startswith("FAIL 6 problem(s), first: row 1 missing from index")
    repaired = _cli("repair", "--db", url)
    assert repaired.exit_code == 0, repaired.output
    assert "repaired: rebuilt the indexes (6 problems found in them)" in repaired.stdout
    assert _lines(repaired)["integrity"] == "ok ok"


def test_doctor_while_an_ingest_holds_the_store_counts_its_articles_as_pending(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    _healthy(url, tmp_path, n=4)
    execute_sql(url, "DELETE FROM story_articles", "DELETE FROM stories")
    with Store.open(url) as store, store.writer_lock(timeout=0):
        result = _cli("doctor", "--db", url)
        busy = _cli("--set", "lock_timeout=0", "repair", "--db", url)
    assert result.exit_code == 0, result.output
    assert "articles not grouped yet: another ingest (pid " in _lines(result)["grouping"]
    assert busy.exit_code == 3
    assert "is still writing after 0 s of waiting" in busy.stderr and "lock_timeout" in busy.stderr


def test_doctor_and_repair_do_not_create_a_store_that_is_not_there(tmp_path: Path) -> None:
    for command in ("doctor", "repair"):
        result = _cli(command, "--db", str(tmp_path / "typo.db"))
        assert result.exit_code == 3 and "no store there (nothing to check)" in result.stderr
    assert not (tmp_path / "typo.db").exists()


def _downgrade(store_url: str, revision: str) -> None:
    """Take a store back to an older schema with the migrations' own downgrades (as an old storydesk left it)."""
    from alembic import command

    engine = create_engine(store_url)
    try:
        with engine.begin() as connection:
            command.downgrade(_config(connection), revision)
    finally:
        engine.dispose()
