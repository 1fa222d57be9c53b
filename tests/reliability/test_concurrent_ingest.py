"""Several `storydesk ingest` processes on one store at once (issue #16, item 1), on SQLite and Postgres.

Each scenario starts its writers while the test itself holds the store's writer lock, waits until every
writer has said it is waiting, then lets go: the writers race for the store together. Afterwards every
article must be in exactly one story, and the stories must be those of the same ingests run one after
another, in the order the writers got the lock (B³ F1 = 1.0 between the two). The articles are the public
DUC story-clustering gold set, dealt round-robin into the input files so that each story spans several
files (the order of the writers matters to the clustering).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _store_state import BACKENDS, assert_each_article_in_one_story, duc_rows, read_rows, write_jsonl

from _paths import REPO
from storydesk.config import Settings
from storydesk.eval.bcubed import bcubed
from storydesk.service import Desk
from storydesk.store import Store

SETTINGS = {"embedder": "tfidf", "facts": "false", "workers": "0"}

# (writers, articles per file, how the files share articles)
SCENARIOS = {
    "2 writers, disjoint": (2, 16, "disjoint"),
    "4 writers, overlapping": (4, 12, "overlapping"),
    "2 writers, the same file": (2, 14, "same"),  # the Postgres case
}


def _inputs(tmp_path: Path, writers: int, per_file: int, kind: str) -> list[Path]:
    if kind == "same":
        path = write_jsonl(tmp_path / "in-0.jsonl", duc_rows(per_file))
        return [path] * writers
    if kind == "disjoint":
        pool = duc_rows(writers * per_file)
        files = [pool[i::writers] for i in range(writers)]
    else:  # each article in two neighbouring files
        pool = duc_rows(writers * per_file // 2)
        files = [
            [r for i, r in enumerate(pool) if i % writers in (w, (w + 1) % writers)] for w in range(writers)
        ]
    return [write_jsonl(tmp_path / f"in-{w}.jsonl", rows) for w, rows in enumerate(files)]


def _cli(url: str, path: Path, log: Path) -> subprocess.Popen[bytes]:
    sets = [arg for k, v in SETTINGS.items() for arg in ("--set", f"{k}={v}")]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "storydesk.cli", *sets, "ingest", "--db", url, str(path)],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        env=env,
    )


def _lock_order(url: str, inputs: list[Path]) -> list[Path]:
    """The inputs in the order their writers stored their first article (each stores under the lock);
    writers that stored nothing (all their articles were stored already) changed nothing and come last."""
    first = dict(read_rows(url, "SELECT path, min(seq) FROM articles GROUP BY path"))
    unique = list(dict.fromkeys(inputs))
    return sorted(unique, key=lambda p: first.get(str(p), float("inf")))


def _cases() -> list:
    """Both backends for the 2- and 4-writer cases; the same file twice on Postgres, as the issue found it."""
    cases = []
    for backend in BACKENDS:
        name = backend if isinstance(backend, str) else backend.values[0]
        marks = () if isinstance(backend, str) else backend.marks
        for scenario in SCENARIOS:
            if scenario.endswith("the same file") and name == "sqlite":
                continue
            cases.append(pytest.param(scenario, name, marks=marks, id=f"{scenario}-{name}"))
    return cases


@pytest.mark.parametrize(("scenario", "store_url"), _cases(), indirect=["store_url"])
def test_concurrent_ingests_group_each_article_once_as_sequential_ingests_do(
    scenario: str, store_url: str, tmp_path: Path
) -> None:
    writers, per_file, kind = SCENARIOS[scenario]
    inputs = _inputs(tmp_path, writers, per_file, kind)
    logs = [tmp_path / f"writer-{w}.log" for w in range(writers)]
    with Store.open(store_url) as store, store.writer_lock(timeout=0):
        procs = [_cli(store_url, path, log) for path, log in zip(inputs, logs, strict=True)]
        deadline = time.monotonic() + 120
        while not all("waiting for" in log.read_text(errors="replace") for log in logs):
            assert all(p.poll() is None for p in procs), [log.read_text() for log in logs]
            assert time.monotonic() < deadline, "the writers never waited for the lock"
            time.sleep(0.1)
    codes = [p.wait(timeout=300) for p in procs]
    assert codes == [0] * writers, [log.read_text() for log in logs]
    assert all(f"pid {os.getpid()}" in log.read_text() for log in logs)  # each named the holder

    concurrent = assert_each_article_in_one_story(store_url)
    expected_articles = {r["text"] for path in set(inputs) for r in map(_row, path.read_text().splitlines())}
    assert len(concurrent) == len(expected_articles)

    # the same ingests, one after another, in the order the writers got the lock
    order = _lock_order(store_url, inputs)
    settings = Settings(db=str(tmp_path / "sequential.db"), embedder="tfidf", facts=False, workers=0)
    with Desk(settings) as desk:
        for path in order:
            desk.ingest([path])
    sequential = assert_each_article_in_one_story(settings.db_url)
    assert concurrent.keys() == sequential.keys()
    precision, recall, f1 = bcubed(concurrent, sequential)
    print(
        f"\n[concurrent ingest] {scenario}, {store_url.split(':')[0]}: {writers} writers, "
        f"{len(concurrent)} articles, {len(set(concurrent.values()))} stories; articles in two stories: 0; "
        f"B3 F1 against sequential: {f1:.4f}"
    )
    assert f1 == 1.0, (precision, recall)


def _row(line: str) -> dict:
    import json

    return json.loads(line)


def test_first_opens_at_once_migrate_once(store_url: str) -> None:
    """Four processes opening a new store at the same moment: one creates the schema, none fails."""
    code = "import sys; from storydesk.store import Store; Store.open(sys.argv[1]).close()"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, store_url], stderr=subprocess.PIPE, env=env)
        for _ in range(4)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in procs]
    assert [rc for rc, _ in results] == [0] * 4, results
    with Store.open(store_url) as store:
        assert store.doctor.schema()[0] == (store.doctor.schema()[1],)
