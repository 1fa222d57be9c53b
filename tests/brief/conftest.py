"""Fixtures of the brief tests: the canned OpenAI-compatible server (see :mod:`llm_server`)."""

from __future__ import annotations

from llm_server import chat_server

__all__ = ["chat_server"]
