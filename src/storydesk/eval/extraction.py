"""Main-text extraction scored as the Zyte article-extraction benchmark scores it.

The metric (``evaluate.py`` of scrapinghub/article-extraction-benchmark, reimplemented here):

1. tokens are ``\\w+`` runs (case kept);
2. each text becomes a multiset of 4-token shingles (a text shorter than 4 tokens is one shingle);
3. per page, true positives / false positives / false negatives are the multiset overlaps, normalised so
   that the three sum to one (long pages weigh no more than short ones);
4. precision is the mean over pages with ``tp + fp > 0``, recall the mean over pages with ``tp + fn > 0``
   (a page where both texts are empty scores 1), and F1 is the harmonic mean of those two means.

:func:`evaluate_extraction` runs two systems over the set: ``storydesk`` (``extract_article``:
trafilatura with metadata, then the line-level boilerplate filter) and ``trafilatura`` (plain
``trafilatura.extract(html)`` with its defaults).
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

__all__ = [
    "evaluate_extraction",
    "load_zyte",
    "score_pages",
    "shingle_counts",
    "DEFAULT_DATA_DIR",
    "read_labelled_lines",
    "score_boilerplate",
]

SHINGLE_N = 4
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "extraction-zyte"

TpFpFn = tuple[float, float, float]


def _shingles(text: str, n: int = SHINGLE_N) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text or "")
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def shingle_counts(true: str, pred: str, n: int = SHINGLE_N) -> TpFpFn:
    """Normalised (tp, fp, fn) of 4-token shingles between a gold text and a predicted text."""
    t, p = _shingles(true, n), _shingles(pred, n)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score_pages(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Precision, recall and F1 (0–1) over ``(gold, predicted)`` text pairs, as the Zyte benchmark."""
    counts = [shingle_counts(gold, pred) for gold, pred in pairs]
    precs = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recs = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precs) if precs else 0.0
    recall = statistics.mean(recs) if recs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def load_zyte(data_dir: Path) -> list[tuple[str, str, str, str]]:
    """``(id, url, html, gold articleBody)`` for each page of the Zyte set, sorted by id."""
    truth: Mapping[str, Mapping[str, str]] = json.loads(
        (data_dir / "ground-truth.json").read_text(encoding="utf-8")
    )
    pages = []
    for key in sorted(truth):
        raw = gzip.decompress((data_dir / "html" / f"{key}.html.gz").read_bytes())
        from ..ingest import decode_bytes

        html = decode_bytes(raw)
        pages.append((key, truth[key].get("url") or "", html, truth[key].get("articleBody") or ""))
    return pages


def _storydesk(key: str, url: str, html: str) -> str:
    from ..errors import ExtractError
    from ..extract import extract_article
    from ..model import RawDocument

    raw = RawDocument(origin=f"zyte/{key}", kind="html", content=html, url=url or None)
    try:
        return extract_article(raw).text
    except ExtractError:
        return ""


def _trafilatura(key: str, url: str, html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


SYSTEMS: dict[str, Callable[[str, str, str], str]] = {"storydesk": _storydesk, "trafilatura": _trafilatura}


def evaluate_extraction(data_dir: Path, systems: Iterable[str] = ("storydesk", "trafilatura")) -> list[dict]:
    """One row per system: ``system``, ``precision``, ``recall``, ``f1`` (0–1) and ``pages``."""
    pages = load_zyte(Path(data_dir))
    rows: list[dict] = []
    for name in systems:
        run = SYSTEMS[name]
        scores = score_pages((gold, run(key, url, html)) for key, url, html, gold in pages)
        rows.append({"system": name, **scores, "pages": len(pages)})
    return rows


def read_labelled_lines(path: Path) -> list[tuple[str, str]]:
    """``(label, line)`` pairs from a ``label<TAB>line`` file (``#`` starts a comment line)."""
    rows = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        label, _, line = raw.partition("\t")
        if label not in {"drop", "keep"}:
            raise ValueError(f"{path}: unknown label {label!r} in line {raw!r}")
        rows.append((label, line))
    return rows


def score_boilerplate(rows: Iterable[tuple[str, str]]) -> dict[str, object]:
    """Precision and recall of removal by :func:`drop_boilerplate_lines` over labelled lines.

    Returns ``precision``, ``recall``, ``f1``, counts, and the misclassified lines (``false_drops``:
    article text removed, ``missed``: chrome kept).
    """
    from ..extract.boilerplate import is_boilerplate_line

    tp = fp = fn = tn = 0
    false_drops: list[str] = []
    missed: list[str] = []
    for label, line in rows:
        dropped = is_boilerplate_line(line)
        if dropped and label == "drop":
            tp += 1
        elif dropped:
            fp += 1
            false_drops.append(line)
        elif label == "drop":
            fn += 1
            missed.append(line)
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "false_drops": false_drops,
        "missed": missed,
    }
