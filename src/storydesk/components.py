"""The swappable parts a run needs, built once from settings and loaded lazily (models are heavy).

:class:`Components` holds the settings, the embedder, the group and brief stages' options and the spaCy
pipeline; :class:`StageTimer` counts the seconds spent per stage. The pipeline, the worker processes and
the service build one per process.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .config import Settings

if TYPE_CHECKING:
    from .brief import BriefOptions
    from .group.options import GroupOptions

__all__ = ["Components", "StageTimer"]


class StageTimer:
    """Wall-clock seconds spent per stage, for benchmarks and ``-v`` logs."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        """Count ``seconds`` (e.g. reported by a worker process) to ``stage``."""
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - start)

    def iterate(self, stage: str, items: Iterable[Any]) -> Iterator[Any]:
        """Yield from ``items``, counting the time spent producing each one as ``stage``."""
        it = iter(items)
        while True:
            with self(stage):
                try:
                    item = next(it)
                except StopIteration:
                    return
            yield item


class Components:
    """The swappable stages, built once from settings and loaded lazily (models are heavy)."""

    def __init__(self, settings: Settings, *, embedder: Any = None, nlp: Any = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._nlp = nlp
        self.timer = StageTimer()
        #: LLM calls and tokens spent by briefings (summarizer=llm): {"calls", "prompt_tokens",
        #: "completion_tokens", "failures"}
        self.llm_usage: dict[str, int] = {}

    def record_llm(self, usage: Any) -> None:
        """Count an LLM summary's calls and tokens (a :class:`storydesk.brief.llm.Usage` or a dict)."""
        items = (
            usage.items()
            if isinstance(usage, dict)
            else ((k, getattr(usage, k)) for k in ("calls", "prompt_tokens", "completion_tokens", "failures"))
        )
        for key, value in items:
            self.llm_usage[key] = self.llm_usage.get(key, 0) + int(value)

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from .group.embed import get_embedder

            self._embedder = get_embedder(self.settings.embedder)
        return self._embedder

    @cached_property
    def group_options(self) -> GroupOptions:
        """The group stage's options (dedup and clustering), built once from the settings."""
        from .group.options import GroupOptions

        return GroupOptions.from_settings(self.settings)

    @cached_property
    def brief_options(self) -> BriefOptions:
        """The brief stage's options (analysis, summary, facts), built once from the settings."""
        from .brief import BriefOptions

        return BriefOptions.from_settings(self.settings)

    @cached_property
    def nlp(self) -> Any:
        if self._nlp is not None:
            return self._nlp
        from .analyse._nlp import load_pipeline

        return load_pipeline(self.settings.spacy_model)
