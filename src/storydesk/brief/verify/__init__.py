"""Verification of generated sentences against the source sentences they cite (#20).

Entry point: :func:`verify_sentences`. Support is scored by a :class:`SupportChecker`: the shipped
:class:`OfflineChecker` (no download) or a :class:`JudgeChecker` (an LLM at ``verify_url``).
"""

from __future__ import annotations

from .checker import OfflineChecker, SupportChecker, Unfound, find_unfound
from .judge import JudgeChecker
from .verifier import Dispute, Draft, SourceSentence, Support, Verdict, threshold_for, verify_sentences

__all__ = [
    "verify_sentences",
    "Draft",
    "SourceSentence",
    "Dispute",
    "Support",
    "Verdict",
    "SupportChecker",
    "OfflineChecker",
    "JudgeChecker",
    "Unfound",
    "find_unfound",
    "threshold_for",
]
