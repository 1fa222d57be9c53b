"""``storydesk eval summarize``: ROUGE of storydesk's summaries against published and live peers.

On an ``mds`` file (see :mod:`.datasets`) this scores, under the DUC protocol (first ``words`` words,
ROUGE-1/2/L recall and F1 against the human summaries, see :mod:`.rouge`):

* ``storydesk`` — :func:`storydesk.brief.summarize.summarize` with ``max_words=words``, with 95% bootstrap
  intervals over clusters;
* every published system under ``peers`` in the file (13 on DUC 2004, none on DUC 2003);
* two live peers run on the same input: sumy's LexRank and TextRank, with a blingfire tokenizer
  (sumy's default tokenizer needs nltk data), sumy's English stemmer and stop words;
* the paired bootstrap difference of storydesk to the best peer, metric by metric;
* what a reader sees first, under the product's budget (``max_sentences`` sentences, as a briefing shows
  them; the ROUGE rows above use the DUC budget of ``words`` words): the first summary sentence alone, cut
  to 25 words, scored by ROUGE-1 recall (``first_sentence_rouge1_recall``) next to the news lead's (the
  first sentence of the cluster's earliest article, dateline cut off, cut to 25 words: the ``news-lead``
  row), and the share of summary sentences that start dangling (``dangling_share``, in percent; the check
  is :func:`storydesk.brief.summarize.cohesion.dangling`).
"""

from __future__ import annotations

import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..analyse import ArticleAnalysis
from ..analyse.sentences import split_text
from ..group.embed import Embedder, get_embedder
from ..model import Article
from .datasets import MdsCluster, read_mds
from .rouge import METRICS, ClusterScores, bootstrap_ci, paired_bootstrap, score_system

__all__ = [
    "evaluate_summaries",
    "SumyTokenizer",
    "sumy_summary",
    "storydesk_summary",
    "first_sentences",
    "news_lead",
    "FIRST_SENTENCE_WORDS",
]

#: The first summary sentence and the news lead are each cut to this many words before scoring.
FIRST_SENTENCE_WORDS = 25

log = logging.getLogger(__name__)

#: Rejection reasons (storydesk.brief.verify) by how they start, and the kind each is counted as.
_REASON_KINDS = (
    ("cites no source", "no citation"),
    ("cites [", "unknown citation"),
    ("name ", "name"),
    ("number ", "number"),
    ("date ", "date"),
    ("quotation ", "quotation"),
    ("states ", "one side of a dispute"),
    ("not supported", "not supported"),
)

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)


class SumyTokenizer:
    """A sumy tokenizer (``to_sentences``, ``to_words``) on blingfire, needing no nltk data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.text for s in split_text(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def sumy_summary(articles: Sequence[Article], method: str, *, words: int = 100) -> str:
    """A ``words``-word summary by sumy's ``"lexrank"`` or ``"textrank"``: best-rated sentences first."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    bases: dict[str, type] = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}
    if method not in bases:
        raise ValueError(f"unknown sumy method {method!r} (known: {', '.join(bases)})")
    text = "\n\n".join(a.text for a in articles)
    document = PlaintextParser.from_string(text, SumyTokenizer()).document
    captured: dict[Any, float] = {}

    class _RatingsOf(bases[method]):  # type: ignore[misc,valid-type]
        """sumy's summarizer, keeping every sentence's rating instead of a fixed count of sentences."""

        def _get_best_sentences(
            self, sentences: Any, count: Any, rating: Any, *args: Any, **kwargs: Any
        ) -> Any:
            captured.update(rating)
            return ()

    summarizer = _RatingsOf(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    summarizer(document, 1)
    ratings = captured
    ranked = sorted(document.sentences, key=lambda s: -ratings.get(s, 0.0))
    out: list[str] = []
    count = 0
    for sentence in ranked:
        if count >= words:
            break
        out.append(str(sentence))
        count += len(str(sentence).split())
    return " ".join(out)


def storydesk_summary(cluster: MdsCluster, *, words: int = 100, embedder: Embedder | None = None) -> str:
    """storydesk's summary of one cluster under a word budget, as one string."""
    from ..brief.summarize import SummaryOptions, summarize

    summary = summarize(cluster.articles, SummaryOptions(max_words=words), embedder=embedder)
    return " ".join(s.text for s in summary)


def news_lead(analyses: Sequence[ArticleAnalysis]) -> str:
    """The news lead of a story: the first sentence (dateline cut off) of its earliest article (by
    publication date, then input order) that has one; "" when none has."""
    from ..brief.summarize.candidates import strip_dateline

    dated = sorted(range(len(analyses)), key=lambda n: (analyses[n].article.published or "", n))
    for n in dated:
        if analyses[n].sentences:
            return strip_dateline(analyses[n].sentences[0]).text
    return ""


def first_sentences(
    clusters: Sequence[MdsCluster],
    *,
    max_sentences: int = 5,
    embedder: Embedder | None = None,
    words: int = FIRST_SENTENCE_WORDS,
) -> dict[str, Any]:
    """What a reader sees first, under the product's budget of ``max_sentences`` sentences: per cluster,
    ROUGE-1 recall of the first summary sentence and of the news lead (:func:`news_lead`), each cut to
    ``words`` words, and the summary sentences that start dangling (``cohesion.dangling``).

    Returns ``{"storydesk": ClusterScores, "news-lead": ClusterScores, "dangling": int, "sentences": int,
    "examples": [first dangling sentences, at most 10]}``.
    """
    from ..analyse import analyse_article
    from ..brief.summarize import SummaryOptions, summarize
    from ..brief.summarize.cohesion import dangling

    options = SummaryOptions(max_sentences=max_sentences)
    firsts: list[str] = []
    leads: list[str] = []
    leaning = total = 0
    examples: list[str] = []
    for c in clusters:
        analyses = {a.id: analyse_article(a) for a in c.articles}
        summary = summarize(c.articles, options, embedder=embedder, analyses=analyses)
        firsts.append(summary[0].text if summary else "")
        leads.append(news_lead([analyses[a.id] for a in c.articles]))
        flags = dangling(summary, options)
        leaning += sum(flags)
        total += len(flags)
        examples.extend(f"{c.id}: {s.text}" for s, f in zip(summary, flags, strict=True) if f)
    references = [list(c.summaries) for c in clusters]
    return {
        "storydesk": score_system(firsts, references, words=words),
        "news-lead": score_system(leads, references, words=words),
        "dangling": leaning,
        "sentences": total,
        "examples": examples[:10],
    }


def _row(
    system: str, scores: ClusterScores, *, ci: bool = False, seconds: float | None = None
) -> dict[str, Any]:
    row: dict[str, Any] = {"system": system}
    for metric in METRICS:
        row[metric] = round(scores.mean(metric), 2)
        if ci:
            lo, hi = bootstrap_ci(scores.values[metric])
            row[f"{metric}_ci"] = [round(lo, 2), round(hi, 2)]
    if seconds is not None:
        row["seconds_per_cluster"] = round(seconds, 3)
    return row


def llm_summaries(
    clusters: Sequence[MdsCluster], settings: Any, embedder: Embedder
) -> tuple[list[str], dict[str, Any]]:
    """The summary a user of ``summarizer=llm`` is shown for each cluster (the generated one where it
    passed verification, else the extractive one), and counts: clusters shown a generated summary,
    generated sentences, the share rejected, LLM calls that failed."""
    from ..analyse import analyse_article
    from ..brief.llm import chat_client, make_plan, support_checker, write_summary
    from ..brief.summarize import SummaryOptions, headline, summarize

    client, checker = chat_client(settings), support_checker(settings, embedder)
    texts: list[str] = []
    generated = written = rejected = failed = calls = prompt_tokens = completion_tokens = 0
    verify_ms: list[float] = []
    reasons: Counter[str] = Counter()
    for c in clusters:
        articles = list(c.articles)
        analyses = {a.id: analyse_article(a) for a in articles}
        sentences = {a.id: analyses[a.id].sentences for a in articles}
        options = SummaryOptions.from_settings(settings)
        summary = summarize(articles, options, embedder=embedder, analyses=analyses)
        plan = make_plan(headline(articles, summary), summary, articles, sentences)
        out = write_summary(
            plan,
            client,
            checker,
            max_sentences=settings.summary_sentences,
            max_tokens=settings.llm_max_tokens,
        )
        written += len(out.verdicts)
        rejected += len(out.rejected)
        failed += out.usage.failures
        calls += out.usage.calls
        prompt_tokens += out.usage.prompt_tokens
        completion_tokens += out.usage.completion_tokens
        if out.verdicts:
            verify_ms.append(out.verify_ms)
        for verdict in out.rejected:
            reasons.update({reason_kind(r) for r in verdict.reasons})
        if out.method == "generated":
            generated += 1
            texts.append(" ".join(v.text for v in out.sentences))
        else:
            texts.append(" ".join(s.text for s in summary))
    counts = {
        "clusters_generated": generated,
        "generated_sentences": written,
        "rejected_share": round(100 * rejected / written, 1) if written else None,
        "llm_failures": failed,
        "llm_calls": calls,
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "verify_ms_median": round(statistics.median(verify_ms), 1) if verify_ms else None,
        "rejected_reasons": dict(sorted(reasons.items())),
    }
    return texts, counts


def reason_kind(reason: str) -> str:
    """The kind of a verifier's rejection reason (see :data:`_REASON_KINDS`; else ``other``), for
    counting why generated sentences fail."""
    return next((kind for prefix, kind in _REASON_KINDS if reason.startswith(prefix)), "other")


def evaluate_summaries(
    path: Path,
    *,
    words: int = 100,
    live_peers: bool = True,
    embedder: Embedder | str | None = "minilm",
    llm_settings: Any = None,
    first: int | None = None,
) -> dict[str, Any]:
    """ROUGE table of storydesk, the file's published peers and live sumy peers (see the module doc).

    ``embedder`` is an embedder, the name of one (:func:`storydesk.embed.get_embedder`), or None. With
    ``llm_settings`` (settings with ``llm_url``), two more rows: ``storydesk-llm`` (what summarizer=llm
    shows, see :func:`llm_summaries`) and ``storydesk-extractive-5`` (the extractive summary it plans
    from, under the same sentence budget), each cut to ``words`` words. ``first``: score only the
    file's first ``first`` clusters (every row on the same clusters).
    """
    clusters = read_mds(path)[:first]
    references = [list(c.summaries) for c in clusters]
    if isinstance(embedder, str):
        embedder = get_embedder(embedder)

    started = time.perf_counter()
    ours = [storydesk_summary(c, words=words, embedder=embedder) for c in clusters]
    per_cluster = (time.perf_counter() - started) / max(len(clusters), 1)
    storydesk = score_system(ours, references, words=words)
    rows = [_row("storydesk", storydesk, ci=True, seconds=per_cluster)]
    peers: dict[str, ClusterScores] = {}

    names = sorted({name for c in clusters for name in c.peers})
    for name in names:
        outputs = [c.peers.get(name, "") for c in clusters]
        peers[name] = score_system(outputs, references, words=words)
        rows.append(_row(name, peers[name]))

    if live_peers:
        for method, label in (("lexrank", "sumy-LexRank"), ("textrank", "sumy-TextRank")):
            started = time.perf_counter()
            outputs = [sumy_summary(c.articles, method, words=words) for c in clusters]
            seconds = (time.perf_counter() - started) / max(len(clusters), 1)
            peers[label] = score_system(outputs, references, words=words)
            rows.append(_row(label, peers[label], seconds=seconds))

    llm_counts: dict[str, Any] | None = None
    if llm_settings is not None:
        from ..brief.summarize import SummaryOptions, summarize

        model = embedder if embedder is not None and not isinstance(embedder, str) else get_embedder("minilm")
        started = time.perf_counter()
        texts, llm_counts = llm_summaries(clusters, llm_settings, model)
        seconds = (time.perf_counter() - started) / max(len(clusters), 1)
        rows.append(
            {
                **_row("storydesk-llm", score_system(texts, references, words=words), seconds=seconds),
                **llm_counts,
            }
        )
        base = [
            " ".join(
                s.text
                for s in summarize(c.articles, SummaryOptions.from_settings(llm_settings), embedder=model)
            )
            for c in clusters
        ]
        rows.append(_row("storydesk-extractive-5", score_system(base, references, words=words)))

    first = first_sentences(clusters, embedder=embedder)
    r1 = "rouge1_recall"
    mine, lead = first["storydesk"].values[r1], first["news-lead"].values[r1]
    diff, lo, hi = paired_bootstrap(mine, lead)
    rows[0].update(
        {
            "first_sentence_rouge1_recall": round(float(mine.mean()), 2),
            "first_sentence_rouge1_recall_ci": [round(x, 2) for x in bootstrap_ci(mine)],
            "first_sentence_minus_news_lead": {
                "difference": round(diff, 2),
                "ci": [round(lo, 2), round(hi, 2)],
            },
            "dangling_sentences": first["dangling"],
            "summary_sentences": first["sentences"],
            "dangling_share": round(100 * first["dangling"] / first["sentences"], 2)
            if first["sentences"]
            else 0.0,
        }
    )
    rows.insert(
        1,
        {
            "system": "news-lead",
            "first_sentence_rouge1_recall": round(float(lead.mean()), 2),
            "first_sentence_rouge1_recall_ci": [round(x, 2) for x in bootstrap_ci(lead)],
        },
    )

    differences: dict[str, Any] = {}
    for metric in METRICS:
        if not peers:
            break
        best = max(peers, key=lambda name: peers[name].mean(metric))
        diff, lo, hi = paired_bootstrap(storydesk.values[metric], peers[best].values[metric])
        differences[metric] = {
            "best_peer": best,
            "difference": round(diff, 2),
            "ci": [round(lo, 2), round(hi, 2)],
        }

    return {
        "task": "summarize",
        "data": str(path),
        "clusters": len(clusters),
        "words": words,
        "rows": rows,
        "storydesk_minus_best_peer": differences,
        "first_sentence_words": FIRST_SENTENCE_WORDS,
        "product_max_sentences": 5,
        "dangling_examples": first["examples"],
        **({"llm": llm_counts} if llm_counts is not None else {}),
    }
