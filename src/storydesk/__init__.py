"""storydesk: news articles in, one cited briefing per real-world story out."""

from __future__ import annotations

import logging

from .errors import ConfigError, ExtractError, IngestError, NotFoundError, StoreError, StorydeskError
from .model import Article, Briefing, RawDocument, Story, SummarySentence

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Article",
    "Briefing",
    "RawDocument",
    "Story",
    "SummarySentence",
    "StorydeskError",
    "IngestError",
    "ExtractError",
    "StoreError",
    "ConfigError",
    "NotFoundError",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
