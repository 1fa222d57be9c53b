"""Checks on uploaded files at the HTTP edge: only an allowed extension of the name ever reaches the disk."""

from __future__ import annotations

import os

from . import rules
from .errors import ApiError

__all__ = ["upload_suffix"]


def upload_suffix(filename: str) -> str:
    """The allowed extension of an uploaded file's name (the only part of it that reaches the disk)."""
    name = filename.lower()
    for suffix in sorted(rules.UPLOAD_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    raise ApiError(
        415,
        f"cannot ingest a file named like {os.path.basename(filename)[:80]!r}: "
        f"use one of {', '.join(rules.UPLOAD_SUFFIXES)}",
    )
