"""``ingest``'s story placing replayed in-process on duc-stories, scored against the gold (B³), in seconds.

``storydesk ingest`` (and ``bench/scale.py --only agreement``) takes minutes on this machine, most of it
storing and briefing, which do not change story membership. This replays only what does: the articles read
as ``ingest`` reads the file (``pipeline.read_articles``), their MiniLM document vectors (cached under
``--cache``), and ``group.StoryIndex`` fed the stored articles ``--chunk`` at a time, each chunk in
publication order and flushed after it, as ``stream.StoryPlacer`` does. A copy is scored in its original's
story, as the store lists it. With the defaults it gives ``ingest``'s figure (B³ F1, stories, copies).

The switches take one factor away at a time (#19, docs/scale.md "Measured (a)")::

    python bench/ingest_replay.py                      # ingest as it is
    python bench/ingest_replay.py --chunk 100000       # one chunk (also: --no-chunk-flush, --file-order)
    python bench/ingest_replay.py --title-twice        # count a title cut from the first line twice (before #19)
    python bench/ingest_replay.py --copies-unfed       # fold copies without feeding them to the clusterer (before #19)
    python bench/ingest_replay.py --no-dedup           # fold nothing
    python bench/ingest_replay.py --eval-articles      # the articles as `eval cluster` reads them (no title)
    python bench/ingest_replay.py --no-dedup --drop-random 74 --seed 0   # 74 articles left out at random
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DATA = ROOT.parent / "shared" / "data" / "stories" / "duc-stories.jsonl"


def _title_twice() -> None:
    """The title read as before #19: the words of any title counted again, a cut title read by the vector."""
    import storydesk.group.cluster.text_features as features
    import storydesk.group.embed as embed

    features.clustered_text = lambda a: f"{a.title}\n{a.text}" if a.title else a.text

    def document_text(
        article: Any, *, paragraphs: int = embed.R.DOC_PARAGRAPHS, chars: int = embed.R.DOC_CHARS
    ) -> str:
        paras = [p.strip() for p in article.text.split("\n\n") if p.strip()]
        lead = "\n".join(paras[:paragraphs])
        title = (article.title or "").strip()
        if title and not lead.startswith(title):
            lead = f"{title}.\n{lead}"
        return lead[:chars]

    embed.document_text = document_text


def load(cache: Path, *, eval_articles: bool, title_twice: bool) -> tuple[list, Any, dict[str, str]]:
    """(articles in file order, their vectors, article id → gold story)."""
    key = cache / f"duc-{'eval' if eval_articles else 'ingest'}-{'twice' if title_twice else 'once'}.pkl"
    if key.exists():
        return pickle.loads(key.read_bytes())
    from storydesk.config import Settings
    from storydesk.group.embed import embed_documents, get_embedder
    from storydesk.model import Failure

    rows = [json.loads(line) for line in DATA.open(encoding="utf-8") if line.strip()]
    if eval_articles:
        from storydesk.eval.clustering import load_stories

        articles, gold = load_stories(DATA)
    else:
        from storydesk.pipeline import read_articles

        tmp = cache / "duc-with-urls.jsonl"
        with tmp.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(dict(r, url=f"duc://{r['id']}")) + "\n")
        settings = Settings(db=str(cache / "unused.db"), embedder="minilm", facts=False)
        articles = [a for a in read_articles([tmp], settings) if not isinstance(a, Failure)]
        story = {f"duc://{r['id']}": r["story"] for r in rows}
        gold = {a.id: story[a.url] for a in articles}
    vectors = embed_documents(get_embedder("minilm"), articles)
    out = (articles, vectors, gold)
    key.write_bytes(pickle.dumps(out))
    return out


def replay(articles: list, vectors: Any, args: argparse.Namespace) -> tuple[dict[str, str], int]:
    """Article id → story id (a copy: its original's), and how many copies were folded."""
    from storydesk.group import StoryIndex
    from storydesk.model import article_sort_key

    index = StoryIndex()
    if args.no_dedup:
        index._dedup.add = lambda article, shingles=None, **_: None  # type: ignore[method-assign]
    if args.copies_unfed:
        feed = index._clusterer.add
        index._clusterer.add = lambda a, v, raw=None: (  # type: ignore[method-assign]
            None if a.id in index._copies else feed(a, v, raw)
        )
    stored, seen = [], set()
    for a, v in zip(articles, vectors, strict=True):
        if a.id not in seen:  # the store keeps an article once
            seen.add(a.id)
            stored.append((a, v))
    copies: dict[str, str] = {}
    chunks = [stored[i : i + args.chunk] for i in range(0, len(stored), args.chunk)]
    for k, chunk in enumerate(chunks):
        order = chunk if args.file_order else sorted(chunk, key=lambda n: article_sort_key(n[0]))
        for a, v in order:
            index.add(a, v)
        if not args.no_chunk_flush or k == len(chunks) - 1:
            index.flush()
        copies.update(index.take_duplicates())
    story_of = {aid: s.id for s in index.stories() for aid in s.article_ids}
    for copy, original in copies.items():
        story_of[copy] = story_of[original]
    return story_of, len(copies)


def main() -> None:
    from storydesk.eval.bcubed import bcubed

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunk", type=int, default=500, help="stored articles per placement (ingest: 500)")
    ap.add_argument("--file-order", action="store_true", help="each chunk in file order, not sorted")
    ap.add_argument("--no-chunk-flush", action="store_true", help="revise only at the end of the run")
    ap.add_argument("--title-twice", action="store_true")
    ap.add_argument("--copies-unfed", action="store_true")
    ap.add_argument("--no-dedup", action="store_true")
    ap.add_argument("--eval-articles", action="store_true")
    ap.add_argument("--drop-random", type=int, default=0, help="leave out N articles at random")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/storydesk-ingest-replay"))
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    if args.title_twice:
        _title_twice()
    articles, vectors, gold = load(args.cache, eval_articles=args.eval_articles, title_twice=args.title_twice)
    keep = list(range(len(articles)))
    if args.drop_random:
        drop = set(random.Random(args.seed).sample(keep, args.drop_random))
        keep = [i for i in keep if i not in drop]
    ids = {articles[i].id for i in keep}
    runs = [("", keep)] + (
        [("every article, scored on those kept: ", list(range(len(articles))))] if args.drop_random else []
    )
    for label, fed in runs:
        start = time.perf_counter()
        story_of, copies = replay([articles[i] for i in fed], vectors[fed], args)
        p, r, f = bcubed({a: story_of[a] for a in ids}, {a: gold[a] for a in ids})
        print(
            f"{label}B3 P {p:.4f} R {r:.4f} F1 {f:.4f}  stories {len(set(story_of.values()))}  "
            f"copies {copies}  articles {len(fed)}  ({time.perf_counter() - start:.1f} s)"
        )


if __name__ == "__main__":
    main()
