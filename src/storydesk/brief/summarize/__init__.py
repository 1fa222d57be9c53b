"""Extractive multi-document summaries whose every sentence cites all articles that state it."""

from __future__ import annotations

from .citations import cite, equivalent
from .extractive import Embedder, headline, summarize

__all__ = ["summarize", "headline", "cite", "equivalent", "Embedder"]
