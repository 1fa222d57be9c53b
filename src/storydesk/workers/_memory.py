"""Handing freed heap memory back to the operating system (a long-running worker's resident size)."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache
from typing import Any

__all__ = ["release_free_memory"]


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS, Windows)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return the free pages of every malloc arena to the operating system (``malloc_trim(0)``); False
    where the C library cannot (nothing is done)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
