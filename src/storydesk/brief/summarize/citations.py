"""Citations: every article that states a summary sentence, not just the one it was taken from.

Two sentences state the same thing when

* their stemmed content words nearly coincide (:mod:`.redundancy`: Jaccard ≥ ``same_text_jaccard``, or
  the shorter one's are nearly all in the longer one: ``same_text_containment``), or
* an embedder is at hand, their vectors' cosine is at least ``equivalent_cosine`` and they share
  content words (overlap ≥ ``equivalent_min_overlap`` of the shorter one).

Only sentences sharing ``candidate_min_shared`` content words are compared, so few are embedded.
Thresholds are fields of :class:`~.options.SummaryOptions` (defaults in :mod:`.rules`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ...analyse import ArticleAnalysis
from ...group.embed import Embedder
from ...model import Sentence
from ...text import content_stems
from .options import DEFAULT_SUMMARY_OPTIONS, SummaryOptions
from .redundancy import overlaps, same_text, same_text_matrix

__all__ = ["cite", "equivalent"]


def equivalent(
    a: str, b: str, *, cosine: float | None = None, options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS
) -> bool:
    """Whether sentences ``a`` and ``b`` state the same thing (``cosine`` of their vectors, if known)."""
    return _equivalent_contents(content_stems(a), content_stems(b), cosine, options)


def _equivalent_contents(
    a: frozenset[str], b: frozenset[str], cosine: float | None, options: SummaryOptions
) -> bool:
    jaccard, containment, shared = overlaps(a, b)
    if same_text(jaccard, containment, shared, options):
        return True
    if cosine is None or shared < options.candidate_min_shared:
        return False
    return cosine >= options.equivalent_cosine and containment >= options.equivalent_min_overlap


def cite(
    summary: Sequence[Sentence],
    analyses: Sequence[ArticleAnalysis],
    options: SummaryOptions = DEFAULT_SUMMARY_OPTIONS,
    *,
    embedder: Embedder | None = None,
    known: Mapping[str, frozenset[str]] | None = None,
    vectors: Mapping[str, np.ndarray] | None = None,
) -> list[tuple[str, ...]]:
    """For each summary sentence, the ids of all articles stating it, its source first, then in order.

    ``known`` may give the content words of some texts and ``vectors`` their embeddings (as the
    summarizer has computed them already): each text is analysed and embedded at most once per call.
    """
    articles = [a.article for a in analyses]
    content = _ContentCache(known)
    texts: list[str] = []
    owner: list[int] = []  # per sentence of the story, the position of its article
    for n, analysis in enumerate(analyses):
        for sentence in analysis.sentences:
            texts.append(sentence.text)
            owner.append(n)
    same, shared, containment = same_text_matrix(
        [content(s.text) for s in summary], [content(t) for t in texts], options
    )
    # a pair can be equivalent by its vectors only if it shares enough words (the test of
    # _equivalent_contents): only those are embedded and compared
    maybe_equivalent = (shared >= options.candidate_min_shared) & (
        containment >= options.equivalent_min_overlap
    )
    owners = np.array(owner, dtype=int)
    pairs: list[list[tuple[str, str, str]]] = []  # per summary sentence: (article id, its text, other text)
    out_ids: list[list[str]] = []
    for r, s in enumerate(summary):
        lexical = {int(n) for n in np.unique(owners[same[r]])} if len(owners) else set()
        lexical = {n for n in lexical if articles[n].id != s.article_id}
        ids = [s.article_id, *(articles[n].id for n in sorted(lexical))]
        maybe: list[tuple[str, str, str]] = []
        if embedder is not None:
            for k in np.flatnonzero(maybe_equivalent[r]):
                n = owner[k]
                if n not in lexical and articles[n].id != s.article_id:
                    maybe.append((articles[n].id, s.text, texts[k]))
        out_ids.append(ids)
        pairs.append(maybe)
    if embedder is not None:
        _add_semantic(out_ids, pairs, embedder, content, vectors or {}, options)
    order = {a.id: n for n, a in enumerate(articles)}
    return [(ids[0], *sorted(set(ids[1:]) - {ids[0]}, key=order.__getitem__)) for ids in out_ids]


class _ContentCache:
    """Content words by text, computed once per text (seeded with those already known)."""

    def __init__(self, known: Mapping[str, frozenset[str]] | None = None) -> None:
        self._by_text: dict[str, frozenset[str]] = dict(known or {})

    def __call__(self, text: str) -> frozenset[str]:
        found = self._by_text.get(text)
        if found is None:
            found = self._by_text[text] = content_stems(text)
        return found


def _add_semantic(
    out_ids: list[list[str]],
    pairs: list[list[tuple[str, str, str]]],
    embedder: Embedder,
    content: _ContentCache,
    known_vectors: Mapping[str, np.ndarray],
    options: SummaryOptions,
) -> None:
    texts = sorted({t for group in pairs for _, a, b in group for t in (a, b)})
    if not texts:
        return
    missing = [t for t in texts if t not in known_vectors]
    fresh = np.asarray(embedder.embed(missing), dtype=np.float32) if missing else None
    fresh_index = {t: n for n, t in enumerate(missing)}

    def vector(text: str) -> np.ndarray:
        if text in fresh_index:
            return fresh[fresh_index[text]]  # type: ignore[index]
        return known_vectors[text]

    for ids, group in zip(out_ids, pairs, strict=True):
        for article_id, a, b in group:
            if article_id in ids:
                continue
            cosine = float(vector(a) @ vector(b))
            if _equivalent_contents(content(a), content(b), cosine, options):
                ids.append(article_id)
