"""Extractive multi-document summaries whose every sentence cites all articles that state it.

Entry: :func:`summarize` (articles, :class:`SummaryOptions`) → cited summary sentences; :func:`headline`.
"""

from __future__ import annotations

from .citations import cite, equivalent
from .extractive import SummarySteps, summarize
from .headline import headline
from .options import SummaryOptions

__all__ = ["summarize", "headline", "cite", "equivalent", "SummaryOptions", "SummarySteps"]
