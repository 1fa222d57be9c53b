"""What every interface calls: the CLI, the HTTP API and the web page are thin layers over this package.

Only :mod:`storydesk.cli` and :mod:`storydesk.web` import it. One module per concern, re-exported here so
callers import ``storydesk.service`` alone:

* ``_desk``: :func:`brief` runs the whole pipeline in memory over some paths; :func:`analyse` each
  article's analysis (``storydesk analyse``); :class:`Desk` is the core over a store (ingest, and typed
  reads: stories, briefings, articles, search; ``checkup``/``repair`` for ``storydesk doctor``/``repair``,
  giving :class:`Checkup` and :class:`RepairReport`). Writes hold the store's writer lock
  (docs/concurrency.md).
* ``_scale``: :func:`scale` runs the batch job on Dask (#19, :mod:`storydesk.scale`) into the same store;
  :func:`scale_options` builds its options.
* ``_sources``: following live sources (#18): :func:`add_sources`, :func:`import_opml`,
  :func:`list_sources`, :func:`remove_source`; the stage's options from settings.
* ``_watch``: :class:`Watcher`, passes over the due sources through the same ingest as ``Desk.ingest``.
* ``_background``: :class:`WatchThread`, the watch loop on a thread of a serving process
  (``serve --watch``), and the :class:`WatchState` the Sources page shows.
"""

from __future__ import annotations

from ..pipeline import BriefResult
from ..stream import IngestOptions, IngestReport
from ._background import WatchState, WatchThread
from ._desk import AnalyseResult, Checkup, Desk, RepairReport, analyse, brief
from ._scale import default_work_dir, scale, scale_options
from ._sources import (
    AddReport,
    SourceListing,
    add_sources,
    fetch_options,
    import_opml,
    list_sources,
    poll_options,
    remove_source,
)
from ._watch import Watcher, WatchReport

__all__ = [
    "BriefResult",
    "IngestReport",
    "IngestOptions",
    "Desk",
    "Checkup",
    "RepairReport",
    "brief",
    "analyse",
    "AnalyseResult",
    "scale",
    "scale_options",
    "default_work_dir",
    # live sources (#18)
    "AddReport",
    "SourceListing",
    "WatchReport",
    "Watcher",
    "WatchState",
    "WatchThread",
    "add_sources",
    "import_opml",
    "list_sources",
    "remove_source",
    "poll_options",
    "fetch_options",
]
