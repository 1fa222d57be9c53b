import json
from dataclasses import replace

import numpy as np
import pytest

from storydesk.group.cluster import ClusterOptions, StreamClusterer, cluster_articles, extract_names
from storydesk.group.embed import HashingEmbedder, embed_documents, get_embedder
from storydesk.model import Article, Story

STORIES = {
    "quake": [
        "An earthquake of magnitude 6.1 struck the mountain province of Veloria on Monday, collapsing homes in the town of Castel Brun. Rescue teams from the Red Lantern Society searched the rubble for survivors.",
        "Rescuers in Castel Brun pulled two survivors from collapsed homes a day after the Veloria earthquake. The Red Lantern Society said the death toll from the earthquake had risen to forty.",
        "Aftershocks rattled Veloria as the Red Lantern Society set up tents for families made homeless by the earthquake that flattened much of Castel Brun.",
        "The government of Veloria declared three days of mourning for victims of the earthquake in Castel Brun and promised rebuilding funds for collapsed homes.",
    ],
    "merger": [
        "Shipping group Nordhavn Lines agreed to buy its rival Kestrel Freight for four billion dollars, creating the largest container carrier on the Baltic routes.",
        "Shares in Kestrel Freight jumped after Nordhavn Lines announced the takeover deal; analysts said regulators would examine the merger of the container carriers.",
        "Competition regulators opened an inquiry into the Nordhavn Lines takeover of Kestrel Freight, citing concerns about container shipping prices on Baltic routes.",
        "Unions at Kestrel Freight warned of strikes over job cuts they fear will follow the merger with Nordhavn Lines, the container shipping giant.",
    ],
    "election": [
        "Voters in the republic of Ostravia elect a new parliament on Sunday, with Prime Minister Lena Varga seeking a third term against the opposition leader Tomas Brill.",
        "Lena Varga's party led the Ostravia parliamentary election count, but Tomas Brill refused to concede and alleged irregularities at polling stations.",
        "Election observers in Ostravia said the vote was largely fair, rejecting claims by Tomas Brill; Prime Minister Lena Varga prepared to form a coalition.",
        "Lena Varga was sworn in for a third term as Ostravia's prime minister after the parliament approved her coalition; Tomas Brill boycotted the session.",
    ],
}
OFF_TOPIC = "A recipe for lemon cake: whisk butter and sugar, fold in flour and grated zest, and bake for forty minutes until golden."


def _articles():
    arts, gold = [], {}
    day = 1
    for story, texts in STORIES.items():
        for i, text in enumerate(texts):
            a = Article(id=f"{story}-{i}", title="", text=text, published=f"2024-05-{day:02d}")
            arts.append(a)
            gold[a.id] = story
            day += 1
    arts.append(Article(id="cake", title="Lemon cake", text=OFF_TOPIC, published="2024-05-07"))
    gold["cake"] = "cake"
    return arts, gold


def _stream_input():
    """The test articles in publication order, with their hashed TF-IDF document vectors."""
    arts, _ = _articles()
    order = sorted(arts, key=lambda a: a.published)
    return order, embed_documents(HashingEmbedder(), order)


def _partition(groups):
    return sorted(sorted(g) for g in groups)


def test_extract_names_skips_sentence_starters():
    names = extract_names("The storm hit Castel Brun. Officials said Prime Minister Lena Varga would visit.")
    assert "castel_brun" in names and "prime_minister_lena_varga" in names
    assert "officials" not in names and "the" not in names


def test_batch_separates_three_stories_and_leaves_off_topic_alone():
    arts, gold = _articles()
    vecs = embed_documents(HashingEmbedder(), arts)
    stories = cluster_articles(arts, vecs)
    expected = {}
    for aid, g in gold.items():
        expected.setdefault(g, []).append(aid)
    assert _partition(s.article_ids for s in stories) == _partition(expected.values())
    assert [len(s.article_ids) for s in stories] == [4, 4, 4, 1]
    by_first = {s.article_ids[0]: s.id for s in stories}
    assert by_first["quake-0"] == Story.make_id("quake-0")


def test_stream_matches_batch_and_ids_are_stable():
    order, vecs = _stream_input()
    sc = StreamClusterer()
    first_ids = {}
    for a, v in zip(order, vecs, strict=True):
        sid = sc.add(a, v)
        first_ids.setdefault(a.id.split("-")[0], sid)
        assert first_ids[a.id.split("-")[0]] == sid  # a story's id never changes as it grows
    changes = sc.flush()
    assert changes.removed == frozenset()
    assert changes.changed == {s.id for s in sc.stories()}
    assert sc.flush().changed == frozenset()  # nothing new since the last flush
    batch = cluster_articles(order, vecs)
    assert _partition(s.article_ids for s in sc.stories()) == _partition(s.article_ids for s in batch)
    assert {s.id for s in sc.stories()} == {s.id for s in batch}

    # rebuilt from stored assignments, it continues the same way
    rebuilt = StreamClusterer.from_assignments(order[:-1], vecs[:-1], sc.assignments())
    assert rebuilt.add(order[-1], vecs[-1]) == sc.assignments()[order[-1].id]
    assert _partition(s.article_ids for s in rebuilt.stories()) == _partition(
        s.article_ids for s in sc.stories()
    )


def test_empty_and_mismatched_inputs():
    assert cluster_articles([], np.zeros((0, 4))) == []
    arts, _ = _articles()
    try:
        cluster_articles(arts, np.zeros((2, 4), dtype=np.float32))
    except ValueError as exc:
        assert "vectors" in str(exc)
    else:
        raise AssertionError("mismatched vectors accepted")


def _mixed(mixed_jsonl):
    rows = [json.loads(line) for line in mixed_jsonl.read_text(encoding="utf-8").splitlines()]
    arts = [
        Article(id=f"a{i}", title=r["title"], text=r["text"], published=r["published"])
        for i, r in enumerate(rows)
    ]
    return sorted(arts, key=lambda a: (a.published, a.id))


@pytest.mark.parametrize("embedder", ["tfidf", "minilm"])
def test_two_small_stories_streamed_together_stay_apart(mixed_jsonl, embedder):
    # two 4-article stories published on the same days, interleaved, plus one off-topic article: with
    # so few articles almost every word is rare, and IDF cuts made the two stories look alike
    arts = _mixed(mixed_jsonl)
    vecs = embed_documents(get_embedder(embedder), arts)
    expected = _partition(
        [[a.id for a in arts if "Flood" in a.title], [a.id for a in arts if "Bridge" in a.title], ["a8"]]
    )
    batch = cluster_articles(arts, vecs)
    assert _partition(s.article_ids for s in batch) == expected
    sc = StreamClusterer()
    for a, v in zip(arts, vecs, strict=True):
        sc.add(a, v)
    sc.flush()
    assert _partition(s.article_ids for s in sc.stories()) == expected
    assert sorted(len(s.article_ids) for s in sc.stories()) == [1, 4, 4]
    assert {s.id for s in sc.stories()} == {s.id for s in batch}


def test_revision_moves_a_misplaced_article_and_reports_removed_story():
    arts, gold = _articles()
    vecs = embed_documents(HashingEmbedder(), arts)
    by_id = dict(zip([a.id for a in arts], vecs, strict=True))
    # stored state with a wrong split: merger-3 alone in its own story, quake-0 stored with the elections
    assign = {a.id: Story.make_id(f"{gold[a.id]}-0") for a in arts}
    assign["merger-3"] = Story.make_id("merger-3")
    assign["quake-0"] = Story.make_id("election-0")
    assign["quake-1"] = Story.make_id("quake-1")
    assign["quake-2"] = Story.make_id("quake-1")
    assign["quake-3"] = Story.make_id("quake-1")
    sc = StreamClusterer.from_assignments(arts, np.stack([by_id[a.id] for a in arts]), assign)
    changes = sc.flush()
    parts = _partition(s.article_ids for s in sc.stories())
    expected = {}
    for aid, g in gold.items():
        expected.setdefault(g, []).append(aid)
    assert parts == _partition(expected.values())
    assert Story.make_id("merger-3") in changes.removed
    assert sc.story_of("merger-3") == Story.make_id("merger-0")  # the larger overlap keeps its id
    assert sc.story_of("quake-0") == Story.make_id("quake-1")
    assert Story.make_id("election-0") in changes.changed


def test_old_articles_are_folded_into_story_sums():
    options = ClusterOptions(open_window=3, revise_every=2)
    order, vecs = _stream_input()
    sc = StreamClusterer(options)
    for a, v in zip(order, vecs, strict=True):
        sc.add(a, v)
    sc.flush()
    assert len(sc.state.window.ids) <= 3  # only the window keeps rows
    assert sorted(len(s.article_ids) for s in sc.stories()) == [1, 4, 4, 4]
    rebuilt = StreamClusterer.from_assignments(order, vecs, sc.assignments(), options)
    assert rebuilt.assignments() == sc.assignments()
    assert rebuilt.flush().removed == frozenset()


# -- the agglomeration keeps the plain algorithm's merge order ----------------------------------------


def _plain_agglomerate(sim, p, penalties=None, known=None, size=None, inner=None):
    """The textbook loop: rescore a merged row, take the argmax of the whole table each time."""
    n = len(sim)
    w = sim.astype(float)
    np.fill_diagonal(w, 0.0)
    size = np.ones(n) if size is None else size.astype(float)
    inner = np.zeros(n) if inner is None else inner.astype(float)
    pen = np.zeros((n, n)) if penalties is None else penalties.astype(float)
    np.fill_diagonal(pen, 0.0)
    known = np.zeros(n) if known is None else known.astype(float)
    active = np.ones(n, dtype=bool)
    label = np.arange(n)

    def scores(i):
        pairs = known[i] * known
        time = np.where(pairs > 0, pen[i] / np.maximum(pairs, 1), 0.0)
        avg = w[i] / (size[i] * size) - time
        est = size >= p.group_min_size
        within = np.where(size > 1, inner / np.maximum(size * (size - 1) / 2, 1), 0.0)
        ref = np.where(est & est[i], (within + within[i]) / 2, -np.inf)
        ok = (avg >= p.join_threshold) & (avg >= p.group_ratio * ref) & active
        ok[i] = False
        return np.where(ok, avg, -np.inf)

    table = np.vstack([scores(i) for i in range(n)])
    while True:
        a, b = divmod(int(np.argmax(table)), n)
        if not np.isfinite(table[a, b]):
            return label
        inner[a] += inner[b] + w[a, b]
        for m in (w, pen):
            m[a] += m[b]
            m[:, a] += m[:, b]
            m[a, a] = 0.0
        size[a] += size[b]
        known[a] += known[b]
        active[b] = False
        label[label == b] = a
        table[b, :] = table[:, b] = -np.inf
        table[a, :] = table[:, a] = scores(a)


@pytest.mark.parametrize("seed", range(6))
def test_agglomerate_merges_in_the_plain_order(seed):
    from storydesk.group.cluster.agglomerate import agglomerate
    from storydesk.group.cluster.timing import penalty_matrix

    rng = np.random.default_rng(seed)
    n = 120
    x = rng.normal(size=(n, 6))
    x /= np.linalg.norm(x, axis=1)[:, None]
    sim = np.round(0.4 * (x @ x.T), 2)  # rounded: many exact ties
    days = rng.integers(0, 90, n).astype(float)
    days[rng.random(n) < 0.1] = np.nan
    p = ClusterOptions()
    pen, known = penalty_matrix(days, days, p), (~np.isnan(days)).astype(float)
    got = agglomerate(sim, p, penalties=pen, known=known)
    assert (got == _plain_agglomerate(sim, p, pen, known)).all()
    assert (agglomerate(sim, p) == _plain_agglomerate(sim, p)).all()
    # rows standing for pre-formed groups (sums of similarities, sizes, inner sums, penalty sums)
    size = rng.integers(1, 15, n).astype(float)
    sim_sum = sim * size[:, None] * size[None, :]
    inner = size * (size - 1) / 2 * rng.uniform(0.1, 0.5, n)
    known = np.floor(size * rng.uniform(0, 1, n))
    pen_sum = pen * known[:, None] * known[None, :]
    got = agglomerate(sim_sum, p, penalties=pen_sum, known=known, size=size, inner=inner)
    want = _plain_agglomerate(sim_sum, p, pen_sum, known, size=size, inner=inner)
    assert (got == want).all()
    assert len(set(got)) < n  # it did merge


# -- sparse or dense open vectors: the same stories --------------------------------------------------


def test_sparse_and_dense_open_vectors_place_alike():
    order, vecs = _stream_input()  # vectors mostly zeros: kept as sparse rows
    runs = []
    for share in (ClusterOptions().sparse_open_vector_fill, 0.0):
        sc = StreamClusterer(ClusterOptions(sparse_open_vector_fill=share, open_window=4, revise_every=3))
        ids = [sc.add(a, v) for a, v in zip(order, vecs, strict=True)]
        sc.flush()
        runs.append((sc.state.window.vectors.sparse, ids, sc.assignments()))
    assert runs[0][0] and not runs[1][0]
    assert runs[0][1:] == runs[1][1:]


# -- letting go of stories past the horizon ---------------------------------------------------------


def _dated(story, i, day):
    return Article(id=f"{story}-{i}-{day}", title="", text=STORIES[story][i % 4], published=day)


#: A window of 3 open articles, revised every 2 arrivals: the tests' few articles freeze and let go.
SMALL_WINDOW = ClusterOptions(open_window=3, revise_every=2)


def test_story_past_the_horizon_is_let_go_and_a_new_article_starts_a_new_story():
    emb = HashingEmbedder()
    early = [_dated("quake", i, f"2024-01-0{i + 1}") for i in range(4)]
    later = [_dated("merger", i, f"2024-03-0{i + 1}") for i in range(4)]
    late_quake = _dated("quake", 1, "2024-03-09")
    stream = early + later + [late_quake]
    vecs = embed_documents(emb, stream)

    def run(horizon_days):
        sc = StreamClusterer(replace(SMALL_WINDOW, story_horizon_days=horizon_days))
        for a, v in zip(stream[:-1], vecs[:-1], strict=True):
            sc.add(a, v)
        changes = sc.flush()
        return sc, changes, sc.add(stream[-1], vecs[-1])

    # within the horizon the late article joins the January story ...
    sc, _, sid = run(365)
    assert sid == sc.story_of(early[0].id)
    # ... past it the January story is no longer held and the late article starts a story of its own
    sc, changes, sid = run(30)
    quake_id = Story.make_id(early[0].id)
    assert quake_id in changes.changed and quake_id in changes.retired  # saved once more before it goes
    assert sid == Story.make_id(late_quake.id) != quake_id
    sc.flush()
    assert quake_id not in {s.id for s in sc.stories()}
    assert quake_id not in sc.state.stories.by_id and quake_id not in sc.state.stories.retiring
    with pytest.raises(KeyError):
        sc.story_of(early[0].id)
    assert not any(a.id in sc.assignments() for a in early)


def test_memory_does_not_grow_with_stories_let_go():
    emb = HashingEmbedder()
    sc = StreamClusterer(replace(SMALL_WINDOW, story_horizon_days=5))
    held = []
    for month in range(1, 13):
        # each month the three stories again, ten days apart (with 5 days' horizon, new stories each month)
        for k, story in enumerate(STORIES):
            for i in range(4):
                a = _dated(story, i, f"2023-{month:02d}-{10 * k + i + 1:02d}")
                sc.add(a, embed_documents(emb, [a])[0])
        sc.flush()
        book = sc.state.stories
        held.append(
            (len(book.by_id), len(book.story_of), len(book.retiring), len(sc.state.centroids.story_ids))
        )
    # a year of monthly stories (36 stories, 144 articles), but only about a month's are ever held
    assert max(h[0] for h in held) <= 2 * len(STORIES)
    assert max(h[1] for h in held) <= 2 * 4 * len(STORIES)
    assert max(held[6:]) <= max(held[:6])


def test_story_of_an_undated_story_is_let_go_after_many_arrivals():
    emb = HashingEmbedder()
    sc = StreamClusterer(replace(SMALL_WINDOW, undated_story_arrivals=6))
    undated = [Article(id=f"cake-{i}", title="", text=OFF_TOPIC, published=None) for i in range(2)]
    for a in undated:
        sc.add(a, embed_documents(emb, [a])[0])
    sc.flush()
    sc.flush()
    for i in range(12):
        a = _dated("election", i, f"2024-05-{i + 1:02d}")
        sc.add(a, embed_documents(emb, [a])[0])
    sc.flush()
    with pytest.raises(KeyError):
        sc.story_of("cake-0")


# -- rebuilding from the store as a stream ----------------------------------------------------------


def _stored_state():
    order, vecs = _stream_input()
    sc = StreamClusterer(SMALL_WINDOW)
    for a, v in zip(order, vecs, strict=True):
        sc.add(a, v)
    sc.flush()
    return order, vecs, sc.assignments()


def test_from_stored_reads_a_stream_twice_and_matches_from_assignments():
    options = SMALL_WINDOW
    order, vecs, assign = _stored_state()
    calls = []

    def rows():
        calls.append(1)
        for a, v in zip(order, vecs, strict=True):  # a generator: no length, no indexing
            yield a, v, assign[a.id]

    streamed = StreamClusterer.from_stored(rows, options)
    listed = StreamClusterer.from_assignments(order, vecs, assign, options)
    assert len(calls) == 2
    assert streamed.assignments() == listed.assignments() == assign
    open_ids = [a.id for a in order[-options.open_window :]]
    assert streamed.state.window.ids == listed.state.window.ids == open_ids
    terms, listed_terms = streamed.state.terms, listed.state.terms
    assert np.array_equal(terms.word_df, listed_terms.word_df)
    assert terms.articles_seen == listed_terms.articles_seen == len(order)
    # the frozen sums are those of the frozen members, weighed with the IDF of everything stored, and the
    # inner sum is the sum of their pair similarities
    frozen = order[: -options.open_window]
    for sid, st in streamed.state.stories.by_id.items():
        members = [i for i, a in enumerate(frozen) if assign[a.id] == sid]
        assert st.frozen_count == len(members)
        if not members:
            continue
        raw_w, raw_e = terms.rows_of([frozen[i] for i in members])
        xw, xe = terms.weigh_words(raw_w).toarray(), terms.weigh_names(raw_e).toarray()
        sw = np.zeros(xw.shape[1])
        sw[st.word_sum.indices] = st.word_sum.values
        assert np.allclose(sw, xw.sum(axis=0)) and np.allclose(st.vector_sum, vecs[members].sum(axis=0))
        pair = options.weight_vector * vecs[members] @ vecs[members].T
        pair += options.weight_words * xw @ xw.T + options.weight_names * xe @ xe.T
        assert np.isclose(st.frozen_pair_sum, (pair.sum() - np.trace(pair)) / 2)
        assert st.frozen_pair_sum == listed.state.stories.by_id[sid].frozen_pair_sum
    nxt = Article(
        id="quake-4", title="", text=STORIES["quake"][1] + " More aftershocks.", published="2024-05-20"
    )
    v = embed_documents(HashingEmbedder(), [nxt])[0]
    assert streamed.add(nxt, v) == listed.add(nxt, v) == assign["quake-0"]


def test_from_stored_skips_stories_past_the_horizon():
    arts, _ = _articles()
    order = sorted(arts, key=lambda a: a.published)
    old = [
        Article(id=f"old-{i}", title="", text=STORIES["merger"][i], published=f"2019-01-0{i + 1}")
        for i in range(4)
    ]
    stream = old + order
    vecs = embed_documents(HashingEmbedder(), stream)
    assign = {a.id: Story.make_id("old-0") for a in old}
    sc = StreamClusterer(SMALL_WINDOW)
    for a, v in zip(order, vecs[4:], strict=True):
        assign[a.id] = sc.add(a, v)
    read = []

    def rows():
        for a, v in zip(stream, vecs, strict=True):
            read.append(a.id)
            yield a, v, assign[a.id]

    rebuilt = StreamClusterer.from_stored(rows, replace(SMALL_WINDOW, story_horizon_days=365))
    assert Story.make_id("old-0") not in {s.id for s in rebuilt.stories()}
    with pytest.raises(KeyError):
        rebuilt.story_of("old-0")
    assert rebuilt.state.terms.articles_seen == len(stream)  # document frequencies count every stored article
    assert len(read) == 2 * len(stream)
    assert set(rebuilt.assignments()) == {a.id for a in order}


def test_from_stored_without_reopen_keeps_the_stored_stories_and_places_new_articles():
    """``reopen=False`` (``ingest``'s rebuild): every stored article is folded, none is open again, so a
    revision moves only what is added after it; a misplaced stored article that a re-opened rebuild
    moves (as in test_revision_moves_a_misplaced_article_and_reports_removed_story) stays where it was
    written, and a new article still joins its stored story. Nor are two stored stories joined: with
    ``merge_frozen``, the revision after quake-3 joined the quakes' story into the one holding quake-0."""
    options = ClusterOptions()
    arts, gold = _articles()
    arts = sorted(arts, key=lambda a: (a.published, a.id))
    vecs = dict(zip([a.id for a in arts], embed_documents(HashingEmbedder(), arts), strict=True))
    stored = [a for a in arts if a.id != "quake-3"]
    assign = {a.id: Story.make_id(f"{gold[a.id]}-0") for a in stored}
    assign["quake-0"] = Story.make_id("election-0")
    assign["quake-1"] = assign["quake-2"] = Story.make_id("quake-1")

    def rows():
        return ((a, vecs[a.id], assign[a.id]) for a in stored)

    reopened = StreamClusterer.from_stored(rows, options)
    reopened.flush()
    assert reopened.story_of("quake-0") == Story.make_id("quake-1")
    frozen = StreamClusterer.from_stored(rows, options, reopen=False)
    assert frozen.state.window.ids == [] and frozen.assignments() == assign
    quake = next(a for a in arts if a.id == "quake-3")
    assert frozen.add(quake, vecs[quake.id]) == Story.make_id("quake-1")
    changes = frozen.flush()
    assert changes.removed == frozenset() and changes.changed == {Story.make_id("quake-1")}
    assert frozen.assignments() == {**assign, "quake-3": Story.make_id("quake-1")}


# -- products kept between revisions are those a revision would compute afresh ---------------------


def test_products_kept_between_revisions_match_fresh_ones(monkeypatch):
    from storydesk.group.cluster import products, revision

    options = ClusterOptions(open_window=5, revise_every=2)
    arts, _ = _articles()
    stream = [
        _dated(story, i, f"2024-0{1 + k}-{10 + i:02d}") for k, story in enumerate(STORIES) for i in range(4)
    ]
    stream += sorted(arts, key=lambda a: a.published)
    vecs = embed_documents(HashingEmbedder(), stream)
    runs = []
    for keep in (True, False):
        if not keep:  # every product computed afresh at every revision

            def rows_afresh(self, tokens, m, compute):
                return compute(0, m, list(range(len(tokens)))) if tokens else np.zeros((m, 0))

            def pairs_afresh(self, tokens, compute):
                return compute(list(range(len(tokens)))) if tokens else np.zeros((0, 0))

            monkeypatch.setattr(products.RowProductCache, "get", rows_afresh)
            monkeypatch.setattr(products.PairProductCache, "get", pairs_afresh)
        seen = []
        real = revision.agglomerate

        def spy(sim, *args, _seen=seen, _real=real, **kwargs):
            _seen.append(sim.copy())
            return _real(sim, *args, **kwargs)

        monkeypatch.setattr(revision, "agglomerate", spy)
        sc = StreamClusterer(options)
        for a, v in zip(stream, vecs, strict=True):
            sc.add(a, v)
        sc.flush()
        runs.append((seen, sc.assignments()))
        monkeypatch.setattr(revision, "agglomerate", real)
    (kept, assign_kept), (fresh, assign_fresh) = runs
    assert len(kept) == len(fresh) > 10
    assert any(w.shape[0] > 5 for w in kept)  # revisions with frozen story parts in them
    for a, b in zip(kept, fresh, strict=True):
        assert a.shape == b.shape and np.allclose(a, b, rtol=1e-12, atol=1e-12)
    assert assign_kept == assign_fresh


def test_open_rows_are_weighed_again_only_after_growth():
    order, vecs = _stream_input()
    sc = StreamClusterer(ClusterOptions(revise_every=2, reweigh_growth=0.5))
    weighed = []
    for a, v in zip(order, vecs, strict=True):
        sc.add(a, v)
        weighed.append(sc.state.window.weighed_at)
    # re-weighed at 2, 4, 8 articles (each 50% more than the last time), not at every revision
    assert sorted(set(weighed)) == [0, 2, 4, 8]


def test_a_title_cut_from_the_first_line_is_counted_once():
    """Words and names of a title that the text begins with (the first line made a title, perhaps cut
    short with "…") are counted once, as if there were no title; a headline of its own is counted (#19)."""
    from storydesk.group.cluster import raw_features

    lead = "TOKYO (AP) _ A team of physics experts working in a mine shaft in central Japan solved a mystery."
    text = f"{lead} The finding, announced Friday, still needs to be tested again."
    plain = raw_features([Article(id="x", title="", text=text)])
    for title in (lead, lead[:50].rsplit(" ", 1)[0] + "…"):
        rows = raw_features([Article(id="x", title=title, text=text)])
        for got, want in zip(rows, plain, strict=True):
            assert (got != want).nnz == 0, title
    headline = raw_features([Article(id="x", title="Neutrino mass found", text=text)])
    assert headline[0].nnz > plain[0].nnz


def test_leftovers_counted_at_rebuild_are_grouped_as_the_whole_stream_groups_them():
    """An interrupted ingest's leftovers (stored, their story never saved) are added after every stored
    article. Weighed as they come, the first of a story had its own words in one article only, cut by
    MIN_DF, and started a story of its own (#16's kill test: 32 stories of 30). Passed as ``pending``,
    they are counted before any is added, once."""
    arts, gold = _articles()
    order = sorted(arts, key=lambda a: a.published)
    vecs = dict(zip([a.id for a in order], embed_documents(HashingEmbedder(), order), strict=True))
    # the cuts apply from 5 articles, and the 9 stored stand for many: no re-weighing before the flush
    options = replace(ClusterOptions(), df_cuts_from_articles=5, reweigh_growth=1.0)
    whole = StreamClusterer(options)
    for a in order:
        whole.add(a, vecs[a.id])
    whole.flush()
    stored = [a for a in order if gold[a.id] != "election"]
    leftovers = [a for a in order if gold[a.id] == "election"]
    first = StreamClusterer(options)
    for a in stored:
        first.add(a, vecs[a.id])
    first.flush()
    assign = first.assignments()

    def rows():
        return ((a, vecs[a.id], assign[a.id]) for a in stored)

    def rerun(pending):
        sc = StreamClusterer.from_stored(rows, options, pending=pending)
        for a in leftovers:
            sc.add(a, vecs[a.id])
        sc.flush()
        return sc

    elections = [
        sorted(g) for g in _partition(s.article_ids for s in rerun(()).stories()) if "election-1" in g
    ]
    assert elections == [["election-1", "election-2", "election-3"]]  # what a restart did before
    counted = rerun(iter(leftovers))
    assert _partition(s.article_ids for s in counted.stories()) == _partition(
        s.article_ids for s in whole.stories()
    )
    # each leftover counted once: the document frequencies of the whole stream
    assert counted.state.terms.articles_seen == len(order)
    assert np.array_equal(counted.state.terms.word_df, whole.state.terms.word_df)
    assert np.array_equal(counted.state.terms.name_df, whole.state.terms.name_df)
    assert not counted.state.terms.counted_ahead
