"""Write a story's summary with an LLM, verify every sentence, and fall back to the extractive one.

The cascade, and which stage decides (:attr:`WrittenSummary.method`):

1. ask the model for sentences written from the plan's numbered source sentences, each citing them;
2. any failure of the call (time-out, no connection, refusal, non-JSON, truncated reply) or a reply that
   ignores the citation format → ``extractive``, with one line saying why;
3. verify each sentence against the sentences it cites (:func:`..verify.verify_sentences`); a failing
   sentence is kept aside in ``rejected`` with its reasons;
4. too few sentences left (``MIN_KEPT_SENTENCES``, ``MIN_KEPT_SHARE``) → ``extractive``, saying so;
   otherwise ``generated``.

Nothing here raises for a bad model: an ingest never stops because of the LLM.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Literal

from ...config import Settings
from ...group.embed import Embedder
from ..verify.checker import OfflineChecker, SupportChecker
from ..verify.verifier import Verdict, verify_sentences
from . import rules as R
from .client import ChatClient, NullChatClient, OpenAIChatClient, Usage
from .errors import LLMError
from .plan import Plan, parse_reply, prompt

__all__ = ["WrittenSummary", "write_summary", "chat_client", "support_checker"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WrittenSummary:
    """What the writer made of one story.

    ``method`` is ``generated`` when ``sentences`` (verified) are the summary, ``extractive`` when the
    caller's extractive summary stands; ``note`` says why in one line (None when all went well).
    ``verdicts`` holds every generated sentence's verdict, in the model's order (shown or not).
    """

    method: Literal["generated", "extractive"]
    sentences: tuple[Verdict, ...]
    rejected: tuple[Verdict, ...]
    note: str | None
    usage: Usage
    model: str = ""
    verify_ms: float = 0.0
    verdicts: tuple[Verdict, ...] = ()


def write_summary(
    plan: Plan,
    client: ChatClient,
    checker: SupportChecker,
    *,
    max_sentences: int = 5,
    max_tokens: int = R.MAX_TOKENS,
) -> WrittenSummary:
    """The verified generated summary of ``plan``, or the reason to keep the extractive one."""
    if not plan.sources:
        return WrittenSummary("extractive", (), (), "extractive summary: nothing to write from", Usage())
    request = prompt(plan, max_sentences=max_sentences, max_tokens=max_tokens)
    try:
        completion = client.complete(request)
    except LLMError as exc:
        log.info("LLM summary failed (%s): %s", exc.kind, exc)
        return WrittenSummary("extractive", (), (), _fallback(exc), Usage.failed(exc))
    usage = Usage.of(completion)
    try:
        drafts = parse_reply(completion.text)
    except LLMError as exc:
        return WrittenSummary("extractive", (), (), _fallback(exc), usage, completion.model)
    start = time.perf_counter()
    try:
        verdicts = verify_sentences(drafts, plan.by_number(), checker, disputes=plan.disputes)
    except Exception as exc:  # a broken checker must not stop an ingest either
        log.warning("verification failed: %s", exc)
        note = (
            f"extractive summary: the generated sentences could not be verified ({type(exc).__name__}: {exc})"
        )
        return WrittenSummary("extractive", (), (), note, usage, completion.model)
    verify_ms = 1000 * (time.perf_counter() - start)
    kept = [v for v in verdicts if v.supported]
    rejected = tuple(v for v in verdicts if not v.supported)
    needed = max(1, min(R.MIN_KEPT_SENTENCES, plan.extractive or R.MIN_KEPT_SENTENCES))
    if len(kept) < needed or len(kept) < R.MIN_KEPT_SHARE * len(verdicts):
        note = (
            f"extractive summary: only {len(kept)} of {len(verdicts)} generated sentences passed verification"
        )
        return WrittenSummary(
            "extractive", (), rejected, note, usage, completion.model, round(verify_ms, 1), tuple(verdicts)
        )
    limit = min(max_sentences, R.MAX_GENERATED_SENTENCES)
    kept_note = f"{len(rejected)} generated sentence(s) rejected by verification" if rejected else None
    return WrittenSummary(
        "generated",
        tuple(kept[:limit]),
        rejected,
        kept_note,
        usage,
        completion.model,
        round(verify_ms, 1),
        tuple(verdicts),
    )


def _fallback(exc: LLMError) -> str:
    return f"extractive summary: the LLM gave no usable answer ({exc.kind}: {exc.reason})"


def chat_client(settings: Settings) -> ChatClient:
    """The writer's client from ``llm_url``, ``llm_model``, ``llm_api_key`` and ``llm_timeout``."""
    if not settings.llm_url:
        return NullChatClient()
    return OpenAIChatClient(
        settings.llm_url, settings.llm_model, api_key=settings.llm_api_key, timeout_s=settings.llm_timeout
    )


def support_checker(settings: Settings, embedder: Embedder) -> SupportChecker:
    """The judge at ``verify_url`` when set, else the offline checker on ``embedder``."""
    if settings.verify_url:
        from ..verify.judge import JudgeChecker

        client = OpenAIChatClient(
            settings.verify_url,
            settings.verify_model,
            api_key=settings.verify_api_key,
            timeout_s=settings.llm_timeout,
        )
        return JudgeChecker(client)
    return OfflineChecker(embedder)
