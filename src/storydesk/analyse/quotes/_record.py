"""The record of one quotation found in an article, its comparable key and its speaker's confidence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..rules import (
    SPEAKER_CONFIDENCE,
    SPEAKER_RISK_FACTORS,
)


@dataclass(frozen=True, slots=True)
class RawQuote:
    """A quotation found in one article, before its speaker is mapped to a story's actor.

    ``speaker`` is the surface form the article uses (a pronoun already replaced by the name it stands
    for), ``None`` when no speaker is certain; ``speaker_kind`` says how it was found: ``"name"``,
    ``"pronoun"``, ``"descriptor"``, ``"continued"`` (or ``None``). ``speaker_start``/``speaker_end`` are
    the offsets of the words that named the speaker and ``cue`` the speech verb, where there are any.
    """

    article_id: str
    text: str
    start: int
    end: int
    speaker: str | None
    speaker_kind: str | None = None
    role: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    how: str | None = None
    risks: tuple[str, ...] = ()
    confidence: float = 0.0


def quote_key(text: str) -> str:
    """The comparable form of a quotation: lower-case letters and digits, single spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def speaker_confidence(kind: str | None, how: str | None, risks: Sequence[str]) -> float:
    """How likely the speaker is right, from how it was found and what could go wrong (the tables
    ``SPEAKER_CONFIDENCE`` and ``SPEAKER_RISK_FACTORS`` of ``rules.py``); 0 for no speaker."""
    if kind is None or how is None:
        return 0.0
    value = SPEAKER_CONFIDENCE.get(f"{how}:{kind}", SPEAKER_CONFIDENCE.get(how, 0.0))
    for risk in risks:
        value *= SPEAKER_RISK_FACTORS.get(risk, 1.0)
    return round(value, 3)
