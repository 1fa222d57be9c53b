"""The rule that merges stories across window boundaries.

Each window is clustered on its own; a window after the first first replays its *lead-in*, the articles
of the days just before it, which an earlier window owns. An article always belongs to the story its own
window put it in. A story of a later window that holds lead-in articles *continues* the earlier story
that holds most of them (ties: the earlier story with the earliest first article), and the two are
merged; its other lead-in articles stay where their own window put them, so one window's view never
joins two stories that the window owning them kept apart. Stories merge transitively across several
boundaries. A final story keeps the id its window's clusterer gave the story with the earliest first
article among those merged (so a run of one window names every story as ``ingest`` does); should two
final stories claim one id, the later is named after its earliest article (publication order, then id).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..model import Story

__all__ = ["merge_across_windows"]

SortKey = tuple[str, str]


def merge_across_windows(
    seeds: Mapping[str, SortKey],
    owned: Mapping[str, str],
    leads: Iterable[tuple[str, str]],
) -> dict[str, str]:
    """Window stories → final story ids.

    ``seeds``: every window story that owns articles (``window:story id``, unique across windows) → the
    sort key (published or "9999", id) of its earliest own article; ``owned``: each lead-in article → the window
    story that owns it; ``leads``: (window story, lead-in article) for every lead-in article a later
    window replayed.
    """
    parent = {s: s for s in seeds}

    def find(s: str) -> str:
        root = s
        while parent[root] != root:
            root = parent[root]
        while parent[s] != root:
            parent[s], s = root, parent[s]
        return root

    votes: dict[str, dict[str, int]] = {}
    for story, article in leads:
        home = owned.get(article)
        if home is not None and story in seeds:
            count = votes.setdefault(story, {})
            count[home] = count.get(home, 0) + 1
    for story in sorted(votes):
        count = votes[story]
        best = min(count, key=lambda h: (-count[h], seeds[h], h))
        a, b = find(story), find(best)
        if a != b:
            # the root is the story with the earliest first article, so it names the merged story
            if (seeds[b], b) < (seeds[a], a):
                a, b = b, a
            parent[b] = a
    names: dict[str, str] = {}
    taken: set[str] = set()
    for root in sorted({find(s) for s in seeds}, key=lambda r: (seeds[r], r)):
        name = root.split(":", 1)[1] if ":" in root else root
        if name in taken:
            name = Story.make_id(seeds[root][1])
        taken.add(name)
        names[root] = name
    return {s: names[find(s)] for s in seeds}
