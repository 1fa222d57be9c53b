"""Does the evidence support a sentence? The offline checker (no download) and the rules it reads.

:func:`find_unfound` is the hard rule: every name, number, date and quotation of the sentence must be in
its evidence (quotations character for character after normalising marks, case and whitespace).

:class:`OfflineChecker` scores support in [0, 1] from a few general features (see
:data:`~.rules.SCORE_WEIGHTS`): the share of the sentence's content words and content-word pairs absent
from the evidence, its MiniLM cosine to the closest evidence sentence, whether something the hard rule
checks is missing, and whether the sentence negates what its closest evidence sentences (at most
:data:`~.rules.EVIDENCE_SENTENCES`, by shared words and cosine) do not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from ...group.embed import Embedder
from . import rules as R
from ._text import (
    Claims,
    analyse,
    content_stems,
    date_terms,
    negations,
    normalise,
    number_values,
    quote_key,
    word_set,
)

__all__ = ["SupportChecker", "OfflineChecker", "Features", "Unfound", "find_unfound", "logistic", "worst"]


@runtime_checkable
class SupportChecker(Protocol):
    """Scores how well each evidence supports its claim: 1 supported … 0 not."""

    name: str

    def score(self, claims: Sequence[str], evidence: Sequence[Sequence[str]]) -> list[float]: ...


@dataclass(frozen=True, slots=True)
class Unfound:
    """A name, number, date or quotation of a sentence that its evidence does not contain."""

    kind: str  # "name" | "number" | "date" | "quote"
    text: str

    @property
    def reason(self) -> str:
        if self.kind == "quote":
            return f'quotation "{self.text}" is not verbatim in the cited sentences'
        return f"{self.kind} '{self.text}' is not in the cited sentences"


@dataclass(frozen=True, slots=True)
class _Evidence:
    """Evidence text, analysed once."""

    text: str
    words: frozenset[str]
    numbers: frozenset[str]
    dates: frozenset[str]
    quotes: str

    @staticmethod
    def of(sentences: Sequence[str]) -> _Evidence:
        text = " ".join(normalise(s) for s in sentences)
        return _Evidence(
            text, word_set(text), frozenset(number_values(text)), frozenset(date_terms(text)), quote_key(text)
        )


def find_unfound(claims: Claims, evidence: Sequence[str] | _Evidence) -> list[Unfound]:
    """What the hard rule finds missing: each name, number, date and quotation of ``claims`` not in
    ``evidence``."""
    ev = evidence if isinstance(evidence, _Evidence) else _Evidence.of(evidence)
    out: list[Unfound] = []
    for name in claims.names:
        parts = [p.casefold() for p in re.findall(r"[^\W_]+", name)]
        if not all(p in ev.words for p in parts):
            out.append(Unfound("name", name))
    for number in claims.numbers:
        if number not in ev.numbers:
            out.append(Unfound("date" if _is_year(number) else "number", number))
    for date in claims.dates:
        if date not in ev.dates:
            out.append(Unfound("date", date))
    for quote in claims.quotes:
        if quote_key(quote) not in ev.quotes:
            out.append(Unfound("quote", quote))
    return out


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100


@dataclass(frozen=True, slots=True)
class Features:
    """What the support score reads, for one sentence against its evidence."""

    novel: float  # share of the sentence's content words (stemmed) absent from the evidence
    cosine: float  # MiniLM cosine to the closest evidence sentence
    unfound: float  # 1 when the hard rule finds a name, number, date or quotation missing
    negation: float  # 1 when the sentence negates and its closest evidence sentences do not
    closest: tuple[int, ...]  # the evidence sentences read as closest, in order

    def vector(self) -> dict[str, float]:
        return {
            "novel": self.novel,
            "cosine": self.cosine,
            "unfound": self.unfound,
            "negation": self.negation,
        }


def worst(features: Sequence[Features]) -> dict[str, float]:
    """The features of a multi-sentence claim: each at its worst over the sentences."""
    if not features:
        return Features(1.0, 0.0, 1.0, 0.0, ()).vector()
    vectors = [f.vector() for f in features]
    return {k: (min if k == "cosine" else max)(v[k] for v in vectors) for k in vectors[0]}


def logistic(features: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """The support score: a logistic function of the features (weights from :mod:`.rules`)."""
    w = R.SCORE_WEIGHTS if weights is None else weights
    z = w.get("bias", 0.0) + sum(w.get(k, 0.0) * v for k, v in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class OfflineChecker:
    """Support from words, names, numbers, negation and MiniLM similarity; no download, no network.

    ``embedder`` is storydesk's sentence embedder (MiniLM by default; the hashing one works too, less
    well: the weights were fitted with MiniLM).
    """

    name = "offline"

    def __init__(self, embedder: Embedder, *, weights: dict[str, float] | None = None) -> None:
        self.embedder = embedder
        self.weights = dict(R.SCORE_WEIGHTS if weights is None else weights)

    def score(self, claims: Sequence[str], evidence: Sequence[Sequence[str]]) -> list[float]:
        return [logistic(f.vector(), self.weights) for f in self.features(claims, evidence)]

    def features(self, claims: Sequence[str], evidence: Sequence[Sequence[str]]) -> list[Features]:
        """The features of each claim against its evidence (texts embedded in one batch)."""
        claims_n = [normalise(c) for c in claims]
        evidence_n = [[normalise(s) for s in ev] for ev in evidence]
        texts = list(dict.fromkeys([*claims_n, *(s for ev in evidence_n for s in ev)]))
        vectors = self.embedder.embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        row = {t: n for n, t in enumerate(texts)}
        return [_features(c, ev, vectors, row) for c, ev in zip(claims_n, evidence_n, strict=True)]


def _features(claim: str, evidence: Sequence[str], vectors: np.ndarray, row: dict[str, int]) -> Features:
    stems = content_stems(claim)
    if not evidence:
        return Features(1.0, 0.0, 1.0, float(negations(claim) > 0), ())
    ev_stems = [content_stems(s) for s in evidence]
    cos = vectors[[row[s] for s in evidence]] @ vectors[row[claim]]
    closest = _closest(stems, ev_stems, cos)
    all_stems = frozenset().union(*ev_stems)
    unfound = find_unfound(analyse(claim), evidence)
    local_negated = any(negations(evidence[i]) for i in closest)
    return Features(
        novel=len(stems - all_stems) / len(stems) if stems else 0.0,
        cosine=float(cos.max()),
        unfound=float(bool(unfound)),
        negation=float(negations(claim) > 0 and not local_negated),
        closest=closest,
    )


def _closest(stems: frozenset[str], ev_stems: Sequence[frozenset[str]], cos: np.ndarray) -> tuple[int, ...]:
    """The evidence sentences closest to the claim (shared content words + cosine), in evidence order."""
    if len(ev_stems) <= R.EVIDENCE_SENTENCES:
        return tuple(range(len(ev_stems)))
    shared = np.array([len(stems & s) / max(1, len(stems)) for s in ev_stems])
    order = np.argsort(-(shared + cos), kind="stable")[: R.EVIDENCE_SENTENCES]
    return tuple(sorted(int(i) for i in order))
