"""Step 4 as Dask tasks: a briefing per story, written to the store in batches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..config import Settings
from ..model import Article, Story, article_sort_key, count_outlets
from ._exchange import (
    read_exchange,
    read_table,
    table_articles,
    write_exchange,
    write_table,
)
from ._task_common import (
    Stats,
    _done,
    _timed,
    components_for,
)

# -- 4. briefings ------------------------------------------------------------------------------------------


def _part_of(story_id: str, parts: int) -> int:
    return int(story_id[:12], 16) % parts


@_timed
def route_stories(window_file: Path, window: int, story_map: Path, parts: int, out: Path) -> Stats:
    """The articles of one window with their final story, shuffled on the story."""
    if (done := _done(out)) is not None:
        return done
    table = read_table(window_file)
    found = read_exchange([story_map], window)
    final: dict[str, tuple[str, list[str]]] = {}
    if found is not None:
        final = {
            s: (f, r)
            for s, f, r in zip(
                *(found.column(c).to_pylist() for c in ("story", "final", "related")), strict=True
            )
        }
    window_stories = table.column("story").to_pylist()
    stories = [final[s][0] for s in window_stories]
    table = table.set_column(table.schema.get_field_index("story"), "story", pa.array(stories, pa.string()))
    table = table.append_column(
        "related", pa.array([final[s][1] for s in window_stories], pa.list_(pa.string()))
    )
    parts_of = np.array([_part_of(s, parts) for s in stories], dtype=np.int64)
    return Stats(table.num_rows, write_exchange(table, parts_of, out))


def _stories(table: pa.Table) -> Iterator[tuple[Story, dict[str, Article]]]:
    """Each story of a shuffle part with its articles (members and folded copies), ordered by id."""
    articles = table_articles(table)
    stories = table.column("story").to_pylist()
    canonical = table.column("canonical").to_pylist()
    related_of = dict(zip(stories, table.column("related").to_pylist(), strict=True))
    members: dict[str, dict[str, Article]] = {}
    copies: dict[str, dict[str, list[str]]] = {}
    for article, sid, canon in zip(articles, stories, canonical, strict=True):
        members.setdefault(sid, {})
        if canon is None:
            members[sid][article.id] = article
        else:
            members[sid].setdefault(article.id, article)
            folded = copies.setdefault(sid, {}).setdefault(canon, [])
            if article.id not in folded:
                folded.append(article.id)
    for sid in sorted(members):
        by_id = members[sid]
        dups = {c: tuple(sorted(ds)) for c, ds in copies.get(sid, {}).items()}
        copy_ids = {d for ds in dups.values() for d in ds}
        own = sorted((a for i, a in by_id.items() if i not in copy_ids), key=article_sort_key)
        yield Story(sid, tuple(a.id for a in own), dups, tuple(related_of[sid] or ())), by_id


@_timed
def brief_part(maps: list[Path], part: int, settings: Settings, db_url: str, batch: int, out: Path) -> Stats:
    """Brief every story of one shuffle part (the same ``brief_story`` as ``ingest``) and write them to the
    store ``batch`` stories at a time: their articles in one transaction, their near-duplicates, then each
    story with its briefing and its articles' analyses (#17: a later ``ingest`` re-briefs from them). Writing is idempotent, so a part briefed again after a failure changes nothing."""
    if (done := _done(out)) is not None:
        return done
    import json

    from ..analyse import encode_stored
    from ..brief import StoreWhat, brief_story_analyses
    from ..model import AnalysisBlob
    from ..render import briefing_to_dict
    from ..store import Store

    components = components_for(settings)
    keep = StoreWhat(vectors=components.stores_vectors) if components.stores_analyses else None
    version = components.analysis_version
    table = read_exchange(maps, part)
    count = articles = 0
    if table is not None:
        with Store.open(db_url) as store:
            pending: list[tuple[Story, dict[str, Article]]] = []

            def write() -> None:
                everything = sorted(
                    {i: a for _, by_id in pending for i, a in by_id.items()}.values(), key=article_sort_key
                )
                store.add_articles(everything)
                store.set_duplicates({d: c for s, _ in pending for c, ds in s.duplicates.items() for d in ds})
                for story, by_id in pending:
                    briefing, fresh = brief_story_analyses(story, by_id, components, keep=keep)
                    store.replace_story(
                        story,
                        title=briefing.title,
                        first_published=briefing.first_published,
                        last_published=briefing.last_published,
                        outlet_count=count_outlets(briefing.articles),  # as ingest counts them
                        lead=briefing.summary[0].text if briefing.summary else None,
                        briefing_json=json.dumps(briefing_to_dict(briefing), ensure_ascii=False),
                        entities=[(e.name, e.type) for e in briefing.entities],
                        # each article's analysis, so that a later `ingest` re-briefs from it (#17)
                        analyses=[
                            AnalysisBlob(a.article_id, version, encode_stored(a, version)) for a in fresh
                        ],
                    )
                pending.clear()

            for story, by_id in _stories(table):
                pending.append((story, by_id))
                count += 1
                articles += len(by_id)
                if len(pending) >= batch:
                    write()
            write()
    size = write_table(pa.table({"stories": [count], "articles": [articles]}), out)
    return Stats(count, size, counts=(("articles", articles),))
