"""Reading inputs: files and folders of HTML, text, JSON Lines, RSS/Atom feeds and WARC archives.

``read_inputs(paths)`` yields a :class:`~storydesk.model.RawDocument` per article found and a
:class:`~storydesk.model.Failure` per input that cannot be read; it never raises for a bad file.
One private module per kind: ``_html``, ``_text``, ``_jsonl``, ``_feeds``, ``_warc``.
"""

from __future__ import annotations

from ._common import ReadLimits, display_name
from ._decode import decode_bytes
from ._files import read_inputs

__all__ = ["read_inputs", "ReadLimits", "decode_bytes", "display_name"]
