"""Story clustering evaluation on duc-stories.jsonl (gold ``story`` per article, sorted by date).

Rows: storydesk batch and stream (replayed in date order, one article at a time, scored after the last
``add`` and the end-of-run ``flush``), and two peers scored in the same run:

* ``tfidf-agglomerative``: scikit-learn TF-IDF + AgglomerativeClustering (cosine, average linkage) with the
  distance threshold chosen by scanning against the gold labels: an upper bound for that method;
* ``title-jaccard``: greedy single pass as news readers do; an article joins the first group whose seed
  title (or first sentence when the title is missing) shares at least ``TITLE_JACCARD`` of its words.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ..group.cluster import ClusterOptions, StreamClusterer, cluster_articles
from ..group.embed import Embedder, embed_documents, get_embedder
from ..model import Article
from .bcubed import bcubed, pairwise_f1

__all__ = ["bcubed", "pairwise_f1", "evaluate_clustering", "load_stories", "score_row"]

TITLE_JACCARD = 0.3
_WORD = re.compile(r"[^\W_]+")
_SENT = re.compile(r"(?<=[.!?])\s+")


def load_stories(path: Path) -> tuple[list[Article], dict[str, str]]:
    """Articles (in file order) and the gold story of each."""
    articles, gold = [], {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            articles.append(
                Article(
                    id=r["id"],
                    title=r.get("title") or "",
                    text=r["text"],
                    outlet=r.get("outlet"),
                    published=r.get("published"),
                )
            )
            gold[r["id"]] = r["story"]
    return articles, gold


def score_row(
    system: str, mode: str, pred: Mapping[str, str], gold: Mapping[str, str], **extra: object
) -> dict:
    p, r, f = bcubed(pred, gold)
    return {
        "system": system,
        "mode": mode,
        "bcubed_precision": round(p, 4),
        "bcubed_recall": round(r, 4),
        "bcubed_f1": round(f, 4),
        "pairwise_f1": round(pairwise_f1(pred, gold)[2], 4),
        "stories_found": len(set(pred.values())),
        "stories_gold": len(set(gold.values())),
        **extra,
    }


def _tfidf_agglomerative(articles: list[Article], gold: Mapping[str, str]) -> tuple[dict[str, str], float]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([a.text for a in articles])
    dist = np.clip(1.0 - (x @ x.T).toarray(), 0.0, None)
    best: tuple[float, dict[str, str], float] | None = None
    for t in np.arange(0.5, 0.99, 0.01):
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=float(t)
        ).fit_predict(dist)
        pred = {a.id: str(lab) for a, lab in zip(articles, labels, strict=True)}
        f = bcubed(pred, gold)[2]
        if best is None or f > best[0]:
            best = (f, pred, float(t))
    assert best is not None
    return best[1], best[2]


def _title_words(article: Article) -> set[str]:
    head = article.title or _SENT.split(article.text.strip(), maxsplit=1)[0]
    return set(_WORD.findall(head.casefold()))


def _title_jaccard(articles: list[Article], threshold: float = TITLE_JACCARD) -> dict[str, str]:
    seeds: list[tuple[str, set[str]]] = []
    pred = {}
    for a in articles:
        words = _title_words(a)
        for sid, seed in seeds:
            union = words | seed
            if union and len(words & seed) / len(union) >= threshold:
                pred[a.id] = sid
                break
        else:
            seeds.append((a.id, words))
            pred[a.id] = a.id
    return pred


def evaluate_clustering(
    path: Path,
    *,
    embedder: Embedder | None = None,
    vectors: np.ndarray | None = None,
    options: ClusterOptions | None = None,
) -> list[dict]:
    """Score storydesk (batch, stream) and the peers; each row also has ``seconds_per_1000``.

    ``options``: storydesk's clustering options (default: the tuned rules, as shipped)."""
    articles, gold = load_stories(path)
    k = len(articles) / 1000
    t0 = time.perf_counter()
    if vectors is None:
        vectors = embed_documents(embedder or get_embedder("minilm"), articles)
    t_embed = time.perf_counter() - t0
    rows = []

    t0 = time.perf_counter()
    stories = cluster_articles(articles, vectors, options=options)
    t = time.perf_counter() - t0
    pred = {aid: s.id for s in stories for aid in s.article_ids}
    rows.append(
        score_row(
            "storydesk",
            "batch",
            pred,
            gold,
            seconds_per_1000=round(t / k, 2),
            embed_seconds_per_1000=round(t_embed / k, 2),
        )
    )

    t0 = time.perf_counter()
    stream = StreamClusterer(options)
    for a, v in zip(articles, vectors, strict=True):  # one at a time, in date order
        stream.add(a, v)
    stream.flush()  # the end-of-run revision, as ``storydesk ingest`` does
    pred = stream.assignments()
    t = time.perf_counter() - t0
    rows.append(
        score_row(
            "storydesk",
            "stream",
            pred,
            gold,
            seconds_per_1000=round(t / k, 2),
            embed_seconds_per_1000=round(t_embed / k, 2),
        )
    )

    t0 = time.perf_counter()
    pred, threshold = _tfidf_agglomerative(articles, gold)
    t = time.perf_counter() - t0
    rows.append(
        score_row(
            "tfidf-agglomerative",
            "batch",
            pred,
            gold,
            seconds_per_1000=round(t / k, 2),
            distance_threshold=round(threshold, 2),
            note="threshold tuned on gold: upper bound",
        )
    )

    t0 = time.perf_counter()
    pred = _title_jaccard(articles)
    t = time.perf_counter() - t0
    rows.append(score_row("title-jaccard", "stream", pred, gold, seconds_per_1000=round(t / k, 2)))
    return rows
