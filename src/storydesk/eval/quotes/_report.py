"""The run (:func:`evaluate_quotes`): every system on the same articles, totals on all articles and on
each half of the file, the confidence trade-off curve and the evidence the confidences are calibrated on."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...brief.facts import QuoteCandidates

from ._data import OutputQuote, QuoteArticle, read_polnear
from ._peers import PUBLISHED, _Textacy
from ._scoring import READINGS, README, QuoteCounts, Reading, score_article

# --------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------

SPLITS: dict[str, Callable[[int], bool]] = {
    "all": lambda line: True,
    "odd": lambda line: line % 2 == 1,
    "even": lambda line: line % 2 == 0,
}


def _total(per_article: Sequence[tuple[QuoteArticle, QuoteCounts]], split: str) -> tuple[QuoteCounts, int]:
    total, n = QuoteCounts(), 0
    for qa, counts in per_article:
        if SPLITS[split](qa.line):
            total.add(counts)
            n += 1
    return total, n


def _rows(
    system: str,
    reading: Reading,
    per_article: Sequence[tuple[QuoteArticle, QuoteCounts]],
    times: Sequence[float],
    **extra: Any,
) -> list[dict[str, Any]]:
    rows = []
    for split in SPLITS:
        total, n = _total(per_article, split)
        rows.append(
            {
                "system": system,
                "metric": reading.name,
                "split": split,
                "articles": n,
                **total.metrics(),
                "gold_quotes": total.gold_quotes,
                "gold_found": total.gold_found,
                "output_quotes": total.output_quotes,
                "matched": total.matched,
                "with_speaker": total.with_speaker,
                "wrong_speaker": total.wrong_speaker,
                "speaker_unscored": total.speaker_unscored,
                "with_speaker_annotated": total.with_speaker_annotated,
                "wrong_speaker_annotated": total.wrong_speaker_annotated,
                "ms_per_article": round(statistics.median(times) * 1000, 2) if times else None,
                **extra,
            }
        )
    return rows


def _curve(
    candidates: Sequence[tuple[QuoteArticle, QuoteCandidates]], levels: Sequence[float]
) -> list[dict[str, Any]]:
    """Misattribution against the share of matched quotations shown with a speaker, one point per
    confidence threshold, per reading and split."""
    points = []
    for level in levels:
        shown = [(qa, [OutputQuote(q.text, q.speaker) for q in c.shown(level)]) for qa, c in candidates]
        for reading in READINGS:
            scored = [(qa, score_article(qa.gold, output, reading)) for qa, output in shown]
            for split in SPLITS:
                total, _ = _total(scored, split)
                m = total.metrics()
                points.append(
                    {
                        "metric": reading.name,
                        "split": split,
                        "min_confidence": level,
                        "misattribution": m["misattribution"],
                        "shown_with_speaker": m["shown_with_speaker"],
                        "quote_recall": m["quote_recall"],
                        "with_speaker": total.with_speaker,
                        "wrong_speaker": total.wrong_speaker,
                        "matched": total.matched,
                    }
                )
    return points


def _evidence(candidates: Sequence[tuple[QuoteArticle, QuoteCandidates]]) -> list[dict[str, Any]]:
    """Every speaker found (no threshold), counted by how it was found and what could go wrong: the
    counts ``SPEAKER_CONFIDENCE`` and ``SPEAKER_RISK_FACTORS`` are calibrated on (odd lines)."""
    cells: dict[tuple[str, str, str, str], list[int]] = {}
    for qa, c in candidates:
        for quote, found in c.shown_with_evidence(0.0):
            if found is None:
                continue
            evidence = f"{found.how}:{found.speaker_kind}"
            risks = ",".join(sorted(found.risks))
            for reading in READINGS:
                counts = score_article(qa.gold, [OutputQuote(quote.text, quote.speaker)], reading)
                for split in ("odd", "even"):
                    if not SPLITS[split](qa.line):
                        continue
                    row = cells.setdefault((reading.name, split, evidence, risks), [0, 0, 0, 0])
                    row[0] += 1
                    row[1] += counts.with_speaker
                    row[2] += counts.wrong_speaker
                    row[3] += counts.speaker_unscored
    return [
        {
            "metric": metric,
            "split": split,
            "evidence": evidence,
            "risks": risks,
            "found": found,
            "judged": judged,
            "wrong": wrong,
            "unscored": unscored,
        }
        for (metric, split, evidence, risks), (found, judged, wrong, unscored) in sorted(cells.items())
    ]


def evaluate_quotes(
    data: str | Path,
    *,
    systems: Sequence[str] = ("storydesk", "textacy"),
    limit: int | None = None,
    examples: int = 0,
    curve: bool = True,
) -> dict[str, Any]:
    """Rows per system, metric reading (``readme``, then ``strict``) and split (``all``, ``odd``, ``even``
    lines), the published figures apart.

    For storydesk the result also holds ``curve`` (misattribution against the share of matched quotations
    shown with a speaker, per confidence threshold; ``min_confidence``: the rule's threshold) and
    ``evidence`` (the speakers found, counted by how they were found and their risks). With
    ``examples`` > 0 it lists that many misattributions per system under the README's reading
    (``{"system", "article", "text", "speaker", "gold"}``).
    """
    from ...analyse.rules import SPEAKER_MIN_CONFIDENCE

    articles = read_polnear(data, limit=limit)
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    wrong: list[dict[str, Any]] = []
    result: dict[str, Any] = {"task": "quotes", "data": str(data), "min_confidence": SPEAKER_MIN_CONFIDENCE}
    for name in systems:
        outputs: list[tuple[QuoteArticle, list[OutputQuote]]] = []
        times: list[float] = []
        extra: dict[str, Any] = {}
        if name == "storydesk":
            from ...analyse._nlp import load_nlp
            from ...analyse.rules import DEFAULT_SPACY_MODEL
            from ...brief.facts import article_quote_candidates

            nlp = load_nlp(DEFAULT_SPACY_MODEL)
            candidates = []
            for qa in articles:
                found = article_quote_candidates(qa.article, nlp=nlp)
                t0 = time.perf_counter()
                quotes = found.shown()
                times.append(found.seconds + time.perf_counter() - t0)
                candidates.append((qa, found))
                outputs.append((qa, [OutputQuote(q.text, q.speaker) for q in quotes]))
            if curve:
                levels = sorted(
                    {q.confidence for _, c in candidates for q in c.raw if q.speaker}
                    | {0.0, SPEAKER_MIN_CONFIDENCE, 1.01}
                )
                result["curve"] = _curve(candidates, levels)
                result["evidence"] = _evidence(candidates)
        elif name == "textacy":
            try:
                tx = _Textacy()
            except ImportError as exc:  # the [eval] extra is not installed: say so, score the rest
                notes.append(f"textacy row skipped: {exc}")
                continue
            for qa in articles:
                doc = tx.parse(qa.article)
                t0 = time.perf_counter()
                output = tx.quotes(doc)
                times.append(time.perf_counter() - t0)
                outputs.append((qa, output))
            extra["textacy_fallbacks"] = tx.fallbacks
        else:
            raise ValueError(f"unknown system {name!r}: choose from storydesk, textacy")
        for reading in READINGS:
            per_article = [(qa, score_article(qa.gold, output, reading)) for qa, output in outputs]
            rows.extend(_rows(name, reading, per_article, times, **extra))
            if examples and reading is README:
                listed = 0
                for qa, counts in per_article:
                    for text, speaker, gold in counts.wrong:
                        if listed >= examples:
                            break
                        wrong.append(
                            {
                                "system": name,
                                "article": qa.article.id,
                                "text": text,
                                "speaker": speaker,
                                "gold": gold,
                            }
                        )
                        listed += 1
    result.update(
        {
            "rows": rows,
            "published": [dict(p, comparable=False) for p in PUBLISHED],
            "notes": notes,
        }
    )
    if examples:
        result["misattributions"] = wrong
    return result
