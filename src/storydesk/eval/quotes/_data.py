"""The gold side: PolNeAR's articles and their direct quotations with a known, short speaker, and the
record of a system's output quotation."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import IngestError
from ...model import Article

#: Longest gold speaker kept (words); longer ones are descriptions ("a woman in the audience at …").
MAX_GOLD_SPEAKER_WORDS = 5


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """A direct quotation of the gold set with its known speaker (surnames are read per metric reading)."""

    text: str
    speaker: str
    automatic: bool = False  # the speaker is CoreNLP's resolution of a pronoun, not an annotation


@dataclass(frozen=True, slots=True)
class OutputQuote:
    """What a system says one article quotes: the text and the speaker as it would be shown."""

    text: str
    speaker: str | None


@dataclass(frozen=True, slots=True)
class QuoteArticle:
    """One article of the gold set: ``line`` is its 1-based line in the file."""

    line: int
    article: Article
    gold: tuple[GoldQuote, ...]


def gold_quotes(attributions: Iterable[dict[str, Any]]) -> tuple[GoldQuote, ...]:
    """The direct attributions with a known, short speaker (see the module docstring)."""
    out = []
    for a in attributions:
        if not a.get("direct"):
            continue
        speaker = a.get("source_resolved") if a.get("source_is_pronoun") else a.get("source")
        if not speaker or not speaker.strip() or len(speaker.split()) > MAX_GOLD_SPEAKER_WORDS:
            continue
        out.append(
            GoldQuote(text=a["content"], speaker=speaker.strip(), automatic=bool(a.get("source_is_pronoun")))
        )
    return tuple(out)


def read_polnear(path: str | Path, *, limit: int | None = None) -> list[QuoteArticle]:
    """The articles of a PolNeAR JSON Lines file with their gold quotes, in file order."""
    path = Path(path)
    out: list[QuoteArticle] = []
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc}") from exc
    with fh:
        for lineno, line in enumerate(fh, start=1):
            if limit is not None and len(out) >= limit:
                break
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                article = Article(
                    id=str(r["id"]),
                    title=r.get("title") or "",
                    text=r["text"],
                    outlet=r.get("outlet"),
                    published=r.get("published"),
                    author=r.get("author"),
                )
                gold = gold_quotes(r.get("attributions") or ())
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise IngestError(f"{path}:{lineno}", f"not a PolNeAR article record: {exc}") from exc
            out.append(QuoteArticle(lineno, article, gold))
    return out
