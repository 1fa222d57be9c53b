from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storydesk.store import Store


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'storydesk.db'}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened
