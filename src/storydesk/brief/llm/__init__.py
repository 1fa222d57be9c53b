"""LLM-written summaries, planned from the extractive selection and the facts, verified sentence by
sentence (#20).

Entry point: :func:`write_summary` (with :func:`make_plan`); the LLM edge is the one-method
:class:`ChatClient` protocol, implemented for OpenAI-compatible servers by :class:`OpenAIChatClient`.
"""

from __future__ import annotations

from .client import ChatClient, ChatRequest, Completion, Message, NullChatClient, OpenAIChatClient, Usage
from .errors import (
    LLMBadReply,
    LLMError,
    LLMFormatError,
    LLMRefused,
    LLMTimeout,
    LLMTruncated,
    LLMUnavailable,
)
from .plan import Plan, make_plan, parse_reply, prompt
from .writer import WrittenSummary, chat_client, support_checker, write_summary

__all__ = [
    "write_summary",
    "chat_client",
    "support_checker",
    "make_plan",
    "WrittenSummary",
    "Plan",
    "prompt",
    "parse_reply",
    "ChatClient",
    "ChatRequest",
    "Completion",
    "Message",
    "Usage",
    "OpenAIChatClient",
    "NullChatClient",
    "LLMError",
    "LLMUnavailable",
    "LLMTimeout",
    "LLMRefused",
    "LLMBadReply",
    "LLMTruncated",
    "LLMFormatError",
]
