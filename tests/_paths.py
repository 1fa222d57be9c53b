"""Where the tests find the repository, its examples and fixtures, and the shared evaluation data.

``../shared/data`` beside the repository holds the public gold sets (never copied into the repo).
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
EXAMPLES = REPO / "examples"
SHARED_DATA = REPO.parent / "shared" / "data"
