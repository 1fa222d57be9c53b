"""The quality floors of ``floors.toml``, checked against the hash of the data they were measured on."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

from _paths import SHARED_DATA

FLOORS_FILE = Path(__file__).with_name("floors.toml")


def floors(name: str) -> dict[str, Any]:
    """The floors of one evaluation set, after checking that its data is the data they were measured on."""
    table = dict(tomllib.loads(FLOORS_FILE.read_text(encoding="utf-8"))[name])
    path = SHARED_DATA / table["data"]
    hashed = path / table["hashed"] if "hashed" in table else path
    digest = hashlib.sha256(hashed.read_bytes()).hexdigest()
    assert digest == table["sha256"], (
        f"{hashed} is not the data the floors of [{name}] were measured on: re-measure, then update {FLOORS_FILE}"
    )
    return table


def data_path(name: str) -> Path:
    return SHARED_DATA / floors(name)["data"]
