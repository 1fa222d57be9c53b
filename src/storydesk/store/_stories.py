"""Stories: one row each, their members and folded copies, their actors, their related stories (same
subject) and their cached briefing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, union
from sqlalchemy.exc import IntegrityError

from ..errors import NotFoundError, StoreError
from ..model import AnalysisBlob, Story
from . import _schema as t
from ._analyses import write_analyses
from ._database import Database, chunks, clamp_rows, now, unique
from ._fulltext import FullTextSearch
from ._records import StoryRow

__all__ = ["StoryRepository"]

_COLUMNS = (
    t.stories.c.id,
    t.stories.c.title,
    t.stories.c.first_published,
    t.stories.c.last_published,
    t.stories.c.article_count,
    t.stories.c.outlet_count,
    t.stories.c.lead,
    t.stories.c.updated_at,
)


def _story_from_row(row: Any) -> StoryRow:
    return StoryRow(
        id=row.id,
        title=row.title,
        first_published=row.first_published,
        last_published=row.last_published,
        article_count=row.article_count,
        outlet_count=row.outlet_count,
        lead=row.lead,
        updated_at=row.updated_at,
    )


def _like_pattern(needle: str) -> str:
    escaped = needle.replace("\x00", "").lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _until_bound(until: str) -> tuple[str, bool]:
    """(bound, inclusive): a bare date ``YYYY-MM-DD`` covers the whole day."""
    try:
        day = date.fromisoformat(until)
    except ValueError:
        return until, True
    if len(until) != 10:
        return until, True
    return (day + timedelta(days=1)).isoformat(), False


class StoryRepository:
    """The ``stories`` table with ``story_articles``, ``story_entities``, ``story_links`` and ``briefings``."""

    def __init__(self, db: Database, fulltext: FullTextSearch) -> None:
        self._db = db
        self._fulltext = fulltext

    # -- writing -------------------------------------------------------------------------------------

    def replace(
        self,
        story: Story,
        *,
        title: str,
        first_published: str | None,
        last_published: str | None,
        outlet_count: int,
        lead: str | None = None,
        briefing_json: str | None = None,
        entities: Iterable[tuple[str, str]] = (),
        analyses: Sequence[AnalysisBlob] = (),
    ) -> None:
        """Insert or replace one story, its members, its actors, its related stories, its cached
        briefing and the stored analyses its briefing made (``analyses``, #17), in one transaction.

        Members are ``story.article_ids`` plus the near-duplicates in ``story.duplicates``; ``entities``
        are ``(name, type)`` pairs used by the ``actor`` filter; ``story.related`` the stories of the same
        subject, most alike first (they need not be stored yet). ``briefing_json=None`` drops any cached
        briefing (it would describe the old membership).
        """
        stamp = now()
        members = unique(story.article_ids)
        dup_rows: dict[str, str] = {}
        for canonical, dups in story.duplicates.items():
            for dup in dups:
                if dup not in dup_rows and dup not in members:
                    dup_rows[dup] = canonical
        story_row = {
            "id": story.id,
            "title": title,
            "first_published": first_published,
            "last_published": last_published,
            "article_count": len(members),
            "outlet_count": outlet_count,
            "lead": lead,
            "updated_at": stamp,
        }
        try:
            with self._db.write() as conn:
                conn.execute(delete(t.story_articles).where(t.story_articles.c.story_id == story.id))
                conn.execute(delete(t.story_entities).where(t.story_entities.c.story_id == story.id))
                conn.execute(delete(t.story_links).where(t.story_links.c.story_id == story.id))
                stmt = self._db.insert(t.stories).values(story_row)
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["id"],
                        set_={k: stmt.excluded[k] for k in story_row if k != "id"},
                    )
                )
                rows = [{"story_id": story.id, "article_id": a, "duplicate_of": None} for a in members]
                rows += [
                    {"story_id": story.id, "article_id": d, "duplicate_of": c} for d, c in dup_rows.items()
                ]
                if rows:
                    conn.execute(t.story_articles.insert(), rows)
                entity_rows = [
                    {"story_id": story.id, "name": name, "type": str(kind)}
                    for name, kind in dict.fromkeys((n, k) for n, k in entities if n)
                ]
                if entity_rows:
                    conn.execute(t.story_entities.insert(), entity_rows)
                related = [r for r in unique(story.related) if r != story.id]
                if related:
                    conn.execute(
                        t.story_links.insert(),
                        [{"story_id": story.id, "related_id": r, "rank": k} for k, r in enumerate(related)],
                    )
                write_analyses(self._db, conn, analyses)
                if briefing_json is None:
                    conn.execute(delete(t.briefings).where(t.briefings.c.story_id == story.id))
                else:
                    bstmt = self._db.insert(t.briefings).values(
                        story_id=story.id, json=briefing_json, updated_at=stamp
                    )
                    conn.execute(
                        bstmt.on_conflict_do_update(
                            index_elements=["story_id"],
                            set_={"json": bstmt.excluded.json, "updated_at": bstmt.excluded.updated_at},
                        )
                    )
        except StoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise StoreError(
                    f"{self._db.where}: story {story.id} names an article that is not stored; "
                    "store every article before its story"
                ) from exc.__cause__
            raise

    def delete(self, ids: Iterable[str]) -> int:
        """Delete stories (with their members, actors, briefings and the links naming them either way);
        returns how many existed."""
        deleted = 0
        wanted = unique(ids)
        if not wanted:
            return 0
        with self._db.write() as conn:
            for chunk in chunks(wanted):
                for child in (t.story_articles, t.story_entities, t.story_links, t.briefings):
                    conn.execute(delete(child).where(child.c.story_id.in_(chunk)))
                conn.execute(delete(t.story_links).where(t.story_links.c.related_id.in_(chunk)))
                deleted += conn.execute(delete(t.stories).where(t.stories.c.id.in_(chunk))).rowcount
        return deleted

    # -- reading one ---------------------------------------------------------------------------------

    def get(self, story_id: str) -> StoryRow:
        if "\x00" in story_id:
            raise NotFoundError("story", story_id)
        with self._db.read() as conn:
            row = conn.execute(select(*_COLUMNS).where(t.stories.c.id == story_id)).first()
        if row is None:
            raise NotFoundError("story", story_id)
        return _story_from_row(row)

    def members(self, story_id: str) -> Story:
        """The story record as last stored: member ids (by publication date) and folded duplicates."""
        self.get(story_id)
        with self._db.read() as conn:
            rows = conn.execute(
                select(t.story_articles.c.article_id, t.story_articles.c.duplicate_of)
                .join(t.articles, t.articles.c.id == t.story_articles.c.article_id)
                .where(t.story_articles.c.story_id == story_id)
                .order_by(t.articles.c.published.is_(None), t.articles.c.published, t.articles.c.id)
            ).all()
        members = tuple(r.article_id for r in rows if r.duplicate_of is None)
        dups: dict[str, tuple[str, ...]] = {}
        for r in rows:
            if r.duplicate_of is not None:
                dups[r.duplicate_of] = (*dups.get(r.duplicate_of, ()), r.article_id)
        return Story(id=story_id, article_ids=members, duplicates=dups)

    def related(self, story_id: str) -> list[str]:
        """The stored stories of the same subject as this one: those it lists (most alike first), then
        those listing it (by id). NotFoundError if the story is not stored."""
        self.get(story_id)
        links = t.story_links.c
        with self._db.read() as conn:
            listed = conn.execute(
                select(links.related_id)
                .join(t.stories, t.stories.c.id == links.related_id)
                .where(links.story_id == story_id)
                .order_by(links.rank)
            ).scalars()
            out = list(dict.fromkeys(listed))
            listing = conn.execute(
                select(links.story_id).where(links.related_id == story_id).order_by(links.story_id)
            ).scalars()
            out += [s for s in listing if s not in out and s != story_id]
        return out

    def briefing_json(self, story_id: str) -> str:
        """The cached briefing of a story as JSON text; NotFoundError if none is cached."""
        if "\x00" in story_id:
            raise NotFoundError("briefing", story_id)
        with self._db.read() as conn:
            value = conn.execute(
                select(t.briefings.c.json).where(t.briefings.c.story_id == story_id)
            ).scalar()
        if value is None:
            raise NotFoundError("briefing", story_id)
        return str(value)

    # -- reading many --------------------------------------------------------------------------------

    def assignments(self) -> dict[str, str]:
        """Article id → story id for every story member (folded near-duplicates not included)."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(t.story_articles.c.article_id, t.story_articles.c.story_id).where(
                    t.story_articles.c.duplicate_of.is_(None)
                )
            )
            return {row.article_id: row.story_id for row in rows}

    def for_article(self, article_id: str) -> list[StoryRow]:
        """Stories holding the article, as a member or as a folded near-duplicate."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(*_COLUMNS)
                .join(t.story_articles, t.story_articles.c.story_id == t.stories.c.id)
                .where(t.story_articles.c.article_id == article_id)
                .order_by(t.stories.c.id)
            )
            return [_story_from_row(row) for row in rows]

    def find(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        q: str | None = None,
        related: str | None = None,
    ) -> list[StoryRow]:
        """Stories, newest first by last publication (undated last); all of them unless ``limit``.

        ``since``: still reported on or after this ISO date/time (``last_published >= since``);
        ``until``: begun on or before it (a bare ``YYYY-MM-DD`` includes that whole day); ``actor``: has
        an actor whose name contains this text (case-insensitive); ``q``: has an article matching this
        full-text query, or a title containing it; ``related``: of the same subject as the story of this
        id (it lists them, or they list it; the story itself not included).
        """
        query = self._filtered(select(*_COLUMNS), since=since, until=until, actor=actor, q=q, related=related)
        query = (
            query.order_by(
                t.stories.c.last_published.is_(None), t.stories.c.last_published.desc(), t.stories.c.id
            )
            .limit(None if limit is None else clamp_rows(limit))
            .offset(clamp_rows(offset))
        )
        with self._db.read() as conn:
            return [_story_from_row(row) for row in conn.execute(query)]

    def count(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        actor: str | None = None,
        q: str | None = None,
        related: str | None = None,
    ) -> int:
        """How many stories :meth:`find` would list without ``limit``."""
        query = self._filtered(
            select(func.count()).select_from(t.stories),
            since=since,
            until=until,
            actor=actor,
            q=q,
            related=related,
        )
        with self._db.read() as conn:
            return int(conn.execute(query).scalar_one())

    def _filtered(
        self,
        query: Select[Any],
        *,
        since: str | None,
        until: str | None,
        actor: str | None,
        q: str | None,
        related: str | None = None,
    ) -> Select[Any]:
        s = t.stories.c
        if related is not None:
            links = t.story_links.c
            query = query.where(
                s.id.in_(
                    union(
                        select(links.related_id).where(links.story_id == related),
                        select(links.story_id).where(links.related_id == related),
                    )
                ),
                s.id != related,
            )
        if since:
            query = query.where(s.last_published >= since)
        if until:
            bound, inclusive = _until_bound(until)
            query = query.where(s.first_published <= bound if inclusive else s.first_published < bound)
        if actor and actor.strip():
            query = query.where(
                s.id.in_(
                    select(t.story_entities.c.story_id).where(
                        func.lower(t.story_entities.c.name).like(_like_pattern(actor.strip()), escape="\\")
                    )
                )
            )
        if q and q.strip():
            in_title = func.lower(s.title).like(_like_pattern(q.strip()), escape="\\")
            members = select(t.story_articles.c.story_id).join(
                t.articles, t.articles.c.id == t.story_articles.c.article_id
            )
            query = query.where(or_(in_title, s.id.in_(members.where(self._fulltext.condition(q)))))
        return query
