"""An LLM judge of support, MiniCheck-style: does the document support the claim? Yes or no.

Any OpenAI-compatible endpoint (``verify_url``, ``verify_model``): e.g. a MiniCheck or Bespoke-MiniCheck
model served by Ollama. The score is the probability of "Yes" read from the first answer token's
log-probabilities when the server gives them, otherwise 1.0 for an answer starting with "yes" and 0.0
for anything else. A failed call scores 0.0 (not supported): the judge never lets a sentence through
because it could not be asked.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ..llm.client import ChatClient, ChatRequest, Message, Usage
from ..llm.errors import LLMError
from . import rules as R

__all__ = ["JudgeChecker", "judge_request", "yes_probability"]

log = logging.getLogger(__name__)


def judge_request(claim: str, evidence: Sequence[str]) -> ChatRequest:
    """The question put to the judge for one claim."""
    document = " ".join(evidence)[: R.JUDGE_MAX_DOCUMENT_CHARS]
    return ChatRequest(
        messages=(
            Message("system", R.JUDGE_SYSTEM),
            Message("user", R.JUDGE_PROMPT.format(document=document, claim=claim)),
        ),
        max_tokens=R.JUDGE_MAX_TOKENS,
        temperature=0.0,
        top_logprobs=R.JUDGE_TOP_LOGPROBS,
    )


def yes_probability(text: str, first_token_probs: dict[str, float]) -> float:
    """P(yes) from the first token's alternatives (normalised over yes + no), else from the text."""
    yes = sum(p for t, p in first_token_probs.items() if t.strip().lower().startswith("yes"))
    no = sum(p for t, p in first_token_probs.items() if t.strip().lower().startswith("no"))
    if yes + no > 0:
        return yes / (yes + no)
    return 1.0 if text.strip().lower().lstrip("*\"' ").startswith("yes") else 0.0


class JudgeChecker:
    """Support as judged by an LLM; one call per claim. ``usage`` counts calls and tokens."""

    name = "judge"

    def __init__(self, client: ChatClient) -> None:
        self.client = client
        self.usage = Usage()
        self.last_error: LLMError | None = None

    def score(self, claims: Sequence[str], evidence: Sequence[Sequence[str]]) -> list[float]:
        out = []
        for claim, ev in zip(claims, evidence, strict=True):
            try:
                completion = self.client.complete(judge_request(claim, ev))
            except LLMError as exc:
                log.info("judge failed (%s); the claim counts as not supported", exc.reason)
                self.last_error = exc
                self.usage = self.usage.add(Usage.failed(exc))
                out.append(0.0)
                continue
            self.usage = self.usage.add(Usage.of(completion))
            out.append(yes_probability(completion.text, completion.first_token_probs))
        return out
