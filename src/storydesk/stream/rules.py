"""Sizes of the streaming ingest's steps (the defaults of :class:`~storydesk.stream.IngestOptions`)."""

from __future__ import annotations

#: New articles checked against the store and given document vectors at a time (one embedder call).
EMBED_BATCH = 32

#: Stored articles placed into stories at a time; the stories that changed and have gone quiet are then
#: briefed. Memory does not grow with the input: a chunk's articles are dropped once placed.
PLACE_EVERY = 500
