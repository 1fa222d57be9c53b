"""Reading inputs: files and folders of HTML, text, JSON Lines, RSS/Atom feeds and WARC archives.

``read_inputs(paths)`` yields a :class:`~storydesk.model.RawDocument` per article found and a
:class:`~storydesk.model.Failure` per input that cannot be read; it never raises for a bad file.
One private module per kind: ``_html``, ``_text``, ``_jsonl``, ``_feeds``, ``_warc``.

A batch job (``storydesk scale``) reads the same way in partitions: :func:`list_inputs` gives the files
``read_inputs`` reads, in its order; :func:`read_file` reads one, or one :class:`Part` (a range of a
large JSONL or WARC file, cut where :func:`index_jsonl` / :func:`index_warc` say).
"""

from __future__ import annotations

from ._common import Part, ReadLimits, display_name
from ._decode import decode_bytes
from ._files import InputFile, kind_of, list_inputs, read_file, read_inputs
from ._jsonl import index_jsonl
from ._warc import index_warc

__all__ = [
    "read_inputs",
    "ReadLimits",
    "decode_bytes",
    "display_name",
    # a batch job's reading (#19): the same files in the same order, large ones in ranges
    "list_inputs",
    "InputFile",
    "read_file",
    "kind_of",
    "Part",
    "index_jsonl",
    "index_warc",
]
