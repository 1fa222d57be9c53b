"""An article's analysis as it is stored (#17): its facts and the vectors of the sentences its briefings
embedded, so that a story re-briefed in any process, in any later run, parses and embeds only what joined it.

The blob is data only (a shared Postgres store must never execute what it holds): a magic and a length,
zlib-compressed JSON (the version key, a fingerprint of the article, the facts as rows of field values
named by a header, the embedded texts, a CRC-32 of the vectors) and then the vectors as raw little-endian float32, exactly as the
embedder returned them, so a briefing made from stored analyses is identical to one made from scratch.

A blob is trusted only when its version key is the run's (:func:`analysis_version`: this format, the
sources of the analyse stage, the spaCy model and version, the embedder and the analysis options) and
its fingerprint is the article's (text, title, outlet and date: the date resolves relative dates).
Anything else, a damaged blob included, is :class:`StoredAnalysisError`, and the caller recomputes.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import StorydeskError
from ..model import Article, DateMention, Mention
from ._facts import AnalysisOptions, ArticleFacts
from .quotes import RawQuote
from .rules import ANALYSIS_FORMAT

__all__ = [
    "StoredAnalysis",
    "StoredAnalysisError",
    "analysis_version",
    "article_fingerprint",
    "encode_stored",
    "decode_stored",
]

_MAGIC = b"SDA1"
_HEADER = struct.Struct("<4sI")  # magic, length of the compressed JSON
_RECORDS: dict[str, type[Any]] = {"mentions": Mention, "quotes": RawQuote, "dates": DateMention}


class StoredAnalysisError(StorydeskError):
    """A stored analysis that cannot be used here (another version, another article text, damaged)."""


@dataclass(frozen=True, slots=True, eq=False)
class StoredAnalysis:
    """One article's analysis as stored: its facts (``None`` when the facts layer is off) and the vectors
    of sentence texts it holds (``texts[i]`` ↔ row ``i`` of ``vectors``, float32)."""

    article_id: str
    fingerprint: str
    facts: ArticleFacts | None
    texts: tuple[str, ...]
    vectors: np.ndarray

    def vector_map(self) -> dict[str, np.ndarray]:
        """The vectors by text."""
        return {t: self.vectors[i] for i, t in enumerate(self.texts)}


def article_fingerprint(article: Article) -> str:
    """What an analysis of ``article`` was read from: its text, title, outlet and publication date."""
    h = hashlib.sha256()
    for part in (article.text, article.title or "", article.outlet or "", article.published or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


@lru_cache(maxsize=1)
def _sources_digest() -> str:
    """A digest of the code that shapes an analysis: the analyse stage, the text helpers and the records
    it fills (any edit there makes stored analyses stale; the embedder's code is in its id)."""
    root = Path(__file__).resolve().parent
    files = sorted(root.rglob("*.py")) + [root.parent / "text.py", root.parent / "model" / "_analysis.py"]
    h = hashlib.sha256()
    for path in files:
        try:
            h.update(path.relative_to(root.parent).as_posix().encode())
            h.update(path.read_bytes())
        except OSError:  # installed without sources: the format constant and versions still key it
            h.update(b"?")
    return h.hexdigest()[:16]


def analysis_version(*, nlp_id: str | None, embedder_id: str | None, options: AnalysisOptions) -> str:
    """The version key of stored analyses made with the spaCy pipeline ``nlp_id`` (``None``: the facts
    layer is off), the embedder ``embedder_id`` (``None``: no vectors stored) and ``options``. Only
    ``max_parse_chars`` shapes a parse; ``warm_parses``, ``pipe_batch`` and ``pipe_chars`` change how, not what."""
    record_fields = ",".join(
        f"{name}:{'/'.join(f.name for f in fields(cls))}" for name, cls in _RECORDS.items()
    )
    parts = (
        f"format {ANALYSIS_FORMAT}",
        f"code {_sources_digest()}",
        f"records {hashlib.sha256(record_fields.encode()).hexdigest()[:8]}",
        f"nlp {nlp_id or '-'}",
        f"embedder {embedder_id or '-'}",
        f"parse {options.max_parse_chars}",
    )
    return "; ".join(parts)


def _row(record: Any) -> list[Any]:
    return [list(v) if isinstance(v, tuple) else v for v in (getattr(record, f.name) for f in fields(record))]


def _record(cls: type[Any], row: list[Any]) -> Any:
    names = [f.name for f in fields(cls)]
    if not isinstance(row, list) or len(row) != len(names):
        raise StoredAnalysisError(f"a {cls.__name__} row has {len(row)} values, expected {len(names)}")
    return cls(*(tuple(v) if isinstance(v, list) else v for v in row))


def encode_stored(stored: StoredAnalysis, version: str) -> bytes:
    """The blob of ``stored`` under ``version`` (see the module's description)."""
    vectors = np.ascontiguousarray(stored.vectors, dtype="<f4")
    if vectors.ndim != 2 or vectors.shape[0] != len(stored.texts):
        raise StoredAnalysisError(f"{len(stored.texts)} texts but vectors of shape {vectors.shape}")
    facts = stored.facts
    doc: dict[str, Any] = {
        "version": version,
        "article": stored.article_id,
        "fingerprint": stored.fingerprint,
        "fields": {name: [f.name for f in fields(cls)] for name, cls in _RECORDS.items()},
        "facts": None
        if facts is None
        else {
            "mentions": [_row(m) for m in facts.mentions],
            "quotes": [_row(q) for q in facts.quotes],
            "dates": [_row(d) for d in facts.dates],
        },
        "texts": list(stored.texts),
        "dim": int(vectors.shape[1]),
        "crc": zlib.crc32(vectors.tobytes()),
    }
    packed = zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
    return _HEADER.pack(_MAGIC, len(packed)) + packed + vectors.tobytes()


def decode_stored(data: bytes, article: Article, version: str) -> StoredAnalysis:
    """The analysis in ``data`` if it was made for ``article`` (as it is now) under ``version``;
    :class:`StoredAnalysisError` otherwise (damaged, another version, another text)."""
    try:
        magic, size = _HEADER.unpack_from(data, 0)
        if magic != _MAGIC:
            raise StoredAnalysisError("not a stored analysis")
        start = _HEADER.size
        doc = json.loads(zlib.decompress(data[start : start + size]).decode("utf-8"))
        if doc.get("version") != version:
            raise StoredAnalysisError("made under another version")
        if doc.get("article") != article.id or doc.get("fingerprint") != article_fingerprint(article):
            raise StoredAnalysisError("made from another text of the article")
        if doc.get("fields") != {name: [f.name for f in fields(cls)] for name, cls in _RECORDS.items()}:
            raise StoredAnalysisError("made with other record fields")
        texts = tuple(str(t) for t in doc["texts"])
        dim = int(doc["dim"])
        raw = data[start + size :]
        if len(raw) != 4 * dim * len(texts) or zlib.crc32(raw) != doc["crc"]:
            raise StoredAnalysisError(f"damaged vectors ({len(raw)} bytes for {len(texts)} texts of {dim})")
        vectors = np.frombuffer(raw, dtype="<f4").reshape(len(texts), dim).astype(np.float32)
        found = doc["facts"]
        facts = (
            None
            if found is None
            else ArticleFacts(
                article.id,
                tuple(_record(Mention, r) for r in found["mentions"]),
                tuple(_record(RawQuote, r) for r in found["quotes"]),
                tuple(_record(DateMention, r) for r in found["dates"]),
            )
        )
    except StoredAnalysisError:
        raise
    except (struct.error, zlib.error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise StoredAnalysisError(f"damaged ({type(exc).__name__}: {exc})") from exc
    return StoredAnalysis(article.id, doc["fingerprint"], facts, texts, vectors)


def merge_vectors(
    stored: StoredAnalysis | None, fresh: Iterable[tuple[str, np.ndarray]]
) -> tuple[tuple[str, ...], np.ndarray] | None:
    """The texts and vectors of ``stored`` with ``fresh`` ones added (new texts only, in order); ``None``
    when nothing is added."""
    have: Mapping[str, int] = {} if stored is None else {t: i for i, t in enumerate(stored.texts)}
    added = [(t, v) for t, v in dict(fresh).items() if t not in have]
    if not added:
        return None
    texts = (() if stored is None else stored.texts) + tuple(t for t, _ in added)
    rows = np.stack([np.asarray(v, dtype=np.float32) for _, v in added])
    if stored is not None and len(stored.texts):
        rows = np.concatenate([stored.vectors, rows])
    return texts, rows
