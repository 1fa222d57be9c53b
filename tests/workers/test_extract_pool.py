"""Extraction in worker processes: the same articles and failures, in the same order, as in-process."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from _paths import REPO
from storydesk.config import Settings
from storydesk.model import Failure
from storydesk.pipeline import StageTimer, read_articles
from storydesk.service import Desk, IngestOptions
from storydesk.workers import extract_pool
from storydesk.workers.extract_pool import ExtractPoolOptions

EXAMPLES = REPO / "examples" / "news"


def _jsonl(path: Path, copies: int) -> Path:
    """The example articles ``copies`` times (fresh urls), with a broken line and an empty text now and then."""
    rows = []
    for n, doc in enumerate(sorted(EXAMPLES.glob("*.txt")) * copies):
        rows.append(json.dumps({"text": doc.read_text(encoding="utf-8"), "url": f"https://example.org/{n}"}))
        if n % 5 == 2:
            rows.append("{not json")
            rows.append(json.dumps({"title": "nothing here", "text": "", "url": f"https://example.org/e{n}"}))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


#: Chunks small enough that a few dozen documents reach the workers.
SMALL = ExtractPoolOptions(in_process=4, chunk=3, ahead=2)


def test_workers_extract_the_same_items_in_the_same_order(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", copies=3)
    here = list(read_articles([src], Settings(workers=0), extract=SMALL))
    timer = StageTimer()
    there = list(read_articles([src], Settings(workers=1), timer=timer, extract=SMALL))
    assert there == here
    assert timer.seconds.get("extract (workers)", 0) > 0, (
        "the worker extracted the documents after the first 4"
    )
    failures = [x for x in there if isinstance(x, Failure)]
    assert failures and all(str(src) in f.origin for f in failures)  # each names the file (and line)


def test_short_runs_start_no_worker(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", copies=1)
    timer = StageTimer()
    items = list(read_articles([src], Settings(workers=1), timer=timer))
    assert len(items) < ExtractPoolOptions().in_process
    assert "extract (workers)" not in timer.seconds


def test_a_worker_that_cannot_start_leaves_the_work_here(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = _jsonl(tmp_path / "in.jsonl", copies=2)
    here = list(read_articles([src], Settings(workers=0), extract=SMALL))

    def no_pool(*args: object, **kwargs: object) -> None:
        raise OSError("no /dev/shm")

    monkeypatch.setattr(extract_pool, "ProcessPoolExecutor", no_pool)
    assert list(read_articles([src], Settings(workers=1), extract=SMALL)) == here


def test_ingest_with_extraction_workers_stores_the_same_articles(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", copies=2)
    stored = {}
    for workers in (0, 1):
        settings = Settings(
            db=str(tmp_path / f"w{workers}.db"), embedder="tfidf", facts=False, workers=workers
        )
        with Desk(settings, options=IngestOptions(extract=SMALL)) as desk:
            report = desk.ingest([src])
            stored[workers] = (
                report.added,
                report.duplicates,
                len(report.failures),
                sorted((a.id, a.text) for a in desk.store.iter_articles()),
                sorted(
                    (i, v.tobytes()) for i, v in desk.store.get_vectors(report.article_ids, "tfidf").items()
                ),
                sorted(
                    tuple(desk.store.get_story_members(row.id).article_ids)
                    for row in desk.stories(limit=1000)
                ),
            )
    # the features made by the worker (Prepared) place the articles exactly as those made here
    assert stored[1] == stored[0]
    assert stored[1][2] > 0


def test_prepared_features_are_the_ones_made_here() -> None:
    from storydesk.extract import extract_article
    from storydesk.group.cluster import StreamClusterer
    from storydesk.group.dedup import shingle_hashes
    from storydesk.group.embed import embed_documents, get_embedder
    from storydesk.model import RawDocument
    from storydesk.pipeline import prepare

    doc = sorted(EXAMPLES.glob("*.txt"))[0]
    article = extract_article(
        RawDocument(origin=str(doc), kind="text", content=doc.read_text(encoding="utf-8"))
    )
    embedder = get_embedder("tfidf")
    (p,) = prepare([article], embedder)
    assert (p.shingles == shingle_hashes(article.text)).all()
    assert p.vector is not None and np.array_equal(p.vector, embed_documents(embedder, [article])[0])
    words, names = StreamClusterer().state.terms.count([article])
    assert (p.words != words).nnz == 0 and (p.names != names).nnz == 0
    assert words.nnz and names.nnz
