"""The first streaming step: what was read is stored, one transaction per article, with its document vector."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np

from ..components import Components
from ..group import Prepared
from ..model import Article, Failure
from ._interfaces import IngestOptions, IngestReport, IngestStore, NewArticle, Progress

__all__ = ["store_new_articles", "document_vectors"]


def store_new_articles(
    items: Iterable[Article | Prepared | Failure],
    store: IngestStore,
    components: Components,
    options: IngestOptions,
    report: IngestReport,
    progress: Progress,
) -> Iterator[NewArticle]:
    """Store each article not stored yet (with its document vector) and yield it; log each failure.

    Articles are checked against the store and embedded ``options.embed_batch`` at a time; each is then
    stored in its own transaction, so a crash loses at most the article in flight. ``report`` counts
    what was read, added, already stored and failed.
    """
    timer = components.timer
    batch: list[Article] = []
    prepared: dict[str, Prepared] = {}  # features made ahead, by article id (of the batch)

    def flush() -> Iterator[NewArticle]:
        with timer("store"):
            known = store.existing_ids([a.id for a in batch])
        report.existing += len(known)
        batch[:] = [a for a in batch if a.id not in known]
        if not batch:
            return
        vectors = _batch_vectors(batch, prepared, components)
        for article, vector in zip(batch, vectors, strict=True):
            with timer("store"):
                new = store.add_article(article, vector=vector, model=components.embedder.name)
            if new:
                report.added += 1
                yield NewArticle(article, vector, prepared.get(article.id))
            else:
                report.existing += 1
        batch.clear()
        prepared.clear()

    for item in items:
        if isinstance(item, Failure):
            report.failures.append(item)
            store.add_failure(item)
            progress("failure", 1)
            continue
        if isinstance(item, Prepared):
            prepared[item.article.id] = item
            item = item.article
        report.article_ids.append(item.id)
        progress("article", 1)
        if any(a.id == item.id for a in batch):
            report.existing += 1
            continue
        batch.append(item)
        if len(batch) >= options.embed_batch:
            yield from flush()
    yield from flush()


def document_vectors(articles: Sequence[Article], components: Components) -> np.ndarray:
    """The embedder's document vectors of ``articles`` (counted as "embed")."""
    from ..group.embed import embed_documents

    with components.timer("embed"):
        return embed_documents(components.embedder, list(articles))


def _batch_vectors(
    batch: Sequence[Article], prepared: Mapping[str, Prepared], components: Components
) -> list[np.ndarray]:
    """Document vectors of ``batch``: those an extraction worker made, the others here."""
    made = {a.id: p.vector for a in batch if (p := prepared.get(a.id)) is not None and p.vector is not None}
    missing = [a for a in batch if a.id not in made]
    if missing:
        made.update(zip([a.id for a in missing], document_vectors(missing, components), strict=True))
    return [made[a.id] for a in batch]
