"""The Dask job (``storydesk scale``) on a LocalCluster of 2 worker processes, against ``ingest``.

Real parts only: a real ``distributed.LocalCluster`` (2 processes), real SQLite stores in tmp_path, real
input files; the articles come from ../shared/data/stories/duc-stories.jsonl.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli import main
from storydesk.config import Settings
from storydesk.eval.bcubed import bcubed
from storydesk.scale import ScaleOptions, run_scale
from storydesk.service import Desk
from storydesk.stream import IngestOptions

distributed = pytest.importorskip("distributed")

ARTICLES = 120
WINDOW = 15  # articles per window where a test wants many windows


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A LocalCluster of 2 worker processes, shared by the tests of this module; its scheduler address."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ARTICLES DUC articles in two JSONL files (each line's url names its gold id): the first ones of
    October 1998, where the set is as dense as news is (several articles a day), so that a window of
    WINDOW articles spans a few days, as a window of a crawl does."""
    folder = tmp_path_factory.mktemp("corpus")
    rows = [json.loads(line) for line in (shared_data / "stories" / "duc-stories.jsonl").open()]
    rows = [r for r in rows if (r.get("published") or "") >= "1998-10-01"][:ARTICLES]
    half = len(rows) // 2
    for name, part in (("a.jsonl", rows[:half]), ("b.jsonl", rows[half:])):
        with (folder / name).open("w") as fh:
            for r in part:
                fields = {k: r.get(k) for k in ("title", "text", "published", "outlet")}
                fh.write(json.dumps({**fields, "url": f"duc://{r['id']}"}) + "\n")
    return folder


def _settings(db: Path) -> Settings:
    return Settings(db=str(db), embedder="tfidf", facts=False)


def _stories(db: Path) -> dict[str, str]:
    """url → story id of every story member and folded copy in a store."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT a.url, s.story_id FROM story_articles s JOIN articles a ON a.id = s.article_id"
    )
    out = {url: sid for url, sid in rows}
    con.close()
    return out


def _groups(assigned: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for item, story in assigned.items():
        groups.setdefault(story, set()).add(item)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def ingested(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The single-machine result: ``storydesk ingest`` of the corpus."""
    db = tmp_path_factory.mktemp("ingest") / "ingest.db"
    with Desk(_settings(db)) as desk:
        report = desk.ingest([corpus])
    assert report.added == ARTICLES and not report.failures
    return _stories(db)


def test_same_stories_as_ingest(cluster: str, corpus: Path, ingested: dict[str, str], tmp_path: Path) -> None:
    report = run_scale(
        [corpus], _settings(tmp_path / "s.db"), ScaleOptions(tmp_path / "work", scheduler=cluster)
    )
    assert report.articles == ARTICLES and report.windows == 1 and not report.failures
    got = _stories(tmp_path / "s.db")
    assert set(got) == set(ingested)  # every article stored in a story, folded copies included
    assert got == ingested  # the same stories, named as ingest names them
    assert report.stories == len(set(got.values()))
    # `stories` and `show` read the result as they read an ingest's
    result = CliRunner().invoke(
        main, ["stories", "--db", str(tmp_path / "s.db"), "--json", "--limit", "1000"]
    )
    assert result.exit_code == 0, result.output
    listed = [json.loads(line) for line in result.output.splitlines()]
    assert len(listed) == report.stories
    shown = CliRunner().invoke(
        main, ["show", listed[0]["id"], "--db", str(tmp_path / "s.db"), "--format", "json"]
    )
    assert shown.exit_code == 0 and json.loads(shown.output)["stories"][0]["summary"]


def _links(db: Path) -> set[tuple[str, str]]:
    """(story, related story) of a store: the related stories (#21) as stored."""
    con = sqlite3.connect(db)
    rows = {(a, b) for a, b in con.execute("SELECT story_id, related_id FROM story_links")}
    con.close()
    return rows


def _copies(db: Path) -> dict[str, str]:
    """url of each folded copy → url of its original."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT c.url, o.url FROM duplicates d JOIN articles c ON c.id = d.article_id "
        "JOIN articles o ON o.id = d.canonical_id"
    )
    out = dict(rows)
    con.close()
    return out


def test_follows_ingest_order_and_chunks_exactly(cluster: str, shared_data: Path, tmp_path: Path) -> None:
    """Input not in publication order, placed in several chunks, with copies that arrive before their
    original or are longer than it: the job places as ``ingest`` does (chunks of the input, each in
    publication order, revised after each), so stories, their ids, copies and related stories are equal."""
    import random

    rows = [json.loads(line) for line in (shared_data / "stories" / "duc-stories.jsonl").open()]
    rows = [r for r in rows if (r.get("published") or "") >= "1998-10-01"][:110]
    for r in rows[::9]:
        rows.append({**r, "id": r["id"] + "-c", "text": r["text"] + " (More to come.)"})
    random.Random(7).shuffle(rows)
    path = tmp_path / "shuffled.jsonl"
    with path.open("w") as fh:
        for r in rows:
            fields = {k: r.get(k) for k in ("title", "text", "published", "outlet")}
            fh.write(json.dumps({**fields, "url": f"duc://{r['id']}"}) + "\n")
    chunk = 25
    with Desk(_settings(tmp_path / "i.db"), options=IngestOptions(place_every=chunk)) as desk:
        desk.ingest([path])
    report = run_scale(
        [path],
        _settings(tmp_path / "s.db"),
        ScaleOptions(tmp_path / "work", scheduler=cluster, flush_every=chunk, min_split_bytes=20_000),
    )
    assert report.partitions >= 2 and report.windows == 1
    ingested = _stories(tmp_path / "i.db")
    assert len(_copies(tmp_path / "i.db")) >= 10
    assert _copies(tmp_path / "s.db") == _copies(tmp_path / "i.db")
    assert _stories(tmp_path / "s.db") == ingested
    assert _links(tmp_path / "s.db") == _links(tmp_path / "i.db")


@pytest.fixture(scope="module")
def windowed(cluster: str, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The stories of a run with small windows (many boundaries, each crossed by a lead-in)."""
    folder = tmp_path_factory.mktemp("windowed")
    report = run_scale(
        [corpus],
        _settings(folder / "s.db"),
        ScaleOptions(folder / "w", scheduler=cluster, window_articles=WINDOW),
    )
    assert report.windows >= 5
    return _stories(folder / "s.db")


def test_windows_merge_across_boundaries(
    cluster: str, corpus: Path, ingested: dict[str, str], windowed: dict[str, str], tmp_path: Path
) -> None:
    """Small windows: the stories stay close to ingest's, and far closer than the same windows without
    lead-ins (stories cut at every boundary)."""
    assert set(windowed) == set(ingested)
    options = ScaleOptions(tmp_path / "w", scheduler=cluster, window_articles=WINDOW, lead_in_days=0)
    run_scale([corpus], _settings(tmp_path / "s.db"), options)
    cut = _stories(tmp_path / "s.db")
    assert set(cut) == set(ingested)
    with_lead_in, without = bcubed(windowed, ingested)[2], bcubed(cut, ingested)[2]
    print(f"B3 F1 against ingest: lead-in {with_lead_in:.4f}, none {without:.4f}")
    assert with_lead_in >= 0.9
    assert with_lead_in > without


def test_a_worker_killed_during_the_run(
    cluster: str, corpus: Path, windowed: dict[str, str], tmp_path: Path
) -> None:
    """A worker process killed while the windows are clustered: Dask runs its tasks again on the other
    worker and on the one the nanny restarts; the stories are those of an undisturbed run."""

    client = distributed.Client(cluster)
    pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    work = tmp_path / "killed"
    killed = threading.Event()

    def kill_when_clustering() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if list((work / "3-cluster").glob("window-*.parquet")):  # the first window is written
                os.kill(victim, signal.SIGKILL)
                killed.set()
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=kill_when_clustering)
    watcher.start()
    report = run_scale(
        [corpus],
        _settings(tmp_path / "killed.db"),
        ScaleOptions(work, scheduler=cluster, window_articles=WINDOW),
    )
    watcher.join()
    assert killed.is_set()
    client.wait_for_workers(2, timeout=60)
    assert victim not in client.run(os.getpid).values()  # the worker did die (and was restarted)
    client.close()
    assert report.articles == ARTICLES
    assert _stories(tmp_path / "killed.db") == windowed


def test_resumes_after_a_stop_between_stages(
    cluster: str, corpus: Path, ingested: dict[str, str], tmp_path: Path
) -> None:
    work, db = tmp_path / "work", tmp_path / "s.db"
    first = run_scale([corpus], _settings(db), ScaleOptions(work, scheduler=cluster, stop_after="dedup"))
    assert first.stopped_after == "dedup"
    assert [s.name for s in first.steps][-1] == "fold"
    assert not db.exists() or not _stories(db)  # nothing briefed yet
    read_files = {p: p.stat().st_mtime_ns for p in (work / "1-read").glob("*.parquet")}

    second = run_scale([corpus], _settings(db), ScaleOptions(work, scheduler=cluster))
    resumed = {s.name for s in second.steps if s.resumed}
    assert resumed == {"read", "minhash", "buckets to edges", "connected components", "candidates", "fold"}
    assert not any(s.resumed for s in second.steps if s.name not in resumed)
    assert {p: p.stat().st_mtime_ns for p in (work / "1-read").glob("*.parquet")} == read_files
    assert second.articles == ARTICLES and second.duplicates == first.duplicates
    assert _groups(_stories(db)) == _groups(ingested)

    # a finished run given the same folder again redoes nothing; another corpus in it is refused
    third = run_scale([corpus], _settings(db), ScaleOptions(work, scheduler=cluster))
    assert all(s.resumed for s in third.steps)
    from storydesk.errors import ConfigError

    with pytest.raises(ConfigError, match="holds another run"):
        run_scale([corpus / "a.jsonl"], _settings(db), ScaleOptions(work, scheduler=cluster))


def _bad_inputs(folder: Path, lines: list[str]) -> None:
    """A folder of inputs, some bad: one line each, as ingest reports them."""
    folder.mkdir()
    (folder / "good.jsonl").write_text(
        "\n".join(lines[:20]) + "\n{not json\n" + "\n".join(lines[20:40]) + "\n"
    )
    (folder / "empty.txt").write_text("")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    cut = gzip.compress(("\n".join(lines[40:50]) + "\n").encode())
    (folder / "cut.jsonl.gz").write_bytes(cut[: len(cut) // 2])
    (folder / "no-text.jsonl").write_text('{"title": "only a title"}\n' + lines[50] + "\n")
    (folder / "notes.md").write_text("skipped quietly: no input kind")


def _skipped(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("storydesk: skipped ")]


def test_bad_inputs_reported_as_ingest_reports_them(cluster: str, corpus: Path, tmp_path: Path) -> None:
    lines = (corpus / "a.jsonl").read_text().splitlines()
    _bad_inputs(tmp_path / "in", lines)
    missing = str(tmp_path / "missing.txt")
    runner = CliRunner()
    # the settings of _settings (quick); what is reported does not depend on them
    quick = ["--set", "embedder=tfidf", "--set", "facts=false"]
    ingest = runner.invoke(
        main, [*quick, "ingest", "--db", str(tmp_path / "i.db"), str(tmp_path / "in"), missing]
    )
    scale = runner.invoke(
        main,
        [
            *quick,
            "scale",
            "--db",
            str(tmp_path / "s.db"),
            "--scheduler",
            cluster,
            "--work-dir",
            str(tmp_path / "w"),
            str(tmp_path / "in"),
            missing,
        ],
    )
    assert ingest.exit_code == scale.exit_code == 1, scale.output
    expected = _skipped(ingest.output)
    assert len(expected) == 6
    assert _skipped(scale.output) == expected
    # the rest was done: every good article is in a story
    assert set(_stories(tmp_path / "s.db")) == set(_stories(tmp_path / "i.db"))


def _warc(path: Path, pages: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(pages):
        body = (
            f"<html><body><article><h1>Council vote {i}</h1><p>"
            + f"The council of town number {i} met today to vote on plan {i}. " * 40
            + "</p></article></body></html>"
        )
        if i == 3:
            body = "   "  # an empty response: one failure named by its record
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://example.org/{i}",
                "response",
                payload=io.BytesIO(body.encode()),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": f"2019-04-{10 + i:02d}T10:00:00Z"},
            )
        )
    path.write_bytes(buf.getvalue())


def test_large_files_read_in_ranges(cluster: str, corpus: Path, tmp_path: Path) -> None:
    """A JSONL file cut into line ranges and a WARC file into record ranges: the same articles and the
    same failures (named by line and record) as reading each whole."""
    folder = tmp_path / "in"
    folder.mkdir()
    lines = (corpus / "a.jsonl").read_text().splitlines()[:30]
    (folder / "big.jsonl").write_text("\n".join(lines[:12]) + "\n[1, 2]\n" + "\n".join(lines[12:]) + "\n")
    _warc(folder / "crawl.warc.gz", 8)
    options = ScaleOptions(
        tmp_path / "w", scheduler=cluster, split_bytes=6000, min_split_bytes=1000, stop_after="read"
    )
    report = run_scale([folder], _settings(tmp_path / "s.db"), options)
    assert report.partitions >= 6  # both files were cut
    with Desk(_settings(tmp_path / "i.db")) as desk:
        ingested = desk.ingest([folder])
    assert report.failures == ingested.failures
    assert [f.origin for f in report.failures] == [
        f"{folder / 'big.jsonl'}:13",
        f"{folder / 'crawl.warc.gz'}#record-4",
    ]
    assert report.articles == ingested.added == 30 + 7


def test_cli_workers_and_stop_after(corpus: Path, tmp_path: Path) -> None:
    """--workers starts a LocalCluster of its own; --stop-after read ends the run after the read stage,
    and the same command without it goes on from there (the work folder defaults to one beside the store)."""
    runner = CliRunner()
    db = tmp_path / "s.db"
    args = ["--set", "embedder=tfidf", "--set", "facts=false", "scale", "--db", str(db), "--workers", "1"]
    first = runner.invoke(main, [*args, "--stop-after", "read", str(corpus / "a.jsonl")])
    assert first.exit_code == 0, first.output
    assert "stopped after read" in first.output
    assert (tmp_path / "s.db.scale" / "1-read" / "_DONE.json").exists()
    second = runner.invoke(main, [*args, str(corpus / "a.jsonl")])
    assert second.exit_code == 0, second.output
    assert f"{ARTICLES // 2} articles" in second.output
    listed = runner.invoke(main, ["stories", "--db", str(db), "--json"])
    assert listed.exit_code == 0 and listed.output.strip()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "not both"),
        (["--scheduler", "tcp://127.0.0.1:1"], "needs --work-dir"),
        # checked before any connection is tried: a cluster elsewhere cannot share a SQLite file
        (["--scheduler", "tcp://scheduler.example:8786", "--work-dir", "w"], "give a Postgres URL"),
    ],
)
def test_cli_refuses_what_cannot_work(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "a.txt").write_text("A title\n\nSome text.")
    result = CliRunner().invoke(
        main, ["scale", "--db", str(tmp_path / "s.db"), *args, str(tmp_path / "a.txt")]
    )
    assert result.exit_code == 2
    assert message in result.output


def test_refuses_a_store_that_holds_articles(corpus: Path, tmp_path: Path) -> None:
    from storydesk.errors import ConfigError

    db = tmp_path / "s.db"
    with Desk(_settings(db)) as desk:
        desk.ingest([corpus / "a.jsonl"])
    with pytest.raises(ConfigError, match="already holds articles"):
        run_scale([corpus], _settings(db), ScaleOptions(tmp_path / "w", scheduler="tcp://127.0.0.1:1"))


@pytest.mark.skipif(not os.environ.get("STORYDESK_TEST_PG_URL"), reason="needs STORYDESK_TEST_PG_URL")
def test_into_postgres(cluster: str, corpus: Path, ingested: dict[str, str], tmp_path: Path) -> None:
    """The store of a real cluster: both workers write to Postgres at once; the same stories."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(os.environ["STORYDESK_TEST_PG_URL"]).set(drivername="postgresql+psycopg")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    try:
        settings = Settings(db=url, embedder="tfidf", facts=False)
        report = run_scale([corpus], settings, ScaleOptions(tmp_path / "w", scheduler=cluster))
        engine = create_engine(url)
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT a.url, s.story_id FROM story_articles s JOIN articles a ON a.id = s.article_id")
            ).all()
        engine.dispose()
        got = {u: sid for u, sid in rows}
        assert report.articles == ARTICLES
        assert _groups(got) == _groups(ingested)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_a_later_ingest_rebriefs_from_the_analyses_scale_stored(
    cluster: str, corpus: Path, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`scale` stores each briefed article's analysis (#17), so the first `ingest` after a bulk load parses
    only what it adds (the facts layer on; model-free vectors are not stored)."""
    from collections import OrderedDict

    from storydesk.analyse import _facts

    settings = Settings(db=str(tmp_path / "s.db"), embedder="tfidf", facts=True)
    report = run_scale([corpus], settings, ScaleOptions(tmp_path / "work", scheduler=cluster))
    assert report.articles == ARTICLES and not report.failures
    rows = [json.loads(line) for line in (shared_data / "stories" / "duc-stories.jsonl").open()]
    rows = [r for r in rows if (r.get("published") or "") >= "1998-10-01"]
    loaded = {r["story"] for r in rows[:ARTICLES]}
    joining = next(r for r in rows[ARTICLES:] if r["story"] in loaded)  # the next article of a loaded story
    one = tmp_path / "one.jsonl"
    fields = {k: joining.get(k) for k in ("title", "text", "published", "outlet")}
    one.write_text(json.dumps({**fields, "url": f"duc://{joining['id']}"}) + "\n")
    monkeypatch.setattr(_facts, "_cache", OrderedDict())  # this process has parsed nothing
    with Desk(settings) as desk:
        version = desk.components.analysis_version
        members = [m for s in desk.stories() for m in desk.store.get_story_members(s.id).article_ids]
        assert set(desk.store.get_analyses(members, version)) == set(members)
        parses = _facts._parses
        added = desk.ingest([one])
        assert added.added == 1 and added.analyses_read >= 1 and not added.analyses_unusable
        assert _facts._parses - parses == 1
