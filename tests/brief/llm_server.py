"""A small OpenAI-compatible chat server on 127.0.0.1 with canned replies (the `chat_server` fixture), and an invented story.

The server answers ``POST /v1/chat/completions`` with the reply registered under the request's
``model``: ``server.reply(model, content=...)`` for a normal completion, or ``status``, ``body``
(raw text), ``write`` (a function of the prompt that writes the reply), ``delay`` (seconds before answering), ``finish_reason`` and ``logprobs`` for the failures and
the judge. Every request body and its headers are kept in ``server.requests``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from storydesk.analyse.sentences import split_sentences
from storydesk.model import Article, Sentence


@dataclass
class ChatServer:
    url: str
    replies: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[dict[str, Any], dict[str, str]]] = field(default_factory=list)

    def reply(
        self,
        model: str,
        content: str | None = None,
        *,
        status: int = 200,
        body: str | None = None,
        delay: float = 0.0,
        finish_reason: str = "stop",
        logprobs: dict[str, float] | None = None,
        write: Callable[[str], str] | None = None,
    ) -> None:
        """Register the reply to ``model``; ``write`` makes its text from the request's last message."""
        self.replies[model] = {
            "write": write,
            "content": content,
            "status": status,
            "body": body,
            "delay": delay,
            "finish_reason": finish_reason,
            "logprobs": logprobs,
        }


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length) or b"{}")
            server.requests.append((request, {k.lower(): v for k, v in self.headers.items()}))
            if self.path != "/v1/chat/completions":
                return self._send(404, json.dumps({"error": {"message": f"no route {self.path}"}}))
            canned = server.replies.get(request.get("model", ""))
            if canned is None:
                return self._send(404, json.dumps({"error": {"message": "model not found"}}))
            if canned["delay"]:
                time.sleep(canned["delay"])
            if canned["body"] is not None:
                return self._send(canned["status"], canned["body"], "text/html")
            content = canned["content"]
            if canned["write"] is not None:
                content = canned["write"](request["messages"][-1]["content"])
            choice: dict[str, Any] = {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": canned["finish_reason"],
            }
            if canned["logprobs"]:
                alternatives = [{"token": t, "logprob": lp} for t, lp in canned["logprobs"].items()]
                choice["logprobs"] = {"content": [{**alternatives[0], "top_logprobs": alternatives}]}
            body = {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "model": request.get("model"),
                "choices": [choice],
                "usage": {"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160},
            }
            self._send(canned["status"], json.dumps(body))

        def _send(self, status: int, text: str, ctype: str = "application/json") -> None:
            data = text.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (time-out tests)

    return Handler


@pytest.fixture
def chat_server() -> Iterator[ChatServer]:
    state = ChatServer(url="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- an invented story -------------------------------------------------------------------------------------

STORY = [
    Article(
        id="a-herald",
        title="Floods force thousands from Kettleby homes",
        outlet="Harbour Herald",
        published="2024-03-05",
        text=(
            "Flood waters forced 3,200 residents of Kettleby from their homes on Monday, the regional "
            "council said.\n\n"
            'Mayor Anna Lindqvist said the town had "never seen the river this high" and asked the national '
            "government for emergency funds.\n\n"
            "Engineers said the flood defences on the river Tarn had been due for repair since 2019.\n\n"
            "Officials said 12 people were injured in the floods."
        ),
    ),
    Article(
        id="b-times",
        title="River Tarn bursts its banks",
        outlet="Valley Times",
        published="2024-03-05",
        text=(
            "More than 3,200 people left their homes in Kettleby on Monday after the river Tarn burst its "
            "banks.\n\n"
            "The regional council opened two emergency shelters in school halls.\n\n"
            "Hospital staff said 14 people were injured in the floods."
        ),
    ),
]


def story_sentences() -> dict[str, list[Sentence]]:
    return {a.id: split_sentences(a) for a in STORY}
