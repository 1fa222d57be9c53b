"""Near-duplicate folding: syndicated copies of one article (the same wire story on several sites).

MinHash (``NUM_PERM`` permutations) over 5-word shingles of normalised text, LSH to find candidates, then the
MinHash Jaccard estimate must reach the threshold. Headlines, bylines and short boilerplate differ between
copies and barely move the estimate of a full article; two different articles about the same event share
names but few 5-word runs, so they stay apart.

Shingles are hashed without building their strings: each word gets a CRC-32, a shingle a mixed polynomial
of its words' hashes (:func:`shingle_hashes`), and the MinHash values are computed from those in one
vectorised step. That is about three times faster than hashing every shingle string with SHA-1 (datasketch's
default) and gives the same Jaccard estimates up to the usual MinHash noise.

The canonical copy of a group is the earliest published, then the longest, then the smallest id.

Memory is bounded: the streaming index forgets articles published more than ``horizon_days`` before
the newest article it has seen (copies of one wire story appear within days of each other), and keeps at
most ``max_undated`` undated articles. Thresholds and their reasons: :mod:`storydesk.group.rules`.
"""

from __future__ import annotations

import heapq
import math
import re
import zlib
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..model import Article, publication_day
from . import rules as R

__all__ = ["find_near_duplicates", "DuplicateIndex", "DedupOptions", "shingles", "shingle_hashes"]


@dataclass(frozen=True, slots=True)
class DedupOptions:
    """The options of near-duplicate folding; each default is the rule in :mod:`storydesk.group.rules`."""

    threshold: float = R.DEDUP_THRESHOLD  # estimated Jaccard of the shingles that makes a copy
    num_perm: int = R.NUM_PERM  # MinHash permutations
    lsh_slack: float = R.LSH_SLACK  # LSH candidates from threshold - lsh_slack (at least 0.1)
    horizon_days: float = R.DEDUP_HORIZON_DAYS  # the streaming index forgets articles older than this ...
    max_undated: int = R.DEDUP_MAX_UNDATED  # ... and keeps at most this many undated ones


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_U64 = np.uint64
_POLY = _U64(0x100000001B3)  # FNV-64 prime: the polynomial base that combines word hashes into a shingle's


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def shingles(text: str, k: int = R.SHINGLE_WORDS) -> set[str]:
    """Case-folded ``k``-word shingles (punctuation dropped); short texts give one shingle of all words."""
    words = _words(text)
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def shingle_hashes(text: str, k: int = R.SHINGLE_WORDS) -> np.ndarray:
    """Distinct 32-bit hashes of the :func:`shingles` of ``text`` (same words, same short-text rule).

    Each word is hashed once (CRC-32); a shingle's hash is a polynomial of its words' hashes, then mixed
    (MurmurHash3's 64-bit finaliser) and cut to its top 32 bits, so MinHash needs no string per shingle.
    """
    words = _words(text)
    if not words:
        return np.zeros(0, dtype=np.uint32)
    # each distinct word is hashed once (a news text repeats most of its words)
    vocab: dict[str, int] = {}
    ids = np.fromiter((vocab.setdefault(x, len(vocab)) for x in words), dtype=np.intp, count=len(words))
    crc = np.fromiter((zlib.crc32(x.encode("utf-8")) for x in vocab), dtype=np.uint64, count=len(vocab))
    w = crc[ids]
    width = min(k, len(w))
    n = len(w) - width + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            h = h * _POLY + w[j : j + n] + _U64(1)
        h ^= h >> _U64(33)
        h *= _U64(0xFF51AFD7ED558CCD)
        h ^= h >> _U64(33)
        h *= _U64(0xC4CEB9FE1A85EC53)
        h ^= h >> _U64(33)
    return np.unique((h >> _U64(32)).astype(np.uint32))


def _priority(article: Article) -> tuple[str, int, str]:
    # earliest first (undated last), then longest, then smallest id
    return (article.published or "9999", -len(article.text), article.id)


class DuplicateIndex:
    """Streaming near-duplicate finder. ``add`` returns the canonical id when the article is a copy.

    The canonical article of a group is the first one added to it (in a stream, the one seen first);
    :func:`find_near_duplicates` adds articles in canonical order so that batch results follow the rule.

    Only recent articles are kept (see the module docstring): an indexed article published more than
    ``options.horizon_days`` before the newest article seen, or an undated one pushed out by
    ``options.max_undated`` newer undated ones, is forgotten together with the copies folded into it. A
    forgotten article that is added again is treated as new (callers skip articles they have stored already).
    """

    def __init__(self, options: DedupOptions | None = None) -> None:
        from datasketch import MinHash, MinHashLSH

        options = options or DedupOptions()
        if not 0.0 < options.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {options.threshold}")
        self.options = options
        self._MinHash = MinHash
        template = MinHash(num_perm=options.num_perm)
        self._scheme = template.scheme
        self._perm = template.permutations
        self._a = self._perm[0].astype(np.uint32)[None, :]
        self._b = self._perm[1].astype(np.uint32)[None, :]
        self._empty = template.hashvalues.copy()
        self._lsh = MinHashLSH(
            threshold=max(0.1, options.threshold - options.lsh_slack), num_perm=options.num_perm
        )
        self._hashes: dict[str, object] = {}
        self._canonical: dict[str, str] = {}  # copy id -> canonical id
        self._copies: dict[str, list[str]] = {}  # canonical id -> copy ids (forgotten with it)
        self._dated: list[tuple[float, int, str]] = []  # heap of (day, arrival, id) of indexed articles
        self._undated: deque[str] = deque()
        self._arrivals = 0
        self._newest = -math.inf

    @classmethod
    def from_articles(
        cls, articles: Iterable[Article], options: DedupOptions | None = None
    ) -> DuplicateIndex:
        """An index rebuilt from stored articles, read one at a time (oldest first keeps it smallest).

        Articles beyond the horizon are forgotten as the newer ones arrive, so memory stays bounded by
        the horizon whatever the number stored.
        """
        index = cls(options)
        for article in articles:
            index.add(article)
        return index

    def __len__(self) -> int:
        """How many canonical articles are indexed (the memory the index holds)."""
        return len(self._hashes)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._hashes or article_id in self._canonical

    def _minhash(self, text: str, hashes: np.ndarray | None = None):  # -> MinHash
        hv = shingle_hashes(text) if hashes is None else hashes
        if len(hv):
            # the affine permutations of datasketch's 32-bit scheme, applied to already-mixed hashes
            values = (hv[:, None] * self._a + self._b).min(axis=0)
        else:
            values = self._empty.copy()
        return self._MinHash(hashvalues=values, scheme=self._scheme, permutations=self._perm)

    def add(
        self, article: Article, hashes: np.ndarray | None = None, *, newest: float | None = None
    ) -> str | None:
        """Index the article; return the canonical id of its group if it is a near-duplicate, else None.

        ``hashes`` may give the :func:`shingle_hashes` of its text (made in another process). ``newest``:
        the newest publication day (ordinal) of the whole stream so far, this article included, when this
        index is fed only part of it (a batch job deciding each group of candidates alone, #19): the
        horizon then counts from it, as it would in one index fed the whole stream.
        """
        if article.id in self._canonical:
            return self._canonical[article.id]
        if article.id in self._hashes:
            return None
        day = publication_day(article.published)
        if newest is not None and not math.isnan(newest) and newest > self._newest:
            self._newest = newest
            self._forget_older_than(newest - self.options.horizon_days)
        if not math.isnan(day) and day > self._newest:
            self._newest = day
            self._forget_older_than(day - self.options.horizon_days)
        m = self._minhash(article.text, hashes)
        best: tuple[float, str] | None = None
        for cand in self._lsh.query(m):
            score = m.jaccard(self._hashes[cand])
            if score >= self.options.threshold and (best is None or score > best[0]):
                best = (score, cand)
        if best is not None:
            canonical = self._canonical.get(best[1], best[1])
            self._canonical[article.id] = canonical
            self._copies.setdefault(canonical, []).append(article.id)
            return canonical
        if not math.isnan(day) and day < self._newest - self.options.horizon_days:
            return None  # already beyond the horizon: nothing later will be compared with it
        self._hashes[article.id] = m
        self._lsh.insert(article.id, m)
        self._arrivals += 1
        if math.isnan(day):
            self._undated.append(article.id)
            while len(self._undated) > self.options.max_undated:
                self._forget(self._undated.popleft())
        else:
            heapq.heappush(self._dated, (day, self._arrivals, article.id))
        return None

    def _forget_older_than(self, cutoff: float) -> None:
        while self._dated and self._dated[0][0] < cutoff:
            self._forget(heapq.heappop(self._dated)[2])

    def _forget(self, article_id: str) -> None:
        self._lsh.remove(article_id)
        del self._hashes[article_id]
        for copy in self._copies.pop(article_id, ()):
            self._canonical.pop(copy, None)


def find_near_duplicates(articles: Sequence[Article], options: DedupOptions | None = None) -> dict[str, str]:
    """Map each near-duplicate article id to its canonical id (canonical articles are not keys).

    Batch: every article is compared with every earlier one, however far apart they were published (the
    options' horizon and cap on undated articles do not apply).
    """
    batch = replace(options or DedupOptions(), horizon_days=math.inf, max_undated=len(articles) + 1)
    index = DuplicateIndex(batch)
    out: dict[str, str] = {}
    for article in sorted(articles, key=_priority):
        canonical = index.add(article)
        if canonical is not None and canonical != article.id:
            out[article.id] = canonical
    return out
