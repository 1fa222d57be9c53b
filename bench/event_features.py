"""Stories as events (#21): what each feature of story clustering adds, on ECB+ dev, DUC and PolNeAR.

Runs the clusterer (batch and stream) with the features of #21 switched on one after another, through
:class:`ClusterOptions`, and prints one row per variant:

* ``ecb``: ``../shared/data/stories/ecbplus-dev.jsonl`` (each topic two look-alike events, no dates):
  B3 precision / recall / F1 and stories found (gold 42), batch and stream;
* ``duc``: ``../shared/data/stories/duc-stories.jsonl`` (84 stories of different subjects): B3 F1, batch
  and stream;
* ``polnear``: ``../shared/data/quotes/polnear-dev.jsonl`` (ten months of US politics, no gold): the
  largest stories after near-duplicate folding, as (articles, days from first to last), batch;
* ``related``: on ECB+ dev, the links between the final stories (same subject, ``Story.related``) and how
  many join the two events of one topic, and how many of the 21 topics are linked.

The variants (each row adds to the one above):

1. ``w.3/.4/.3 t.12``: the weights and join threshold before #21, without a time penalty (the old
   penalty between date *ranges* is gone from the code; its figures are the baseline row in docs/events.md);
2. ``w.2/.5/.3``: less weight on the document vector, which says "same subject" more than "same event";
3. ``+ time``: the time penalty over member pairs with publication days (a week free, 0.1 by 37 days);
4. ``+ years``: an undated article's time is the latest year its text names (the default);
5. ``t.09``: the default join threshold (0.09 instead of 0.12).

``--explain TOPIC`` prints, for one ECB+ topic, the two events' average similarities (within each, across),
the time penalty between them and the group rule's verdict: the worked example of docs/events.md.

    .venv/bin/python bench/event_features.py [--cache DIR] [--no-stream] [--explain 27]

Document vectors are MiniLM's (``--cache DIR`` keeps them between runs). Figures are from one run on a
shared machine; the clustering results do not depend on timing.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
ECB = DATA / "stories" / "ecbplus-dev.jsonl"
DUC = DATA / "stories" / "duc-stories.jsonl"
POLNEAR = DATA / "quotes" / "polnear-dev.jsonl"


def _variants():
    from storydesk.group.cluster import ClusterOptions

    old = ClusterOptions(
        weight_vector=0.3, weight_words=0.4, weight_names=0.3, join_threshold=0.12, time_penalty=0.0
    )
    new_weights = dataclasses.replace(old, weight_vector=0.2, weight_words=0.5)
    timed = dataclasses.replace(new_weights, time_penalty=ClusterOptions().time_penalty, time_from_text=False)
    years = dataclasses.replace(timed, time_from_text=True)
    final = ClusterOptions()
    assert final == dataclasses.replace(years, join_threshold=final.join_threshold), "defaults moved"
    return [
        ("w.3/.4/.3 t.12", old),
        ("w.2/.5/.3", new_weights),
        ("+ time", timed),
        ("+ years", years),
        ("t.09 (default)", final),
    ]


def _vectors(name: str, articles, cache: Path | None) -> np.ndarray:
    from storydesk.group.embed import embed_documents, get_embedder

    path = cache / f"{name}.npy" if cache else None
    if path is not None and path.exists():
        v = np.load(path)
        if len(v) == len(articles):
            return v
    v = embed_documents(get_embedder("minilm"), articles)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, v)
    return v


def _polnear(cache: Path | None):
    from storydesk.group.dedup import find_near_duplicates
    from storydesk.model import Article, article_sort_key

    rows = [json.loads(line) for line in POLNEAR.open(encoding="utf-8") if line.strip()]
    arts = [
        Article(id=r["id"], title=r.get("title") or "", text=r["text"], outlet=r.get("outlet"),
                published=r.get("published"))
        for r in rows
    ]  # fmt: skip
    arts = sorted({a.id: a for a in arts}.values(), key=article_sort_key)
    dups = find_near_duplicates(arts)
    kept = [a for a in arts if a.id not in dups]
    return kept, _vectors("polnear", kept, cache)


def _score(stories, gold) -> dict:
    from storydesk.eval.clustering import score_row

    pred = {a: s.id for s in stories for a in s.article_ids}
    r = score_row("storydesk", "", pred, gold)
    return {k: r[k] for k in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "stories_found")}


def _stream(articles, vectors, options):
    from storydesk.group.cluster import StreamClusterer
    from storydesk.model import Story

    sc = StreamClusterer(options)
    for a, v in zip(articles, vectors, strict=True):  # the files are in publication order
        sc.add(a, v)
    sc.flush()
    groups = defaultdict(list)
    for aid, sid in sc.assignments().items():
        groups[sid].append(aid)
    return [Story(sid, tuple(ids)) for sid, ids in groups.items()]


def _largest(stories, articles, k: int = 5) -> list[tuple[int, int]]:
    from storydesk.model import publication_day

    day = {a.id: publication_day(a.published) for a in articles}
    out = []
    for s in sorted(stories, key=lambda s: -len(s.article_ids))[:k]:
        days = [day[a] for a in s.article_ids]
        out.append((len(days), int(max(days) - min(days)) + 1))
    return out


def _related_quality(stories, topic: dict[str, int]) -> dict:
    main = {s.id: Counter(topic[a] for a in s.article_ids).most_common(1)[0][0] for s in stories}
    links = {tuple(sorted((s.id, r))) for s in stories for r in s.related}
    same = [pair for pair in links if main[pair[0]] == main[pair[1]]]
    return {
        "links": len(links),
        "same_topic": len(same),
        "topics_linked": len({main[p[0]] for p in same}),
        "topics": len(set(topic.values())),
    }


def run(cache: Path | None, stream: bool) -> list[dict]:
    from storydesk.eval.clustering import load_stories
    from storydesk.group.cluster import cluster_articles

    ecb, ecb_gold = load_stories(ECB)
    topic = {json.loads(line)["id"]: json.loads(line)["topic"] for line in ECB.open(encoding="utf-8")}
    duc, duc_gold = load_stories(DUC)
    ecb_v, duc_v = _vectors("ecbplus-dev", ecb, cache), _vectors("duc-stories", duc, cache)
    pol, pol_v = _polnear(cache) if POLNEAR.exists() else ([], None)
    rows = []
    for label, options in _variants():
        row: dict = {"variant": label}
        t0 = time.perf_counter()
        stories = cluster_articles(ecb, ecb_v, options=options)
        row["ecb_batch"] = _score(stories, ecb_gold)
        row["related"] = _related_quality(stories, topic)
        row["duc_batch"] = _score(cluster_articles(duc, duc_v, options=options), duc_gold)
        if stream:
            row["ecb_stream"] = _score(_stream(ecb, ecb_v, options), ecb_gold)
            row["duc_stream"] = _score(_stream(duc, duc_v, options), duc_gold)
        if pol:
            pol_stories = cluster_articles(pol, pol_v, options=options)
            row["polnear"] = {"stories": len(pol_stories), "largest": _largest(pol_stories, pol)}
        row["seconds"] = round(time.perf_counter() - t0, 1)
        rows.append(row)
        _print_row(row)
    return rows


def _print_row(row: dict) -> None:
    def prf(d: dict) -> str:
        return f"{d['bcubed_precision']:.3f}/{d['bcubed_recall']:.3f}/{d['bcubed_f1']:.3f} ({d['stories_found']})"

    line = [f"{row['variant']:<16}", "ecb", prf(row["ecb_batch"])]
    if "ecb_stream" in row:
        line += ["stream", prf(row["ecb_stream"])]
    line += ["| duc", f"{row['duc_batch']['bcubed_f1']:.3f}"]
    if "duc_stream" in row:
        line += ["stream", f"{row['duc_stream']['bcubed_f1']:.3f}"]
    rel = row["related"]
    line += [
        f"| related {rel['same_topic']}/{rel['links']} links, {rel['topics_linked']}/{rel['topics']} topics"
    ]
    if "polnear" in row:
        line += [f"| polnear {row['polnear']['stories']} stories, largest {row['polnear']['largest']}"]
    print(" ".join(line), flush=True)


def explain(topic_id: int, cache: Path | None) -> dict:
    """The two events of one ECB+ topic under the default options: similarities, time penalty, verdict."""
    from storydesk.eval.clustering import load_stories
    from storydesk.group.cluster import ClusterOptions, cluster_articles
    from storydesk.group.cluster.batch import BatchFeatures
    from storydesk.group.cluster.timing import named_year

    arts, gold = load_stories(ECB)
    vecs = _vectors("ecbplus-dev", arts, cache)
    options = ClusterOptions()
    rows = [i for i, a in enumerate(arts) if a.id.split("_")[0] == str(topic_id)]
    sub = [arts[i] for i in rows]
    feats = BatchFeatures(options)
    feats.add(arts, vecs)  # IDF over the whole file, as when clustering it
    sim = feats.similarity()[np.ix_(rows, rows)]
    penalties, known = feats.time_penalties()
    penalties, known = penalties[np.ix_(rows, rows)], known[rows]
    events = sorted({gold[a.id] for a in sub})
    idx = {e: [k for k, a in enumerate(sub) if gold[a.id] == e] for e in events}

    def within(ix: list[int]) -> float:
        block = sim[np.ix_(ix, ix)]
        return float((block.sum() - np.trace(block)) / (len(ix) * (len(ix) - 1)))

    a, b = idx[events[0]], idx[events[1]]
    cross = float(sim[np.ix_(a, b)].mean())
    pairs = known[a].sum() * known[b].sum()
    penalty = float(penalties[np.ix_(a, b)].sum() / pairs) if pairs else 0.0
    mean_within = (within(a) + within(b)) / 2
    years = {e: Counter(named_year(sub[k].text) for k in idx[e]).most_common() for e in events}
    stories = cluster_articles(arts, vecs)
    split = {e: sorted({s.id for s in stories for aid in s.article_ids if aid in {sub[k].id for k in idx[e]}})
             for e in events}  # fmt: skip
    out = {
        "topic": topic_id,
        "events": {e: len(idx[e]) for e in events},
        "first_lines": {e: sub[idx[e][0]].text.split("\n")[0][:120] for e in events},
        "named_years": {e: [(y, n) for y, n in ys] for e, ys in years.items()},
        "within": {events[0]: round(within(a), 3), events[1]: round(within(b), 3)},
        "cross": round(cross, 3),
        "time_penalty": round(penalty, 3),
        "cross_less_penalty": round(cross - penalty, 3),
        "group_rule_needs": round(options.group_ratio * mean_within, 3),
        "joins_without_time": cross >= options.group_ratio * mean_within,
        "joins": cross - penalty >= options.group_ratio * mean_within,
        "stories_of_each_event": split,
    }
    print(json.dumps(out, indent=1, ensure_ascii=False))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, help="keep document vectors here between runs")
    ap.add_argument("--no-stream", action="store_true", help="batch only")
    ap.add_argument("--explain", type=int, metavar="TOPIC", help="the worked example of one ECB+ topic")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args(argv)
    if args.explain is not None:
        explain(args.explain, args.cache)
        return 0
    rows = run(args.cache, not args.no_stream)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
