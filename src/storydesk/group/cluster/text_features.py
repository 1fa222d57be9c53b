"""Text features of clustering: hashed word and name rows, and their TF-IDF weights.

An article's *raw rows* (:func:`raw_features`) are log counts of its hashed words and of its name
shingles (:func:`extract_names`): a pure function of the text, so an extraction worker can make them
ahead. Weighing them (IDF, then L2 norm) needs the document frequencies of the articles clustered
together: :class:`TermWeights` keeps those of a stream.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from ...model import Article, title_opens_text
from . import rules as R
from .options import ClusterOptions

__all__ = ["extract_names", "raw_features", "hashing_vectorizers", "tfidf_rows", "TermWeights"]

#: The raw rows of some articles: (hashed words, name shingles), one CSR row per article.
RawRows = tuple[sp.csr_matrix, sp.csr_matrix]


def extract_names(text: str) -> list[str]:
    """Name shingles of a text: each capitalised-word run (``prime_minister_alain_juppe``) and its words.

    A single capitalised word opening a sentence is skipped (it is usually just capitalised).
    """
    out: list[str] = []
    for sentence in R.SENTENCE_SPLIT.split(text):
        for m in R.NAME_PATTERN.finditer(sentence):
            words = [w for w in m.group(1).split() if w not in R.NOT_NAMES]
            if not words or (len(words) == 1 and m.start() == 0):
                continue
            out.append("_".join(words).lower())
            if len(words) > 1:
                out.extend(w.lower() for w in words)
    return out


@functools.lru_cache(maxsize=1)
def hashing_vectorizers() -> tuple[Any, Any]:
    """The hashing vectorizers of the word and name features (stateless: the same in every process)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    common = {"n_features": R.HASH_FEATURES, "alternate_sign": False, "norm": None}
    words = HashingVectorizer(stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b", **common)
    return words, HashingVectorizer(analyzer=extract_names, **common)


def clustered_text(article: Article) -> str:
    """The text whose words and names are counted: the title, then the text; the text alone when it begins
    with the title (:func:`~storydesk.model.title_opens_text`): counted twice, that first line outweighed
    the rest of the article (#19)."""
    if not article.title or title_opens_text(article.title, article.text):
        return article.text
    return f"{article.title}\n{article.text}"


def raw_features(articles: Sequence[Article], vectorizers: tuple[Any, Any] | None = None) -> RawRows:
    """The raw rows of ``articles``: log counts of hashed words and of name shingles. A pure function of
    the texts, so an extraction worker can make them ahead of clustering."""
    texts = [clustered_text(a) for a in articles]
    out = []
    for vec in vectorizers or hashing_vectorizers():
        m = vec.transform(texts).tocsr()
        m.data = np.log1p(m.data)
        out.append(m)
    return out[0], out[1]


def tfidf_rows(
    raw: sp.csr_matrix, df: np.ndarray, n: int, min_df: int, max_share: float, cuts_from: int
) -> sp.csr_matrix:
    """TF-IDF rows from raw log-tf rows and the document frequencies ``df`` of ``n`` articles, L2-normed.

    Terms in fewer than ``min_df`` or more than ``max_share`` × n articles get no weight once n reaches
    ``cuts_from``; they are dropped from the rows: they add nothing to any dot product.
    """
    d = df[raw.indices]
    idf = np.log((1.0 + n) / (1.0 + d)) + 1.0
    if n >= cuts_from:
        idf[(d < min_df) | (d > max_share * n)] = 0.0
    data = raw.data * idf
    rows = np.repeat(np.arange(raw.shape[0]), np.diff(raw.indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=raw.shape[0]))
    norms[norms == 0] = 1.0
    data = data / np.repeat(norms, np.diff(raw.indptr))
    out = sp.csr_matrix((data, raw.indices.copy(), raw.indptr.copy()), shape=raw.shape)
    out.eliminate_zeros()
    return out


class TermWeights:
    """The document frequencies of the words and names of every article a stream has seen, and the
    TF-IDF weighing of raw rows by them. Also two dense vocabulary-sized scratch buffers (zeroed between
    uses) into which one sparse row is scattered for cheap products."""

    def __init__(self, options: ClusterOptions) -> None:
        self.options = options
        self.vectorizers = hashing_vectorizers()
        self.word_df = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self.name_df = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self.articles_seen = 0
        # articles counted ahead of their placing (see :meth:`count_ahead`), not to be counted again
        self.counted_ahead: set[str] = set()
        self.word_scratch = np.zeros(R.HASH_FEATURES, dtype=np.float64)
        self.name_scratch = np.zeros(R.HASH_FEATURES, dtype=np.float64)

    def count(self, articles: Sequence[Article], made: RawRows | None = None) -> RawRows:
        """The articles' raw rows (``made``: as :func:`raw_features` made them already), counted in the
        document frequencies (unless they were counted ahead)."""
        rows = made if made is not None else raw_features(articles, self.vectorizers)
        if self.counted_ahead:
            fresh = [k for k, a in enumerate(articles) if a.id not in self.counted_ahead]
            self.counted_ahead.difference_update(a.id for a in articles)
            if len(fresh) < len(articles):
                if fresh:
                    self._add((rows[0][fresh], rows[1][fresh]), len(fresh))
                return rows[0], rows[1]
        self._add(rows, len(articles))
        return rows[0], rows[1]

    def count_ahead(self, articles: Sequence[Article]) -> None:
        """Count articles that are about to be placed (an interrupted run's stored leftovers) in the
        document frequencies now; :meth:`count` does not count them again when they are placed."""
        fresh = [a for a in articles if a.id not in self.counted_ahead]
        if fresh:
            self._add(raw_features(fresh, self.vectorizers), len(fresh))
            self.counted_ahead.update(a.id for a in fresh)

    def _add(self, rows: RawRows, n: int) -> None:
        """Count ``n`` articles' raw rows in the document frequencies."""
        for m, df in zip(rows, (self.word_df, self.name_df), strict=True):
            if n == 1:
                df[m.indices] += 1.0  # a row's terms are distinct
            else:
                np.add.at(df, m.indices, 1.0)
        self.articles_seen += n

    def rows_of(self, articles: Sequence[Article]) -> RawRows:
        """Raw rows of articles already counted (stored ones), without counting them again."""
        return raw_features(articles, self.vectorizers)

    def weigh_words(self, raw: sp.csr_matrix) -> sp.csr_matrix:
        """TF-IDF word rows (L2-normed) of raw word rows, by the document frequencies counted so far."""
        options = self.options
        return tfidf_rows(
            raw,
            self.word_df,
            self.articles_seen,
            options.word_min_df,
            options.word_max_df_share,
            options.df_cuts_from_articles,
        )

    def weigh_names(self, raw: sp.csr_matrix) -> sp.csr_matrix:
        """TF-IDF name rows (L2-normed) of raw name rows, by the document frequencies counted so far."""
        options = self.options
        return tfidf_rows(
            raw,
            self.name_df,
            self.articles_seen,
            options.name_min_df,
            options.name_max_df_share,
            options.df_cuts_from_articles,
        )
