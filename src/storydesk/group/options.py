"""The options of the group stage: dedup's and clustering's, built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Settings
from .cluster.options import ClusterOptions
from .dedup import DedupOptions

__all__ = ["GroupOptions"]


@dataclass(frozen=True, slots=True)
class GroupOptions:
    """What :func:`~storydesk.group.group_articles` and :class:`~storydesk.group.StoryIndex` take."""

    dedup: DedupOptions = field(default_factory=DedupOptions)
    cluster: ClusterOptions = field(default_factory=ClusterOptions)

    @classmethod
    def from_settings(cls, settings: Settings) -> GroupOptions:
        """``dedup_threshold``, and ``cluster_threshold`` (0: the tuned defaults) as both the batch and
        the streaming join threshold; every other option keeps its rule."""
        return cls(
            dedup=DedupOptions(threshold=settings.dedup_threshold),
            cluster=ClusterOptions.with_threshold(settings.cluster_threshold or None),
        )
