"""Checks of a store's health and the repairs the store can make by itself (``storydesk doctor``).

What is checked:

* **integrity**: SQLite's ``PRAGMA integrity_check`` (Postgres checks its own pages; nothing to run);
* **full-text index**: SQLite's FTS5 index against the articles (``integrity-check`` with rank 1) and its
  three triggers; on Postgres the generated ``tsv`` column's GIN index exists and is valid;
* **schema**: the Alembic revision is the latest this code knows;
* **membership**: every article is in exactly one story (a member, or a folded near-duplicate listed
  with its canonical article's story), no story is without members, and no near-duplicate is folded into
  another near-duplicate.

What is repaired (:meth:`StoreDoctor.release_damaged_stories` and the ``repair_*`` methods): damaged
indexes are rebuilt (``REINDEX``), the full-text index is rebuilt, missing migrations applied, and every
story with a membership problem is deleted so that its articles are placed again by the next placement
(which the service runs at once, under the writer lock). A damaged table cannot be repaired here: restore
a backup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, delete, exists, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import aliased

from . import _schema as t
from ._database import Database, chunks, unique
from ._migrate import current_revisions, head_revision, upgrade_schema

__all__ = ["Membership", "StoreDoctor"]

_SQLITE_TRIGGERS = ("articles_fts_ai", "articles_fts_ad", "articles_fts_au")


@dataclass(frozen=True)
class Membership:
    """What is wrong with story membership (each list of ids sorted; empty lists: nothing)."""

    #: Articles listed in more than one story.
    in_several: list[str] = field(default_factory=list)
    #: Stories with no member article.
    empty_stories: list[str] = field(default_factory=list)
    #: Folded near-duplicates listed in a story other than their canonical article's, or not listed in
    #: the story their canonical article is a member of.
    stray_copies: list[str] = field(default_factory=list)
    #: Near-duplicates folded into an article that is itself folded.
    copy_chains: list[str] = field(default_factory=list)
    #: Articles in no story: not grouped yet (an ingest is running, or was interrupted).
    ungrouped: int = 0

    @property
    def damaged(self) -> bool:
        """Whether anything but ungrouped articles is wrong (those only need placing)."""
        return bool(self.in_several or self.empty_stories or self.stray_copies or self.copy_chains)


class StoreDoctor:
    """Reads a store's health and repairs what it can; every repair is one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- checks -------------------------------------------------------------------------------------------

    def integrity(self) -> list[str]:
        """Page-level problems (SQLite ``PRAGMA integrity_check``); empty when whole, and on Postgres."""
        if self._db.backend != "sqlite":
            return []
        with self._db.read() as conn:
            rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
        return [] if rows == ["ok"] else rows

    def fulltext(self) -> str | None:
        """What is wrong with the full-text index, or None."""
        with self._db.read() as conn:
            if self._db.backend == "sqlite":
                triggers = set(
                    conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"
                    ).scalars()
                )
                missing = [name for name in _SQLITE_TRIGGERS if name not in triggers]
                if missing:
                    return f"trigger(s) {', '.join(missing)} missing: new articles are not indexed"
                try:
                    conn.exec_driver_sql(
                        "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"
                    )
                except DBAPIError as exc:  # a mismatch reads "database disk image is malformed"
                    message = str(exc.orig).strip()
                    if "malformed" not in message and "corrupt" not in message:
                        raise
                    return f"out of step with the articles ({message})"
                finally:
                    conn.rollback()
                return None
            valid = conn.execute(
                text(
                    "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE c.relname = 'ix_articles_tsv' AND c.relnamespace = "
                    "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
                )
            ).scalar()
        if valid is None:
            return "the search index ix_articles_tsv is missing: searches read every article"
        if not valid:
            return "the search index ix_articles_tsv is invalid (an interrupted build)"
        return None

    def schema(self) -> tuple[tuple[str, ...], str]:
        """(the revisions the database is at, the latest this code knows)."""
        with self._db.read() as conn:
            return current_revisions(conn), head_revision()

    def membership(self) -> Membership:
        sa, d = t.story_articles, t.duplicates
        with self._db.read() as conn:
            if self._db.backend == "postgresql":  # one snapshot for every query below (SQLite's read is one)
                conn.execution_options(isolation_level="REPEATABLE READ")
            in_several = conn.execute(
                select(sa.c.article_id).group_by(sa.c.article_id).having(func.count() > 1)
            ).scalars()
            in_several_ids = sorted(in_several)
            member = aliased(sa)
            empty = conn.execute(
                select(t.stories.c.id).where(
                    ~exists().where(
                        and_(member.c.story_id == t.stories.c.id, member.c.duplicate_of.is_(None))
                    )
                )
            ).scalars()
            empty_ids = sorted(empty)
            # a folded copy belongs, as a copy, to the story its canonical article is a member of
            copy_row, canon_row = aliased(sa), aliased(sa)
            with_canonical = (
                exists()
                .select_from(copy_row.join(canon_row, canon_row.c.story_id == copy_row.c.story_id))
                .where(
                    copy_row.c.article_id == d.c.article_id,
                    copy_row.c.duplicate_of == d.c.canonical_id,
                    canon_row.c.article_id == d.c.canonical_id,
                    canon_row.c.duplicate_of.is_(None),
                )
            )
            canonical_placed = exists().where(
                sa.c.article_id == d.c.canonical_id, sa.c.duplicate_of.is_(None)
            )
            listed = exists().where(sa.c.article_id == d.c.article_id)
            stray = set(
                conn.execute(select(d.c.article_id).where(canonical_placed, ~with_canonical)).scalars()
            )
            stray.update(conn.execute(select(d.c.article_id).where(listed, ~with_canonical)).scalars())
            outer = aliased(d)
            chains = sorted(
                conn.execute(
                    select(d.c.article_id).where(exists().where(outer.c.article_id == d.c.canonical_id))
                ).scalars()
            )
            ungrouped = conn.execute(
                select(func.count())
                .select_from(t.articles)
                .where(~exists().where(sa.c.article_id == t.articles.c.id))
            ).scalar_one()
        return Membership(in_several_ids, empty_ids, sorted(stray), chains, int(ungrouped))

    # -- repairs ------------------------------------------------------------------------------------------

    def repair_fulltext(self) -> None:
        """Recreate what is missing of the full-text index and rebuild it from the articles."""
        with self._db.write() as conn:
            if self._db.backend == "sqlite":
                _recreate_sqlite_triggers(conn)
                conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            else:
                conn.execute(text("DROP INDEX IF EXISTS ix_articles_tsv"))
                conn.execute(text("CREATE INDEX ix_articles_tsv ON articles USING GIN (tsv)"))

    def repair_indexes(self) -> None:
        """Rebuild every index from its table (``REINDEX``): mends integrity problems that lie in indexes
        only ("row N missing from index ..."); a damaged table needs a backup."""
        with self._db.write() as conn:
            conn.exec_driver_sql("REINDEX")

    def repair_schema(self) -> None:
        """Apply the migrations the database lacks."""
        with self._db.write() as conn:
            upgrade_schema(conn, self._db.where)

    def release_damaged_stories(self, membership: Membership | None = None) -> tuple[int, int]:
        """Delete every story with a membership problem, so that its articles are placed again; point
        chained near-duplicates at the article their canonical was folded into (a cycle is unfolded).
        Returns (stories deleted, articles released), in one transaction."""
        found = membership or self.membership()
        if not found.damaged:
            return 0, 0
        sa, d = t.story_articles, t.duplicates
        with self._db.write() as conn:
            _flatten_copy_chains(conn)
            involved = set(found.in_several) | set(found.stray_copies)
            canonicals: set[str] = set()
            for chunk in chunks(sorted(involved)):
                canonicals.update(
                    conn.execute(select(d.c.canonical_id).where(d.c.article_id.in_(chunk))).scalars()
                )
            stories: set[str] = set(found.empty_stories)
            for chunk in chunks(sorted(involved | canonicals)):
                stories.update(
                    conn.execute(select(sa.c.story_id).where(sa.c.article_id.in_(chunk))).scalars()
                )
            released: set[str] = set()
            for chunk in chunks(sorted(stories)):
                released.update(
                    conn.execute(select(sa.c.article_id).where(sa.c.story_id.in_(chunk))).scalars()
                )
                for child in (t.story_articles, t.story_entities, t.briefings):
                    conn.execute(delete(child).where(child.c.story_id.in_(chunk)))
                conn.execute(delete(t.stories).where(t.stories.c.id.in_(chunk)))
        return len(stories), len(released)


def _flatten_copy_chains(conn: Connection) -> None:
    """Point each near-duplicate at the root of its chain; rows on a cycle are deleted (the articles are
    then placed again as articles of their own)."""
    d = t.duplicates
    mapping = {
        row.article_id: row.canonical_id for row in conn.execute(select(d.c.article_id, d.c.canonical_id))
    }
    changed: dict[str, str] = {}
    cycle: list[str] = []
    for copy, canonical in mapping.items():
        seen = {copy}
        root = canonical
        while root in mapping and root not in seen:
            seen.add(root)
            root = mapping[root]
        if root in seen:  # a cycle
            cycle.append(copy)
        elif root != canonical:
            changed[copy] = root
    for copy, root in changed.items():
        conn.execute(update(d).where(d.c.article_id == copy).values(canonical_id=root))
    for chunk in chunks(unique(cycle)):
        conn.execute(delete(d).where(d.c.article_id.in_(chunk)))


def _recreate_sqlite_triggers(conn: Connection) -> None:
    conn.exec_driver_sql(
        "CREATE TRIGGER IF NOT EXISTS articles_fts_ai AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER IF NOT EXISTS articles_fts_ad AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.seq, old.title, old.text); END"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER IF NOT EXISTS articles_fts_au AFTER UPDATE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.seq, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END"
    )
