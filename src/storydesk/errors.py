"""storydesk's exceptions.

::

    StorydeskError
     ├── IngestError      an input could not be read (file, line, record)
     ├── ExtractError     readable, but no article text could be extracted
     ├── StoreError       the database refused or is damaged
     │    └── StoreBusyError  another ingest held the store's writer lock past lock_timeout
     ├── ConfigError      a setting is unknown or has a bad value
     └── NotFoundError    an id that does not exist

Library code raises these with context attributes; only the CLI and the web layer turn them into exit
codes and HTTP responses. Foreign exceptions are wrapped with ``raise ... from exc``.
"""

from __future__ import annotations

__all__ = [
    "StorydeskError",
    "IngestError",
    "ExtractError",
    "StoreError",
    "StoreBusyError",
    "ConfigError",
    "NotFoundError",
]


class StorydeskError(Exception):
    """Root of every error storydesk raises on purpose."""


class IngestError(StorydeskError):
    """An input could not be read. ``origin`` names the file (and line or record)."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class ExtractError(IngestError):
    """An input was read but held no article text."""


class StoreError(StorydeskError):
    """The store could not be opened, migrated or written."""


class StoreBusyError(StoreError):
    """Another ingest holds the store's writer lock and did not let go in time. ``holder`` names it."""

    def __init__(self, message: str, *, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


class ConfigError(StorydeskError):
    """A setting is unknown or has a bad value."""


class NotFoundError(StorydeskError):
    """No story or article has this id."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"no {kind} with id {ident!r}")
        self.kind = kind
        self.ident = ident
