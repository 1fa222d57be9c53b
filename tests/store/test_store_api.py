"""Store behaviour common to every backend (tests/store/test_postgres.py runs these on Postgres too)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy import inspect, text

from storydesk.errors import NotFoundError, StoreError
from storydesk.model import AnalysisBlob, Article, Failure, Story
from storydesk.store import SearchHit, Store
from storydesk.store._migrate import head_revision

HOSTILE_QUERIES = [
    '"',
    '""',
    '"unbalanced quote',
    "*",
    "flood*",
    "NEAR(",
    "NEAR(flood river, 2)",
    "OR",
    "AND",
    "NOT",
    "flood OR",
    "OR flood",
    "- -- -",
    "title:flood",
    "^flood",
    "(flood",
    "flood)",
    "'; DROP TABLE articles; --",
    "\\",
    "%_%",
    "ñandú über café",
    "\x00",
]


def make_article(i: int, **changes: object) -> Article:
    fields: dict[str, object] = {
        "id": f"art{i:05d}",
        "title": f"Council vote number {i}",
        "text": f"The council met on day {i}.\n\nResidents asked questions about item {i}.",
        "outlet": f"Outlet {i % 3}",
        "published": f"2024-03-{1 + i % 28:02d}T10:00:00",
        "url": f"https://news.example/{i}",
        "path": None,
        "author": None,
        "language": "en",
        "removed": (),
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def add_story(store: Store, story_id: str, ids: tuple[str, ...], **kw: object) -> Story:
    story = Story(id=story_id, article_ids=ids, duplicates=kw.pop("duplicates", {}))  # type: ignore[arg-type]
    params: dict[str, object] = {
        "title": f"Story {story_id}",
        "first_published": "2024-03-01T10:00:00",
        "last_published": "2024-03-02T10:00:00",
        "outlet_count": 2,
        "lead": f"Lead of {story_id}.",
        "briefing_json": json.dumps({"story_id": story_id}),
    }
    params.update(kw)
    store.replace_story(story, **params)  # type: ignore[arg-type]
    return story


def test_round_trip_keeps_every_field(store: Store) -> None:
    article = Article(
        id="a1",
        title="Bridge reopens — «finally»",
        text='First paragraph with ünïcödé and emoji 🌉.\n\nSecond paragraph; "quoted" text.\n\n  Indented.',
        outlet="The Daily Example",
        published="2024-05-01T08:30:00+02:00",
        url="https://example.org/bridge?x=1&y=2",
        path="/data/in/bridge.html",
        author="Jane Roe, John Doe",
        language="en",
        removed=("Share this article", "© 2024 Example Media", ""),
    )
    assert store.add_article(article) is True
    assert store.get_article("a1") == article
    assert list(store.iter_articles()) == [article]
    assert store.has_article("a1")
    assert not store.has_article("a2")


def test_round_trip_with_all_optional_fields_empty(store: Store) -> None:
    article = Article(id="bare", title="", text="Only text.")
    store.add_article(article)
    assert store.get_article("bare") == article


def test_adding_the_same_id_again_changes_nothing(store: Store) -> None:
    first = make_article(1)
    assert store.add_article(first) is True
    changed = make_article(1, title="A different title", text="Different text entirely.")
    assert store.add_article(changed) is False
    assert store.get_article(first.id) == first
    assert store.article_count() == 1
    assert store.search("different") == []


def test_add_articles_stores_a_batch_in_one_go_and_leaves_stored_ids_alone(store: Store) -> None:
    first = make_article(1)
    store.add_article(first)
    batch = [
        make_article(1, title="Changed"),
        make_article(2),
        make_article(3, title="Floods close the road"),
    ]
    store.add_articles(batch)
    store.add_articles([])
    assert store.article_count() == 3
    assert store.get_article(first.id) == first  # an existing id is never changed
    assert store.get_article("art00003") == batch[2]
    assert [h.article_id for h in store.search("flooding")] == ["art00003"]  # indexed for search too
    assert {a.id for a in store.iter_unplaced()} == {"art00001", "art00002", "art00003"}


def test_unknown_article_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError) as info:
        store.get_article("nope")
    assert info.value.ident == "nope"
    for odd in ("\x00", "'; --", "%"):
        with pytest.raises(NotFoundError):
            store.get_article(odd)
        with pytest.raises(NotFoundError):
            store.get_story(odd)
        with pytest.raises(NotFoundError):
            store.get_briefing_json(odd)


def test_iter_articles_orders_by_published_then_id_and_filters_ids(store: Store) -> None:
    arts = [
        make_article(1, published="2024-03-05"),
        make_article(2, published="2024-03-01"),
        make_article(3, published=None),
        make_article(4, published="2024-03-01"),
    ]
    for a in arts:
        store.add_article(a)
    assert [a.id for a in store.iter_articles()] == ["art00002", "art00004", "art00001", "art00003"]
    picked = [a.id for a in store.iter_articles(ids=["art00003", "art00001", "missing", "art00001"])]
    assert picked == ["art00001", "art00003"]
    assert store.article_count() == 4


def test_vectors_are_float32_and_per_model(store: Store) -> None:
    vec = np.array([0.25, -1.5, 3.0], dtype=np.float64)
    store.add_article(make_article(1), vector=vec, model="minilm")
    store.add_article(make_article(2))
    got = store.get_vectors(["art00001", "art00002"], "minilm")
    assert list(got) == ["art00001"]
    assert got["art00001"].dtype == np.float32
    np.testing.assert_array_equal(got["art00001"], vec.astype(np.float32))
    assert store.get_vectors(["art00001"], "tfidf") == {}
    store.put_vectors({"art00002": np.ones(3)}, "minilm")
    assert set(store.get_vectors(["art00001", "art00002"], "minilm")) == {"art00001", "art00002"}
    with pytest.raises(StoreError):
        store.add_article(make_article(3), vector=vec, model=None)


def test_mostly_zero_vectors_are_stored_sparse_and_read_back_whole(store: Store) -> None:
    sparse = np.zeros(4096, dtype=np.float32)
    sparse[[3, 700, 4095]] = [0.5, -0.25, 1.0]
    dense = np.linspace(-1, 1, 4096, dtype=np.float32)
    empty = np.zeros(4096, dtype=np.float32)
    for n, vec in ((1, sparse), (2, dense), (3, empty)):
        store.add_article(make_article(n), vector=vec, model="tfidf")
    with store.engine.connect() as conn:
        sizes = dict(conn.execute(text("SELECT article_id, length(data) FROM vectors")).all())
    assert sizes == {"art00001": 3 * 8, "art00002": 4096 * 4, "art00003": 0}
    got = store.get_vectors(["art00001", "art00002", "art00003"], "tfidf")
    for n, vec in ((1, sparse), (2, dense), (3, empty)):
        assert got[f"art{n:05d}"].dtype == np.float32
        np.testing.assert_array_equal(got[f"art{n:05d}"], vec)
    store.replace_story(
        Story("s1", ("art00001", "art00002")),
        title="t",
        first_published=None,
        last_published=None,
        outlet_count=1,
    )
    placed = {a.id: v for a, v, _ in store.iter_placed("tfidf")}
    np.testing.assert_array_equal(placed["art00001"], sparse)
    np.testing.assert_array_equal(placed["art00002"], dense)


def test_search_finds_stems_and_marks_matches(store: Store) -> None:
    store.add_article(
        make_article(1, title="Floods close the river road", text="Heavy rain flooded the valley.")
    )
    store.add_article(make_article(2, title="Budget approved", text="The council approved the budget."))
    hits = store.search("flooding")
    assert [h.article_id for h in hits] == ["art00001"]
    hit = hits[0]
    assert isinstance(hit, SearchHit)
    assert "\x02" not in hit.snippet and "\x03" not in hit.snippet
    marked = [hit.snippet[s:e] for s, e in hit.matches]
    assert marked and all(m.lower().startswith("flood") for m in marked)
    assert "".join(part for part, _ in hit.snippet_parts()) == hit.snippet
    assert store.search_count("budget") == 1


def test_search_hit_names_its_story(store: Store) -> None:
    store.add_article(make_article(1, text="Wildfire near the ridge."))
    store.add_article(make_article(2, text="Wildfire near the ridge, again."))
    add_story(store, "s1", ("art00001",), duplicates={"art00001": ("art00002",)})
    by_id = {h.article_id: h.story_id for h in store.search("wildfire")}
    assert by_id == {"art00001": "s1", "art00002": "s1"}


def test_search_phrase_or_and_exclusion(store: Store) -> None:
    store.add_article(make_article(1, text="The red barn burned down."))
    store.add_article(make_article(2, text="A barn painted red stood still."))
    store.add_article(make_article(3, text="The blue house stood still."))
    assert {h.article_id for h in store.search('"red barn"')} == {"art00001"}
    assert {h.article_id for h in store.search("barn")} == {"art00001", "art00002"}
    assert {h.article_id for h in store.search("burned OR house")} == {"art00001", "art00003"}
    assert {h.article_id for h in store.search("still -blue")} == {"art00002"}


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_never_raises_on_hostile_queries(store: Store, query: str) -> None:
    store.add_article(make_article(1, title="Flood river", text="Flood near the river, 2 metres high."))
    hits = store.search(query)
    assert isinstance(hits, list)
    assert store.search_count(query) >= 0
    assert isinstance(store.list_stories(q=query), list)
    assert store.article_count() == 1  # nothing was dropped


def test_search_hostile_query_still_finds_its_words(store: Store) -> None:
    store.add_article(make_article(1, title="Flood river", text="Flood near the river."))
    store.add_article(make_article(2, title="Dry spell", text="No rain at all."))
    assert [h.article_id for h in store.search('flood" NEAR( river*')] == ["art00001"]


def test_replace_story_upserts_membership_and_briefing(store: Store) -> None:
    for i in range(1, 5):
        store.add_article(make_article(i))
    add_story(store, "s1", ("art00001", "art00002"), entities=[("Ana Lima", "PERSON")])
    assert store.story_assignments() == {"art00001": "s1", "art00002": "s1"}
    assert json.loads(store.get_briefing_json("s1")) == {"story_id": "s1"}
    row = store.get_story("s1")
    assert (row.title, row.article_count, row.outlet_count, row.lead) == ("Story s1", 2, 2, "Lead of s1.")

    add_story(
        store,
        "s1",
        ("art00002", "art00003"),
        duplicates={"art00003": ("art00004",)},
        title="Renamed",
        briefing_json=None,
        entities=[("Port Authority", "ORG")],
    )
    assert store.story_assignments() == {"art00002": "s1", "art00003": "s1"}
    assert store.get_story("s1").title == "Renamed"
    with pytest.raises(NotFoundError):
        store.get_briefing_json("s1")
    members = store.get_story_members("s1")
    assert members.article_ids == ("art00002", "art00003")
    assert members.duplicates == {"art00003": ("art00004",)}
    assert [s.id for s in store.stories_for_article("art00004")] == ["s1"]
    assert store.stories_for_article("art00001") == []
    assert store.list_stories(actor="lima") == []
    assert [s.id for s in store.list_stories(actor="port auth")] == ["s1"]
    assert store.count_stories() == 1


def test_replace_story_with_unstored_article_is_refused_whole(store: Store) -> None:
    store.add_article(make_article(1))
    add_story(store, "s1", ("art00001",))
    with pytest.raises(StoreError, match="not stored"):
        add_story(store, "s1", ("art00001", "ghost"), title="Should not stick")
    assert store.get_story("s1").title == "Story s1"
    assert store.story_assignments() == {"art00001": "s1"}


def test_list_stories_filters_and_order(store: Store) -> None:
    store.add_article(make_article(1, text="Harbour strike enters second week."))
    store.add_article(make_article(2, text="Election results announced."))
    store.add_article(make_article(3, text="Harbour cranes idle."))
    add_story(
        store,
        "old",
        ("art00001",),
        first_published="2024-01-01T09:00",
        last_published="2024-01-03T09:00",
        entities=[("Dock Workers Union", "ORG")],
    )
    add_story(
        store,
        "new",
        ("art00002",),
        first_published="2024-02-10T09:00",
        last_published="2024-02-11T18:00",
        entities=[("Maria Costa", "PERSON")],
    )
    add_story(
        store,
        "mid",
        ("art00003",),
        first_published="2024-01-20T09:00",
        last_published="2024-01-25T09:00",
        title="Port cranes stop",
    )
    add_story(store, "undated", (), first_published=None, last_published=None)

    assert [s.id for s in store.list_stories()] == ["new", "mid", "old", "undated"]
    assert [s.id for s in store.list_stories(limit=2, offset=1)] == ["mid", "old"]
    assert [s.id for s in store.list_stories(since="2024-01-25")] == ["new", "mid"]
    assert [s.id for s in store.list_stories(until="2024-01-20")] == ["mid", "old"]
    assert [s.id for s in store.list_stories(until="2024-01-19")] == ["old"]
    assert [s.id for s in store.list_stories(since="2024-01-04", until="2024-02-01")] == ["mid"]
    assert [s.id for s in store.list_stories(actor="COSTA")] == ["new"]
    assert [s.id for s in store.list_stories(actor="%")] == []
    assert [s.id for s in store.list_stories(q="harbour")] == ["mid", "old"]
    assert [s.id for s in store.list_stories(q="port cranes")] == ["mid"]
    assert store.count_stories(q="harbour") == 2
    assert store.count_stories(since="2024-01-25") == 2
    assert store.count_stories(actor="union") == 1


def test_delete_stories_removes_children(store: Store) -> None:
    store.add_article(make_article(1))
    add_story(store, "s1", ("art00001",), entities=[("X", "ORG")])
    add_story(store, "s2", ())
    assert store.delete_stories(["s1", "missing"]) == 1
    assert store.story_assignments() == {}
    with pytest.raises(NotFoundError):
        store.get_briefing_json("s1")
    with pytest.raises(NotFoundError):
        store.get_story("s1")
    assert [s.id for s in store.list_stories()] == ["s2"]
    assert store.has_article("art00001")


def test_duplicates_merge_and_replace(store: Store) -> None:
    for i in range(1, 5):
        store.add_article(make_article(i))
    store.set_duplicates({"art00002": "art00001"})
    store.set_duplicates({"art00003": "art00001", "art00002": "art00004"})
    assert store.get_duplicates() == {"art00002": "art00004", "art00003": "art00001"}
    store.set_duplicates({"art00004": "art00001"}, replace=True)
    assert store.get_duplicates() == {"art00004": "art00001"}


def test_failures_are_logged_newest_first(store: Store) -> None:
    store.add_failure(Failure(origin="a.html", reason="no text"))
    store.add_failure(Failure(origin="b.jsonl:3", reason="bad JSON"))
    assert store.list_failures() == [Failure("b.jsonl:3", "bad JSON"), Failure("a.html", "no text")]


def test_migrations_are_recorded(store: Store) -> None:
    with store.engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == [head_revision()]


def test_outlet_inferred_round_trips(store: Store) -> None:
    """An outlet storydesk read from the page (#15) stays marked as inferred in the store."""
    store.add_article(make_article(1, outlet="AP", outlet_inferred=True))
    store.add_article(make_article(2))
    assert store.get_article("art00001").outlet_inferred is True
    assert store.get_article("art00002").outlet_inferred is False


def test_a_store_made_before_outlet_inferred_is_migrated(store_url: str) -> None:
    """A database at revision 0001 gains ``outlet_inferred`` (False for its articles) when opened."""
    from alembic import command
    from sqlalchemy.engine import make_url

    from storydesk.store._engine import build_engine, normalise_url, sqlite_path
    from storydesk.store._migrate import _config

    url = normalise_url(store_url)
    if (path := sqlite_path(url)) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = build_engine(make_url(url))
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO articles (id, title, text, outlet, removed, ingested_at) "
                "VALUES ('art00009', 'Old', 'An article stored before the column existed.', 'X', '[]', 'now')"
            )
        )
    engine.dispose()
    with Store.open(store_url) as store:
        old = store.get_article("art00009")
        assert old.outlet == "X" and old.outlet_inferred is False
        store.add_article(make_article(3, outlet_inferred=True))
        assert store.get_article("art00003").outlet_inferred is True


def test_reopening_keeps_data(store_url: str) -> None:
    with Store.open(store_url) as first:
        first.add_article(make_article(7))
    with Store.open(store_url) as second:
        assert second.get_article("art00007") == make_article(7)


def test_newer_schema_is_refused(store_url: str) -> None:
    with Store.open(store_url) as first, first.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(StoreError, match="newer than this version"):
        Store.open(store_url)


def test_placed_unplaced_and_duplicates_for_stream_what_ingest_needs(store: Store) -> None:
    vec = np.arange(4, dtype=np.float32)
    for i in range(1, 7):
        store.add_article(make_article(i), vector=vec + i if i != 2 else None, model="m")
    store.set_duplicates({"art00003": "art00001"})
    add_story(store, "s1", ("art00001", "art00002"), duplicates={"art00001": ("art00003",)})
    add_story(store, "s2", ("art00004",))
    placed = list(store.iter_placed("m"))
    # members only (the folded copy art00003 is not one), by publication date; a missing vector is None
    assert [(a.id, sid) for a, _, sid in placed] == [
        ("art00001", "s1"),
        ("art00002", "s1"),
        ("art00004", "s2"),
    ]
    assert placed[0][1] is not None and np.allclose(placed[0][1], vec + 1)
    assert placed[1][1] is None
    assert [a.id for a in store.iter_unplaced()] == ["art00005", "art00006"]
    store.set_duplicates({"art00006": "art00004"})
    assert [a.id for a in store.iter_unplaced()] == ["art00005"]
    assert store.duplicates_for(["art00001", "art00004", "art00005"]) == {
        "art00001": ("art00003",),
        "art00004": ("art00006",),
    }
    assert list(store.iter_placed("other-model"))[0][1] is None


def test_existing_ids_answers_for_a_batch(store: Store) -> None:
    store.add_article(make_article(1))
    store.add_article(make_article(3))
    assert store.existing_ids(["art00001", "art00002", "art00003", "art00001"]) == {"art00001", "art00003"}
    assert store.existing_ids([]) == set()


def test_listings_return_everything_unless_a_limit_is_asked(store: Store) -> None:
    """Page sizes belong to the interfaces (the CLI's --limit, the web's rules): the store's listings
    return every row unless the caller passes a limit."""
    for i in range(60):
        store.add_article(make_article(i, text=f"Ferry timetable change number {i}."))
        add_story(store, f"s{i:03d}", (f"art{i:05d}",))
    for i in range(110):
        store.add_failure(Failure(origin=f"f{i}.html", reason="no text"))
    assert len(store.list_stories()) == 60
    assert len(store.list_stories(limit=50)) == 50
    assert len(store.list_stories(limit=50, offset=50)) == 10
    assert len(store.search("ferry")) == 60 == store.search_count("ferry")
    assert len(store.search("ferry", limit=20)) == 20
    assert len(store.search("ferry", limit=20, offset=50)) == 10
    assert len(store.list_failures()) == 110
    assert len(store.list_failures(limit=100)) == 100


def test_store_hands_over_to_its_repositories(store: Store) -> None:
    """The facade and the repositories are one store: a write through either is read through the other."""
    store.articles.add(make_article(1))
    assert store.get_article("art00001") == make_article(1)
    store.add_article(make_article(2))
    assert store.articles.count() == 2
    store.duplicates.record({"art00002": "art00001"})
    assert store.get_duplicates() == {"art00002": "art00001"}
    add_story(store, "s1", ("art00001",), duplicates={"art00001": ("art00002",)})
    assert store.stories.members("s1").duplicates == {"art00001": ("art00002",)}
    assert {h.article_id for h in store.fulltext.search("council")} == {"art00001", "art00002"}


# -- related stories: subjects above stories (#21) ------------------------------------------------------


def _linked(store: Store, story_id: str, ids: tuple[str, ...], related: tuple[str, ...]) -> None:
    story = Story(id=story_id, article_ids=ids, related=related)
    store.replace_story(
        story,
        title=f"Story {story_id}",
        first_published="2024-03-01T10:00:00",
        last_published="2024-03-02T10:00:00",
        outlet_count=1,
    )


def test_related_stories_are_stored_both_ways_and_only_when_stored(store: Store) -> None:
    for i in range(1, 5):
        store.add_article(make_article(i))
    # s1 names s2 (not stored yet) and s3; s3 is stored later naming s4
    _linked(store, "s1", ("art00001",), ("s2", "s3", "s1"))
    assert store.related_stories("s1") == []  # neither is stored yet; a story never lists itself
    _linked(store, "s3", ("art00003",), ("s4",))
    assert store.related_stories("s1") == ["s3"]
    assert store.related_stories("s3") == ["s1"]  # it lists s4 (not stored), s1 lists it
    _linked(store, "s2", ("art00002",), ())
    _linked(store, "s4", ("art00004",), ())
    assert store.related_stories("s1") == ["s2", "s3"]  # the order s1 gave
    assert store.related_stories("s3") == ["s4", "s1"]  # its own first, then those listing it
    assert store.related_stories("s2") == ["s1"]
    assert [r.id for r in store.list_stories(related="s1")] == ["s2", "s3"]
    assert store.count_stories(related="s1") == 2
    assert store.count_stories(related="s4") == 1
    assert store.list_stories(related="nope") == []
    # re-saving a story replaces what it lists; deleting one removes the links naming it
    _linked(store, "s1", ("art00001",), ("s2",))
    assert store.related_stories("s3") == ["s4"]
    store.delete_stories(["s2"])
    assert store.related_stories("s1") == []
    with store.engine.connect() as conn:
        left = conn.execute(text("SELECT story_id, related_id FROM story_links ORDER BY story_id")).all()
    assert [tuple(r) for r in left] == [("s3", "s4")]
    with pytest.raises(NotFoundError):
        store.related_stories("s2")


def test_an_old_store_is_upgraded_to_hold_related_stories(store_url: str) -> None:
    with Store.open(store_url) as first:
        first.add_article(make_article(1))
        add_story(first, "s1", ("art00001",))
        with first.engine.begin() as conn:  # back to the schema before #21
            conn.execute(text("DROP TABLE story_links"))
            conn.execute(text("ALTER TABLE articles DROP COLUMN outlet_inferred"))  # 0004, after 0003
            conn.execute(text("DROP TABLE analyses"))  # 0005, after 0003
            conn.execute(text("UPDATE alembic_version SET version_num = '0002_sources'"))
    with Store.open(store_url) as second:
        assert second.related_stories("s1") == []
        second.add_article(make_article(2))
        _linked(second, "s2", ("art00002",), ("s1",))
        assert second.related_stories("s1") == ["s2"]
        assert second.get_story_members("s1").article_ids == ("art00001",)


# -- stored analyses (#17) -------------------------------------------------------------------------------


def _blob(article_id: str, version: str = "v1", data: bytes = b"\x00analysis\xff") -> AnalysisBlob:
    return AnalysisBlob(article_id, version, data)


def test_analyses_are_read_for_their_version_only_and_replaced(store: Store) -> None:
    for i in (1, 2, 3):
        store.add_article(make_article(i))
    store.put_analyses([_blob("art00001"), _blob("art00002", "v0", b"old")])
    assert store.get_analyses(["art00001", "art00002", "art00003"], "v1") == {"art00001": b"\x00analysis\xff"}
    assert store.get_analyses(["art00002"], "v0") == {"art00002": b"old"}
    store.put_analyses([_blob("art00002", "v1", b"new")])  # recomputed under the run's version: replaced
    assert store.get_analyses(["art00002"], "v0") == {}
    assert store.get_analyses(["art00001", "art00002"], "v1") == {
        "art00001": b"\x00analysis\xff",
        "art00002": b"new",
    }
    assert store.analyses.versions() == {"v1": 2}


def test_analyses_are_written_with_their_story_or_not_at_all(store: Store) -> None:
    """A story's briefing and the analyses it made share one transaction: a story that cannot be written
    leaves no analysis behind, and one that is written brings its analyses."""
    store.add_article(make_article(1))
    store.add_article(make_article(2))
    with pytest.raises(StoreError, match="not stored"):
        add_story(store, "s1", ("art00001", "art99999"), analyses=[_blob("art00001")])
    assert store.get_analyses(["art00001"], "v1") == {}
    add_story(store, "s1", ("art00001", "art00002"), analyses=[_blob("art00001"), _blob("art00002")])
    assert set(store.get_analyses(["art00001", "art00002"], "v1")) == {"art00001", "art00002"}


def test_an_analysis_of_an_unstored_article_is_refused(store: Store) -> None:
    with pytest.raises(StoreError):
        store.put_analyses([_blob("art99999")])
    assert store.analyses.versions() == {}


def test_a_store_made_by_the_previous_head_gains_the_analyses_table(store_url: str) -> None:
    """A database at 0004_outlet_inferred (the head before #17) is upgraded on open: its articles stay,
    and analyses can be stored for them."""
    from alembic import command
    from sqlalchemy.engine import make_url

    from storydesk.store._engine import build_engine, normalise_url, sqlite_path
    from storydesk.store._migrate import _config

    url = normalise_url(store_url)
    if (path := sqlite_path(url)) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = build_engine(make_url(url))
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0004_outlet_inferred")
        conn.execute(
            text(
                "INSERT INTO articles (id, title, text, outlet, removed, ingested_at) "
                "VALUES ('art00009', 'Old', 'An article stored before analyses were.', 'X', '[]', 'now')"
            )
        )
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert "analyses" not in tables
    with Store.open(store_url) as store:
        assert store.get_article("art00009").title == "Old"
        assert store.get_analyses(["art00009"], "v1") == {}
        store.put_analyses([_blob("art00009")])
        assert store.get_analyses(["art00009"], "v1") == {"art00009": b"\x00analysis\xff"}
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
