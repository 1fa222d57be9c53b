"""Extraction: a RawDocument becomes an Article (main text, metadata, boilerplate removed).

``extract_article(raw)``:

* HTML: trafilatura ``bare_extraction`` with metadata and precision options (title, date, author,
  site name, canonical url); its baseline if that finds nothing.
* Plain text, read line by line: the first non-empty line is the title (a site-name line above the
  headline, "Harbour Daily Online", is taken for the outlet instead); header lines after it give the date
  ("Last updated on April 27th, 2019", "Friday, 2019-04-26 18:08:15", "Published: 26 April 2019"), the
  author ("By Jane Doe") and the outlet — our convention: a line "Source: NAME" or "Outlet: NAME".
* Every kind then goes through :func:`drop_boilerplate_lines`, and a first line repeating the headline
  is dropped too; ``Article.removed`` keeps what was dropped.

Metadata given by the source (JSONL fields, feed entries) wins over what the page says; the date then falls
back to ``RawDocument.fetched`` (a WARC record's crawl date) when neither states one;
the outlet falls back to the page's site name or "Source:" line, then to what the page names itself —
a site-name line, the URL's host without ``www.``, a byline ("By AP"), a dateline ("HANOI (AP) —") or
agency prefix ("AFP – …", :func:`read_dateline`) — and is then marked ``Article.outlet_inferred``. Text is NFC, whitespace
collapsed within lines, paragraphs separated by one blank line. ``published`` is ISO (``YYYY-MM-DD`` or a
full timestamp).
"""

from __future__ import annotations

from ._article import extract_article
from ._outlet import Dateline, read_dateline
from .boilerplate import drop_boilerplate_lines

__all__ = ["extract_article", "drop_boilerplate_lines", "read_dateline", "Dateline"]
