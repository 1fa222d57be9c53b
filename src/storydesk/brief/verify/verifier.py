"""Verify generated sentences against the source sentences they cite, and only those.

A sentence passes when, in this order:

1. it cites at least one source sentence, and only numbers that were offered;
2. every name, number, date and quotation in it is in its cited sentences (:func:`.checker.find_unfound`);
3. it does not state one side of a disputed fact without the other;
4. the support checker (offline by default, the LLM judge when ``verify_url`` is set) scores it at or
   above the threshold.

Each failing test adds a reason; a sentence with any reason is rejected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import rules as R
from ._text import Claims, analyse, content_stems, normalise, number_values
from .checker import SupportChecker, find_unfound

__all__ = ["Draft", "SourceSentence", "Dispute", "Support", "Verdict", "verify_sentences", "threshold_for"]


@dataclass(frozen=True, slots=True)
class Draft:
    """A generated sentence and the numbers of the source sentences it cites."""

    text: str
    cites: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SourceSentence:
    """A numbered source sentence as offered to the writer."""

    number: int
    article_id: str
    index: int
    text: str
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Dispute:
    """Two sources disagree: ``left`` (said in ``left_text``) vs ``right`` (in ``right_text``)."""

    kind: str
    left: str
    right: str
    left_text: str
    right_text: str


@dataclass(frozen=True, slots=True)
class Support:
    """What one cited sentence gives a generated sentence: the share of its content words it holds
    (``score``) and the names, numbers, dates and quotations found in it (``matched``)."""

    number: int
    article_id: str
    index: int
    text: str
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    text: str
    cites: tuple[int, ...]
    supported: bool
    score: float
    reasons: tuple[str, ...]
    support: tuple[Support, ...]
    checker: str


def threshold_for(checker: SupportChecker) -> float:
    """The score a sentence needs with this checker."""
    return R.JUDGE_THRESHOLD if checker.name == "judge" else R.SUPPORT_THRESHOLD


def verify_sentences(
    drafts: Sequence[Draft],
    sources: Mapping[int, SourceSentence],
    checker: SupportChecker,
    *,
    disputes: Sequence[Dispute] = (),
    threshold: float | None = None,
) -> list[Verdict]:
    """A verdict for each draft (see the module's docstring for the tests, in order)."""
    limit = threshold_for(checker) if threshold is None else threshold
    evidence = [[sources[n].text for n in d.cites if n in sources] for d in drafts]
    scored = [n for n, ev in enumerate(evidence) if ev]
    scores = dict(
        zip(
            scored,
            checker.score([drafts[n].text for n in scored], [evidence[n] for n in scored]),
            strict=True,
        )
    )
    out = []
    for n, draft in enumerate(drafts):
        reasons: list[str] = []
        unknown = [c for c in draft.cites if c not in sources]
        if not draft.cites:
            reasons.append("cites no source sentence")
        for c in unknown:
            reasons.append(f"cites [{c}], which is not one of the numbered source sentences")
        claims = analyse(draft.text)
        if evidence[n]:
            reasons.extend(u.reason for u in find_unfound(claims, evidence[n]))
        reasons.extend(_dispute_reasons(draft, sources, disputes))
        score = float(scores.get(n, 0.0))
        if evidence[n] and score < limit:
            reasons.append(
                f"not supported by the cited sentences ({checker.name} score {score:.2f} < {limit:.2f})"
            )
        cited = [sources[c] for c in draft.cites if c in sources]
        out.append(
            Verdict(
                text=draft.text,
                cites=draft.cites,
                supported=not reasons,
                score=round(score, 4),
                reasons=tuple(dict.fromkeys(reasons)),
                support=tuple(_support(draft.text, claims, s) for s in cited),
                checker=checker.name,
            )
        )
    return out


def _support(text: str, claims: Claims, source: SourceSentence) -> Support:
    mine = content_stems(normalise(text))
    theirs = content_stems(normalise(source.text))
    found = find_unfound(claims, [source.text])
    missing = {u.text for u in found}
    items = [*claims.names, *claims.numbers, *claims.dates, *claims.quotes]
    return Support(
        number=source.number,
        article_id=source.article_id,
        index=source.index,
        text=source.text,
        score=round(len(mine & theirs) / len(mine), 3) if mine else 0.0,
        matched=tuple(i for i in items if i not in missing),
    )


def _mentions(text: str, span: str) -> bool:
    """Whether ``text`` states ``span``: its numbers as values ("twelve" is 12), else its words in order."""
    values = number_values(normalise(span))
    if values:
        return values <= number_values(normalise(text))
    words = re.findall(r"[^\W_]+", normalise(span).casefold())
    if not words:
        return False
    return (
        re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", normalise(text).casefold()) is not None
    )


def _dispute_reasons(
    draft: Draft, sources: Mapping[int, SourceSentence], disputes: Sequence[Dispute]
) -> list[str]:
    """A sentence that takes up a disputed fact must state both sides."""
    out = []
    cited_texts = {normalise(sources[c].text) for c in draft.cites if c in sources}
    mine = content_stems(normalise(draft.text))
    for d in disputes:
        left, right = _mentions(draft.text, d.left), _mentions(draft.text, d.right)
        if left == right:
            continue  # both sides, or neither
        sides = (normalise(d.left_text), normalise(d.right_text))
        takes_up = any(s in cited_texts for s in sides) or any(
            mine and len(mine & content_stems(s)) / len(mine) >= R.DISPUTE_OVERLAP for s in sides
        )
        if takes_up:
            stated, other = (d.left, d.right) if left else (d.right, d.left)
            out.append(
                f"states '{stated}' where the sources disagree ({d.kind}: '{d.left}' vs '{d.right}') without '{other}'"
            )
    return out
