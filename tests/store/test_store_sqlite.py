"""SQLite specifics: pragmas, file handling, schema vs. migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from storydesk.errors import StoreError
from storydesk.store import Store
from storydesk.store._schema import metadata


def test_sqlite_runs_in_wal_with_foreign_keys(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_parent_folders_are_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c" / "store.db"
    with Store.open(f"sqlite:///{target}") as store:
        assert store.article_count() == 0
    assert target.is_file()


def test_a_file_that_is_not_a_database_is_refused_by_name(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("These are my notes, not a database.\n" * 50, encoding="utf-8")
    with pytest.raises(StoreError, match="not a SQLite database") as info:
        Store.open(f"sqlite:///{bogus}")
    assert str(bogus) in str(info.value)
    assert bogus.read_text(encoding="utf-8").startswith("These are my notes")  # left untouched


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Store.open(f"sqlite:///{tmp_path}")


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    with Store.open(f"sqlite:///{empty}") as store:
        assert store.article_count() == 0


def test_other_databases_are_refused() -> None:
    with pytest.raises(StoreError, match="unsupported"):
        Store.open("mysql://localhost/x")
    with pytest.raises(StoreError, match="not a database URL"):
        Store.open("::::")


def test_schema_module_matches_the_migrations(store: Store) -> None:
    def include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        return not (
            type_ == "table"
            and name is not None
            and (name.startswith("articles_fts") or name == "alembic_version")
        )

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_object": include}), metadata)
    assert diff == []


def test_full_text_index_stays_consistent(store: Store) -> None:
    from test_store_api import make_article

    for i in range(30):
        store.add_article(make_article(i))
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')"))
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_store_package_exports() -> None:
    import storydesk.store as package

    assert sorted(package.__all__) == ["Membership", "SearchHit", "Store", "StoryRow"]
    assert all(hasattr(package, name) for name in package.__all__)
