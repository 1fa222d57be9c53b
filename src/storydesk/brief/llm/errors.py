"""Why an LLM call gave no usable answer.

::

    StorydeskError
     └── LLMError              any failure of the LLM edge; ``reason`` is one line for the briefing
          ├── LLMUnavailable   no connection, DNS failure, HTTP error status (401, 404, 500…)
          ├── LLMTimeout       no complete answer within the time-out
          ├── LLMRefused       the model declined (a refusal, or finish_reason "content_filter")
          ├── LLMBadReply      the reply is not the OpenAI-compatible JSON, or has no text
          ├── LLMTruncated     the reply was cut off at the token limit (finish_reason "length")
          └── LLMFormatError   the text ignores the format asked for (no citations)

None of them stops an ingest: the writer turns each into the extractive summary and one line saying why.
A failure that came with a parsed reply (refused, truncated, no text) keeps the tokens the server reported
spent (``prompt_tokens``, ``completion_tokens``): the call was billed even though its answer is not used.
"""

from __future__ import annotations

from ...errors import StorydeskError

__all__ = [
    "LLMError",
    "LLMUnavailable",
    "LLMTimeout",
    "LLMRefused",
    "LLMBadReply",
    "LLMTruncated",
    "LLMFormatError",
]


class LLMError(StorydeskError):
    """An LLM call failed; ``reason`` says why in one line, ``url`` names the endpoint."""

    kind = "error"

    def __init__(
        self, reason: str, *, url: str = "", prompt_tokens: int = 0, completion_tokens: int = 0
    ) -> None:
        super().__init__(f"{url}: {reason}" if url else reason)
        self.reason = reason
        self.url = url
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens


class LLMUnavailable(LLMError):
    kind = "unavailable"


class LLMTimeout(LLMError):
    kind = "timeout"


class LLMRefused(LLMError):
    kind = "refused"


class LLMBadReply(LLMError):
    kind = "bad_reply"


class LLMTruncated(LLMError):
    kind = "truncated"


class LLMFormatError(LLMError):
    kind = "format"
