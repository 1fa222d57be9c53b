"""The options of one clustering run, batch or streaming (defaults from :mod:`.rules`)."""

from __future__ import annotations

from dataclasses import dataclass

from . import rules as R

__all__ = ["ClusterOptions"]


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """Thresholds, weights and window sizes of story clustering; each default is the rule of that name in
    :mod:`storydesk.group.cluster.rules`, where the reasons for it are written down.

    Built once at the edge (``GroupOptions.from_settings``) and handed to :func:`cluster_articles` or
    :class:`StreamClusterer`; tests build their own.
    """

    # scoring an article pair: weighted cosines, minus a time penalty
    weight_vector: float = R.WEIGHT_VECTOR
    weight_words: float = R.WEIGHT_WORDS
    weight_names: float = R.WEIGHT_NAMES
    time_grace_days: float = R.TIME_GRACE_DAYS
    time_scale_days: float = R.TIME_SCALE_DAYS
    time_penalty: float = R.TIME_PENALTY
    time_from_text: bool = R.TIME_FROM_TEXT
    # IDF: terms in too few or too many articles carry no weight (once enough articles were seen)
    word_min_df: int = R.WORD_MIN_DF
    word_max_df_share: float = R.WORD_MAX_DF_SHARE
    name_min_df: int = R.NAME_MIN_DF
    name_max_df_share: float = R.NAME_MAX_DF_SHARE
    df_cuts_from_articles: int = R.DF_CUTS_FROM_ARTICLES
    # joining groups (batch, and a streaming revision)
    join_threshold: float = R.JOIN_THRESHOLD
    group_min_size: int = R.GROUP_MIN_SIZE
    group_ratio: float = R.GROUP_RATIO
    # an article joining a story as it arrives (streaming)
    stream_threshold: float = R.STREAM_THRESHOLD
    stream_min_size: int = R.STREAM_MIN_SIZE
    stream_ratio: float = R.STREAM_RATIO
    # subjects above stories: related stories
    related_threshold: float = R.RELATED_THRESHOLD
    related_max: int = R.RELATED_MAX
    # the streaming clusterer's window, revisions and memory
    open_window: int = R.OPEN_WINDOW
    revise_every: int = R.REVISE_EVERY
    merge_frozen: bool = R.MERGE_FROZEN
    candidate_stories: int = R.CANDIDATE_STORIES
    story_horizon_days: float = R.STORY_HORIZON_DAYS
    undated_story_arrivals: int = R.UNDATED_STORY_ARRIVALS
    reweigh_growth: float = R.REWEIGH_GROWTH
    sparse_open_vector_fill: float = R.SPARSE_OPEN_VECTOR_FILL
    rebuild_chunk: int = R.REBUILD_CHUNK

    @classmethod
    def with_threshold(cls, threshold: float | None) -> ClusterOptions:
        """The defaults, with ``threshold`` as both the batch and the streaming join threshold (``None`` or
        0: the tuned defaults)."""
        return cls(join_threshold=threshold, stream_threshold=threshold) if threshold else cls()
