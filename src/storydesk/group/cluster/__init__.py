"""Story clustering, batch and streaming.

An article pair is scored by three similarities (weights in :mod:`.rules`, read through
:class:`ClusterOptions`):

1. cosine of document vectors (MiniLM by default, see :mod:`storydesk.group.embed`);
2. cosine of TF-IDF word vectors over the whole text;
3. cosine of TF-IDF vectors of names, approximated cheaply by capitalised-word shingles (no spaCy);

minus a mild time penalty for groups published months apart. Groups are then joined by average linkage:

* **batch** (:func:`cluster_articles`): agglomerative clustering; two groups join while their average pair
  similarity reaches ``join_threshold`` and, when both are established (``group_min_size`` articles), also
  ``group_ratio`` × their own internal similarity, so that two distinct stories sharing names stay apart;
* **streaming** (:class:`StreamClusterer`): each new article joins the story with the best average
  similarity if it passes ``stream_threshold`` (and, for established stories, ``stream_ratio`` × the
  story's internal similarity), otherwise it starts a story; recent arrivals are revised with the batch
  algorithm. Story ids never change as stories grow.

An article that matches nothing stays a singleton story. Inverse document frequencies come from the
articles being clustered (in streaming: those seen so far).

Modules, in the order the data moves: ``text_features`` (raw rows, TF-IDF) → ``agglomerate`` (the batch
algorithm) → ``batch``; for streaming ``stream`` (the public class) holds a ``state.StreamState`` made of
``stories``, ``open_window``, ``centroids`` and ``products`` (kept between revisions), and runs
``placing``, ``revision`` and ``rebuild`` over it; ``sparse`` has the sparse helpers.
"""

from __future__ import annotations

from .batch import cluster_articles
from .options import ClusterOptions
from .rebuild import StoredRow
from .stories import StoryChanges
from .stream import StreamClusterer
from .text_features import extract_names, raw_features

__all__ = [
    "cluster_articles",
    "StreamClusterer",
    "StoryChanges",
    "StoredRow",
    "ClusterOptions",
    "extract_names",
    "raw_features",
]
