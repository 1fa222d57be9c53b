"""The LLM edge: one method, :meth:`ChatClient.complete`, and an OpenAI-compatible implementation.

:class:`OpenAIChatClient` POSTs to ``{url}/chat/completions`` (``url`` as given by the ``llm_url`` or
``verify_url`` setting, e.g. ``http://127.0.0.1:11434/v1`` for Ollama or ``http://127.0.0.1:8080/v1`` for
llama.cpp's server) and turns every failure into an :class:`~.errors.LLMError` subclass: the caller never
sees an httpx exception.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import httpx

from . import rules as R
from .errors import LLMBadReply, LLMError, LLMRefused, LLMTimeout, LLMTruncated, LLMUnavailable

__all__ = [
    "Message",
    "ChatRequest",
    "Completion",
    "Usage",
    "ChatClient",
    "OpenAIChatClient",
    "NullChatClient",
]


@dataclass(frozen=True, slots=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class ChatRequest:
    messages: tuple[Message, ...]
    max_tokens: int = R.MAX_TOKENS
    temperature: float = 0.0
    #: ask for the log-probabilities of this many most likely first tokens (0: none)
    top_logprobs: int = 0


@dataclass(frozen=True, slots=True)
class Completion:
    text: str
    finish_reason: str | None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model: str = ""
    seconds: float = 0.0
    #: the first generated token's alternatives: token → probability (when asked for and given)
    first_token_probs: dict[str, float] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Usage:
    """LLM calls and tokens spent (what ``ingest`` reports)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failures: int = 0

    def add(self, other: Usage) -> Usage:
        return Usage(
            self.calls + other.calls,
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.failures + other.failures,
        )

    @staticmethod
    def of(completion: Completion | None) -> Usage:
        if completion is None:
            return Usage(calls=1, failures=1)
        return Usage(1, completion.prompt_tokens, completion.completion_tokens, 0)

    @staticmethod
    def failed(error: LLMError) -> Usage:
        """One failed call, with the tokens its reply reported spent (a truncated or refused answer is
        billed too; a call that got no reply spent none we know of)."""
        return Usage(1, error.prompt_tokens, error.completion_tokens, 1)


@runtime_checkable
class ChatClient(Protocol):
    """Anything that answers a chat request; raises :class:`~.errors.LLMError` on any failure."""

    def complete(self, request: ChatRequest) -> Completion: ...


class NullChatClient:
    """No LLM configured: every call fails with :class:`LLMUnavailable` (the writer falls back)."""

    def complete(self, request: ChatRequest) -> Completion:
        raise LLMUnavailable("no LLM endpoint configured (set llm_url)")


_REFUSAL = re.compile(R.REFUSAL_PATTERN, re.IGNORECASE)


class OpenAIChatClient:
    """An OpenAI-compatible ``/chat/completions`` endpoint (Ollama, llama.cpp, vLLM, hosted APIs)."""

    def __init__(
        self,
        url: str,
        model: str,
        *,
        api_key: str = "",
        timeout_s: float = R.TIMEOUT_S,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not url:
            raise LLMUnavailable("no LLM endpoint configured (set llm_url)")
        base = url.rstrip("/")
        self.endpoint = base if base.endswith("/chat/completions") else f"{base}/chat/completions"
        self.model = model
        headers = {"Content-Type": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, R.CONNECT_TIMEOUT_S)),
            transport=transport,
            trust_env=False,
        )
        self.timeout_s = timeout_s

    def close(self) -> None:
        self._client.close()

    def complete(self, request: ChatRequest) -> Completion:
        body: dict[str, Any] = {
            "model": self.model or "default",
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "stream": False,
        }
        if request.top_logprobs:
            body["logprobs"] = True
            body["top_logprobs"] = request.top_logprobs
        start = time.perf_counter()
        reply = self._post(body)
        return self._parse(reply, time.perf_counter() - start)

    def _post(self, body: dict[str, Any]) -> Any:
        url = self.endpoint
        try:
            response = self._client.post(url, json=body)
        except httpx.TimeoutException as exc:
            raise LLMTimeout(f"no answer within {self.timeout_s:g} s", url=url) from exc
        except httpx.HTTPError as exc:  # connection refused, DNS, protocol errors
            raise LLMUnavailable(
                f"cannot reach the LLM endpoint ({type(exc).__name__}: {exc})", url=url
            ) from exc
        if response.status_code >= 400:
            detail = _error_detail(response)
            raise LLMUnavailable(f"HTTP {response.status_code}{': ' + detail if detail else ''}", url=url)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise LLMBadReply(f"the reply is not JSON ({_head(response.text)!r})", url=url) from exc

    def _parse(self, reply: Any, seconds: float) -> Completion:
        url = self.endpoint
        try:
            choice = reply["choices"][0]
            message = choice.get("message") or {}
            text = message.get("content")
            finish = choice.get("finish_reason")
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise LLMBadReply(
                f"the reply has no choices[0].message ({_head(str(reply))!r})", url=url
            ) from exc
        usage = reply.get("usage") if isinstance(reply, dict) else None
        usage = usage if isinstance(usage, dict) else {}
        spent = {
            "url": url,
            "prompt_tokens": _int(usage.get("prompt_tokens")),
            "completion_tokens": _int(usage.get("completion_tokens")),
        }
        if message.get("refusal"):
            raise LLMRefused(f"the model refused: {_head(str(message['refusal']))}", **spent)
        if finish == "content_filter":
            raise LLMRefused("the reply was withheld by the server's content filter", **spent)
        if not isinstance(text, str) or not text.strip():
            raise LLMBadReply("the reply has no text", **spent)
        if finish == "length":
            raise LLMTruncated("the reply was cut off at the token limit", **spent)
        if _REFUSAL.search(text[: R.REFUSAL_HEAD_CHARS]):
            raise LLMRefused(f"the model refused: {_head(text)!r}", **spent)
        return Completion(
            text=text,
            finish_reason=finish,
            prompt_tokens=spent["prompt_tokens"],
            completion_tokens=spent["completion_tokens"],
            model=str(reply.get("model") or self.model),
            seconds=seconds,
            first_token_probs=_first_token_probs(choice),
        )


def _first_token_probs(choice: dict[str, Any]) -> dict[str, float]:
    try:
        first = choice["logprobs"]["content"][0]
        alternatives = first.get("top_logprobs") or [first]
        return {str(a["token"]): math.exp(float(a["logprob"])) for a in alternatives}
    except (KeyError, IndexError, TypeError, ValueError):
        return {}


def _error_detail(response: httpx.Response) -> str:
    try:
        data = response.json()
        err = data.get("error") if isinstance(data, dict) else None
        if isinstance(err, dict):
            return _head(str(err.get("message") or err))
        if err:
            return _head(str(err))
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        pass
    return _head(response.text)


def _head(text: str, n: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def as_error(exc: Exception) -> LLMError:
    """Any exception as an :class:`LLMError` (for the callers' fall-back line)."""
    return exc if isinstance(exc, LLMError) else LLMBadReply(f"{type(exc).__name__}: {exc}")
