"""The HTTP API fuzzed from its own OpenAPI schema with schemathesis (issue #16, item 7).

A real uvicorn server on 127.0.0.1 serves the app over a store holding the bundled example corpus, with an
``api_token`` so that ``POST /api/articles`` is live. For every operation of ``/openapi.json``, schemathesis
generates requests that fit the schema and requests that break it (derandomized: the same ones on every
run) and checks each response: never a 5xx, the status code and content type documented, the body valid
against the documented schema. The number of requests is printed (``-s``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from _paths import EXAMPLES
from storydesk.config import Settings
from storydesk.service import Desk
from storydesk.web import create_app

TOKEN = "reliability-suite-token-0123456789"
#: What each response is checked for. Not schemathesis's ``negative_data_rejection``: a query string cannot
#: carry a null or an object, so the "object" it draws for an optional string parameter goes out as an
#: empty value, which the schema allows, and it then reports the 200 as a schema-violating request
#: accepted.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: Reads also answer every schema-valid request with a 2xx or 404 (``positive_data_acceptance``: it found
#: dates the schema allowed and the server refused). Not POST: a schema-valid article whose text is
#: boilerplate, or too short, is refused with the documented 422.
READ_CHECKS = [*CHECKS, positive_data_acceptance]

#: Requests per operation and generation mode (POST ingests each article it is sent: fewer).
PER_OPERATION = {"GET": 60, "POST": 25}


class _Server:
    """uvicorn serving ``app`` on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app: object) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    folder = tmp_path_factory.mktemp("api")
    settings_ = Settings(db=str(folder / "api.db"), embedder="tfidf", facts=False, workers=0, api_token=TOKEN)
    with Desk(settings_) as desk:
        desk.ingest([EXAMPLES / "news"])
    with _Server(create_app(settings_)) as live:
        yield live


def _fuzz(
    operation: schemathesis.APIOperation, mode: GenerationMode, statuses: Counter[int], url: str
) -> None:
    """Send ``operation`` the requests schemathesis draws in ``mode``; check each response."""
    checks = READ_CHECKS if operation.method.upper() == "GET" else CHECKS

    @settings(
        max_examples=PER_OPERATION.get(operation.method.upper(), 60),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        response = case.call_and_validate(base_url=url, headers=auth, checks=checks, timeout=60)
        statuses[response.status_code] += 1

    run()


def test_api_fuzzed_from_its_openapi_schema_never_answers_5xx(server: _Server) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        # an operation that takes nothing (GET /api/sources) has no request that breaks its schema
        takes_input = any(True for _ in operation.iter_parameters()) or bool(operation.body)
        modes = (
            (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if takes_input else (GenerationMode.POSITIVE,)
        )
        for mode in modes:
            _fuzz(operation, mode, statuses, server.url)
    requests = sum(statuses.values())
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    print(
        f"\n[schemathesis] {operations} operations, {requests} requests, 5xx: {server_errors}; "
        f"statuses {dict(sorted(statuses.items()))}"
    )
    assert server_errors == 0
    assert requests >= 300


def test_api_without_a_token_refuses_writes_documented(server: _Server, tmp_path: Path) -> None:
    """The same fuzzing of POST without the token: 401 and nothing else (checked against the schema)."""
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operation = schema["/api/articles"]["POST"]
    seen: Counter[int] = Counter()

    @settings(
        max_examples=20,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy())
    def run(case: schemathesis.Case) -> None:
        seen[case.call_and_validate(base_url=server.url, checks=CHECKS, timeout=60).status_code] += 1

    run()
    assert set(seen) <= {401, 413, 415}, seen
