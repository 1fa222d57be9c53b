"""The machinery of the streaming ingest (``storydesk ingest``); :func:`storydesk.pipeline.ingest_stream`
puts its steps in order.

* :func:`store_new_articles` (``_storing``): what was read, stored one transaction per article, with its
  document vector;
* :class:`StoryPlacer` (``_placing``): chunks through the streaming story index (dedup → clustering), and
  which changed stories are due a briefing (:class:`Placement`);
* :class:`Briefer` (``_briefing``): briefing the due stories, in worker processes in a long run, and
  handing each briefing to the writer in order.

The store is reached only through :class:`IngestStore` and :class:`SaveStory` (``_interfaces``), which
the service supplies; nothing here touches SQL. Sizes are :class:`IngestOptions` (defaults in
:mod:`.rules`).
"""

from __future__ import annotations

from ._briefing import Briefer
from ._interfaces import (
    IngestOptions,
    IngestReport,
    IngestStore,
    NewArticle,
    Progress,
    SaveStory,
    no_progress,
)
from ._placing import Placement, StoryPlacer
from ._storing import document_vectors, store_new_articles

__all__ = [
    "IngestOptions",
    "IngestReport",
    "IngestStore",
    "SaveStory",
    "NewArticle",
    "Progress",
    "no_progress",
    "store_new_articles",
    "document_vectors",
    "StoryPlacer",
    "Placement",
    "Briefer",
]
