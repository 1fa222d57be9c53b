"""The LLM summary of one story as the briefing carries it, cached per story version.

:func:`llm_summary` plans, writes and verifies (:func:`.writer.write_summary`) and turns the verified
sentences into :class:`~storydesk.model.SummarySentence` records of kind ``generated``, each cited by
the articles of the source sentences it cites, with their support. The result is kept per process under
a hash of the plan (its numbered sentences, disputes and the model asked): a story that has not changed
is not written again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...config import Settings
from ...model import Article, CitationSupport, RejectedSentence, Sentence, SummarySentence
from ..verify.checker import SupportChecker
from ..verify.verifier import SourceSentence, Verdict
from . import rules as R
from .client import ChatClient, Usage
from .plan import Plan, make_plan
from .writer import WrittenSummary, chat_client, support_checker, write_summary

__all__ = ["LLMSummary", "llm_summary", "clear_cache"]


@dataclass(frozen=True, slots=True)
class LLMSummary:
    """The summary a briefing shows, and what the LLM step did."""

    summary: tuple[SummarySentence, ...]
    method: str  # "generated" | "extractive"
    note: str | None
    rejected: tuple[RejectedSentence, ...]
    usage: Usage  # spent by this call (zero when the cache answered)
    cached: bool = False


_cache: OrderedDict[str, WrittenSummary] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _key(plan: Plan, settings: Settings, max_sentences: int) -> str:
    h = hashlib.sha256()
    parts = [
        settings.llm_url,
        settings.llm_model,
        settings.verify_url,
        settings.verify_model,
        str(max_sentences),
    ]
    parts += [f"{s.number}|{s.article_id}|{s.index}|{s.text}" for s in plan.sources]
    parts += [f"{d.kind}|{d.left}|{d.right}" for d in plan.disputes]
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def llm_summary(
    title: str,
    extractive: Sequence[SummarySentence],
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    facts: Any,
    settings: Settings,
    embedder: Any,
    *,
    client: ChatClient | None = None,
    checker: SupportChecker | None = None,
) -> LLMSummary:
    """The story's generated summary when it passes verification, else its extractive one (with why)."""
    plan = make_plan(title, extractive, articles, sentences, facts)
    key = _key(plan, settings, settings.summary_sentences)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    cached = hit is not None
    spent = Usage()
    if hit is None:
        checker = checker or support_checker(settings, embedder)
        judge_before = getattr(checker, "usage", Usage())
        hit = write_summary(
            plan,
            client or chat_client(settings),
            checker,
            max_sentences=settings.summary_sentences,
            max_tokens=settings.llm_max_tokens,
        )
        # the judge's calls (verify_url) count too
        judge_after = getattr(checker, "usage", Usage())
        spent = Usage(
            judge_after.calls - judge_before.calls,
            judge_after.prompt_tokens - judge_before.prompt_tokens,
            judge_after.completion_tokens - judge_before.completion_tokens,
            judge_after.failures - judge_before.failures,
        )
        if hit.usage.failures == 0:  # a failed call is tried again next time
            with _lock:
                _cache[key] = hit
                while len(_cache) > R.CACHE_STORIES:
                    _cache.popitem(last=False)
    sources = plan.by_number()
    rejected = tuple(RejectedSentence(v.text, _articles_of(v, sources), v.reasons) for v in hit.rejected)
    summary = tuple(extractive)
    if hit.method == "generated":
        summary = tuple(_generated(v, sources) for v in hit.sentences)
    usage = Usage() if cached else hit.usage.add(spent)
    return LLMSummary(summary, hit.method, hit.note, rejected, usage, cached)


def _articles_of(v: Verdict, sources: Mapping[int, SourceSentence]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(sources[n].article_id for n in v.cites if n in sources))


def _generated(v: Verdict, sources: Mapping[int, SourceSentence]) -> SummarySentence:
    first = sources[v.cites[0]]
    return SummarySentence(
        text=v.text,
        citations=_articles_of(v, sources),
        source=first.article_id,
        source_index=first.index,
        kind="generated",
        support=tuple(CitationSupport(s.article_id, s.index, s.text, s.score, s.matched) for s in v.support),
    )
