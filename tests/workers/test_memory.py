"""A briefing worker returns the heap memory a briefing freed to the system (#17)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk.config import Settings
from storydesk.model import Article, Story
from storydesk.workers.brief_pool import BriefPool

SRC = Path(__file__).resolve().parents[2] / "src"

#: 200 MB of malloc'd blocks (4,000 bytes: above Python's small-object allocator, below glibc's mmap
#: threshold), freed under a block allocated after them, so glibc cannot shrink its heap from the top.
SCRIPT = """
from storydesk.workers._memory import release_free_memory

def rss_mb():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) // 1024 for line in fh if line.startswith("VmRSS:"))

blocks = [bytes(4000) for _ in range(50_000)]
pin = bytes(4000)
del blocks
before = rss_mb()
print(release_free_memory(), before, rss_mb())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc_trim and /proc: Linux only")
def test_freed_heap_memory_goes_back_to_the_system() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    released, before, after = out[0] == "True", int(out[1]), int(out[2])
    assert released
    assert before - after >= 100, (before, after)  # glibc kept the freed pages until asked


def test_briefing_workers_release_memory_unless_told_not_to() -> None:
    settings = Settings(embedder="tfidf", facts=False)  # no model: a worker starts in seconds
    pool = BriefPool(settings, 1)
    off = BriefPool(settings, 1, release_memory=False)
    try:
        assert pool.release_memory and not off.release_memory
        assert pool._executor._initargs[-1] is True and off._executor._initargs[-1] is False  # type: ignore[attr-defined]
        text = "The harbour bridge reopened on Monday after repairs to its northern span, officials said."
        article = Article(id="a1", title="Bridge reopens", text=text, published="2026-12-01")
        briefing, _, _ = pool.submit(Story("s1", ("a1",)), {"a1": article}).result(timeout=300)
        assert briefing.story_id == "s1"  # a worker that trims after briefing still answers
    finally:
        pool.close()
        off.close()
