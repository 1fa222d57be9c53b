"""CPU milliseconds per article of the two costly readings of an article: MiniLM over its sentences and
the spaCy parse, each measured alone on the first duc-stories articles.

* MiniLM (``group/embed.py``) over every sentence of the articles, uncached, with 1 or 2 onnxruntime
  threads, spinning or not (``ONNX_SPIN`` in ``group/rules.py``);
* spaCy (the facts layer's pipeline) one article at a time vs ``nlp.pipe`` in batches (``PIPE_BATCH`` in
  ``analyse/rules.py``), checking that every token's tag, POS, dependency, head and entity type are the
  same, and the pipe without each component in turn (what each one costs).

Usage::

    python bench/cost_per_article.py --embed-articles 100 --parse-articles 80
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "stories" / "duc-stories.jsonl"


def _articles(n: int):  # type: ignore[no-untyped-def]
    from storydesk.model import Article

    with DATA.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh][:n]
    return [
        Article(
            id=r["id"],
            title=r.get("title") or "",
            text=r["text"],
            outlet=r.get("outlet"),
            published=r["published"],
        )
        for r in rows
    ]


def embedding(n: int) -> None:
    from storydesk.analyse.sentences import split_sentences
    from storydesk.group.embed import EmbedderOptions, MiniLMEmbedder

    arts = _articles(n)
    sents = [s.text for a in arts for s in split_sentences(a)]
    words = sum(len(s.split()) for s in sents) / len(sents)
    print(f"MiniLM: {len(arts)} articles, {len(sents)} sentences, {words:.1f} words each")
    for threads in (1, 2):
        for spin in (True, False):
            e = MiniLMEmbedder(EmbedderOptions(threads=threads, spin=spin, cache_texts=0))
            cpu, wall = time.process_time(), time.perf_counter()
            e.embed(sents)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(
                f"  threads={threads} spin={spin!s:5}: {wall:6.1f} s wall, {cpu:6.1f} CPU s, "
                f"{1000 * cpu / len(arts):6.1f} CPU ms per article"
            )


def parsing(n: int, batch: int) -> None:
    from storydesk.analyse._nlp import load_nlp

    texts = [a.text for a in _articles(n)]
    nlp = load_nlp()
    for t in texts[:5]:  # warm the tokenizer's cache
        nlp(t)

    def reading(doc):  # type: ignore[no-untyped-def]
        return [(t.tag_, t.pos_, t.dep_, t.head.i, t.ent_type_) for t in doc]

    cpu = time.process_time()
    alone = [reading(nlp(t)) for t in texts]
    one = time.process_time() - cpu
    cpu = time.process_time()
    piped = [reading(d) for d in nlp.pipe(texts, batch_size=batch)]
    pipe = time.process_time() - cpu
    print(f"spaCy {nlp.pipe_names}, {len(texts)} articles:")
    print(f"  nlp(text) one by one: {1000 * one / len(texts):6.1f} CPU ms per article")
    print(
        f"  nlp.pipe, batch {batch}: {1000 * pipe / len(texts):6.1f} CPU ms per article "
        f"(same reading of every token: {alone == piped})"
    )
    for name in nlp.pipe_names:
        with nlp.select_pipes(disable=[name]):
            cpu = time.process_time()
            list(nlp.pipe(texts, batch_size=batch))
            secs = time.process_time() - cpu
        print(f"  nlp.pipe without {name}: {1000 * secs / len(texts):6.1f} CPU ms per article")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--embed-articles", type=int, default=100)
    ap.add_argument("--parse-articles", type=int, default=80)
    ap.add_argument("--batch", type=int, default=16)
    args = ap.parse_args()
    embedding(args.embed_articles)
    parsing(args.parse_articles, args.batch)


if __name__ == "__main__":
    main()
