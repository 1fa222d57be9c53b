"""A long-running worker's resident size: how glibc's malloc keeps memory, and handing freed heap memory
back to the operating system."""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["MallocOptions", "release_free_memory", "tune_malloc"]

#: glibc's ``mallopt`` parameters (malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8


@lru_cache(maxsize=1)
def _libc() -> Any:
    """The C library, or None where it cannot be loaded."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name or "libc.so.6")
    except OSError:
        return None


def _libc_function(name: str, argtypes: list[Any], restype: Any) -> Any:
    """The C library's function ``name`` with its signature set, or None where it has none (musl, macOS,
    Windows)."""
    fn = getattr(_libc(), name, None)
    if fn is not None:
        fn.argtypes, fn.restype = argtypes, restype
    return fn


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim(size_t pad)``, or None."""
    return _libc_function("malloc_trim", [ctypes.c_size_t], ctypes.c_int)


@lru_cache(maxsize=1)
def _mallopt() -> Any:
    """glibc's ``mallopt(int param, int value)``, or None."""
    return _libc_function("mallopt", [ctypes.c_int, ctypes.c_int], ctypes.c_int)


def release_free_memory() -> bool:
    """Return the free pages of every malloc arena to the operating system (``malloc_trim(0)``); False
    where the C library cannot (nothing is done)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@dataclass(frozen=True, slots=True)
class MallocOptions:
    """How a process's malloc keeps memory (glibc ``mallopt``; 0 leaves a parameter as the C library has
    it): ``arena_max``, the most arenas its threads allocate from (glibc's default: 8 per core); and
    ``mmap_threshold``, the size in bytes from which a block is mmapped on its own, so that it goes back to
    the system as soon as it is freed (setting it also stops glibc from raising the threshold after each
    large block freed, which it does by default up to 32 MB: big transient buffers then stay in the heap);
    ``trim_threshold``, the free memory at the top of the heap from which each ``free`` returns it (fixing
    the mmap threshold also fixes this one at glibc's 128 kB unless it is set: many small returns)."""

    arena_max: int = 0
    mmap_threshold: int = 0
    trim_threshold: int = 0


def tune_malloc(options: MallocOptions) -> bool:
    """Apply ``options`` to this process's malloc (call it before the threads start); False where the C
    library has no ``mallopt`` or refused a value (nothing else is done)."""
    mallopt = _mallopt()
    if mallopt is None:
        return False
    ok = True
    if options.arena_max:
        ok = mallopt(M_ARENA_MAX, options.arena_max) == 1 and ok
    if options.mmap_threshold:
        ok = mallopt(M_MMAP_THRESHOLD, options.mmap_threshold) == 1 and ok
    if options.trim_threshold:
        ok = mallopt(M_TRIM_THRESHOLD, options.trim_threshold) == 1 and ok
    return ok
