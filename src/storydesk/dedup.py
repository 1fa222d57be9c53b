"""Near-duplicate folding: syndicated copies of one article (the same wire story on several sites).

MinHash (``NUM_PERM`` permutations) over 5-word shingles of normalised text, LSH to find candidates, then the
MinHash Jaccard estimate must reach the threshold. Headlines, bylines and short boilerplate differ between
copies and barely move the estimate of a full article; two different articles about the same event share
names but few 5-word runs, so they stay apart.

The canonical copy of a group is the earliest published, then the longest, then the smallest id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Article

__all__ = [
    "find_near_duplicates",
    "DuplicateIndex",
    "shingles",
    "NUM_PERM",
    "SHINGLE_WORDS",
    "DEFAULT_THRESHOLD",
]

NUM_PERM = 128
SHINGLE_WORDS = 5
DEFAULT_THRESHOLD = 0.8
#: LSH finds candidates at a lower threshold than the confirmation so that few true pairs are missed.
LSH_SLACK = 0.2
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """Case-folded ``k``-word shingles (punctuation dropped); short texts give one shingle of all words."""
    words = _WORD.findall(text.casefold())
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def _priority(article: Article) -> tuple[str, int, str]:
    # earliest first (undated last), then longest, then smallest id
    return (article.published or "9999", -len(article.text), article.id)


class DuplicateIndex:
    """Streaming near-duplicate finder. ``add`` returns the canonical id when the article is a copy.

    The canonical article of a group is the first one added to it (in a stream, the one seen first);
    :func:`find_near_duplicates` adds articles in canonical order so that batch results follow the rule.
    """

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD, num_perm: int = NUM_PERM) -> None:
        from datasketch import MinHash, MinHashLSH

        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._num_perm = num_perm
        self._MinHash = MinHash
        self._lsh = MinHashLSH(threshold=max(0.1, threshold - LSH_SLACK), num_perm=num_perm)
        self._hashes: dict[str, object] = {}
        self._canonical: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def _minhash(self, text: str):  # -> MinHash
        m = self._MinHash(num_perm=self._num_perm)
        m.update_batch([s.encode("utf-8") for s in shingles(text)])
        return m

    def add(self, article: Article) -> str | None:
        """Index the article; return the canonical id of its group if it is a near-duplicate, else None."""
        if article.id in self._canonical:
            return self._canonical[article.id]
        if article.id in self._hashes:
            return None
        m = self._minhash(article.text)
        best: tuple[float, str] | None = None
        for cand in self._lsh.query(m):
            score = m.jaccard(self._hashes[cand])
            if score >= self.threshold and (best is None or score > best[0]):
                best = (score, cand)
        if best is not None:
            canonical = self._canonical.get(best[1], best[1])
            self._canonical[article.id] = canonical
            return canonical
        self._hashes[article.id] = m
        self._lsh.insert(article.id, m)
        return None


def find_near_duplicates(
    articles: Sequence[Article], *, threshold: float = DEFAULT_THRESHOLD
) -> dict[str, str]:
    """Map each near-duplicate article id to its canonical id (canonical articles are not keys)."""
    index = DuplicateIndex(threshold=threshold)
    out: dict[str, str] = {}
    for article in sorted(articles, key=_priority):
        canonical = index.add(article)
        if canonical is not None and canonical != article.id:
            out[article.id] = canonical
    return out
