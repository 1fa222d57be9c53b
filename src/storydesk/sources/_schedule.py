"""When a source is polled next: its interval after a good poll, exponential back-off after errors,
and the server's ``Retry-After`` (clamped) after a 429 or 503."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from . import rules

__all__ = ["parse_duration", "parse_retry_after", "next_poll", "backoff_seconds", "iso", "from_iso", "is_due"]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_duration(text: str) -> int:
    """Seconds in ``"90s"``, ``"15m"``, ``"1h"``, ``"1d"`` or a bare number of seconds; ValueError else."""
    found = _DURATION.match(str(text))
    if not found:
        raise ValueError(f"not a duration: {text!r} (write e.g. 90s, 15m, 1h or 1d)")
    value, unit = float(found.group(1)), (found.group(2) or "s").lower()
    return int(value * rules.DURATION_UNITS[unit])


def parse_retry_after(value: str | None, now: datetime) -> int | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), clamped to
    ``[RETRY_AFTER_MIN_S, RETRY_AFTER_MAX_S]``; None when absent or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        seconds = int(value)
    else:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = int((when - now).total_seconds())
    return max(rules.RETRY_AFTER_MIN_S, min(rules.RETRY_AFTER_MAX_S, seconds))


def backoff_seconds(interval_s: int, consecutive_errors: int) -> int:
    """``interval × 2 ** (errors - 1)``, at least a minute, at most ``BACKOFF_MAX_S``."""
    base = max(interval_s, rules.RETRY_AFTER_MIN_S)
    return int(min(rules.BACKOFF_MAX_S, base * 2 ** max(0, min(consecutive_errors - 1, 20))))


def next_poll(
    now: datetime, *, interval_s: int, consecutive_errors: int, retry_after_s: int | None = None
) -> datetime:
    """When to poll again: after ``retry_after_s`` if the server asked; after the back-off when the
    last polls failed; else after the interval."""
    if retry_after_s is not None:
        return now + timedelta(seconds=retry_after_s)
    if consecutive_errors > 0:
        return now + timedelta(seconds=backoff_seconds(interval_s, consecutive_errors))
    return now + timedelta(seconds=max(0, interval_s))


def is_due(next_poll_at: str | None, now: datetime) -> bool:
    when = from_iso(next_poll_at)
    return when is None or when <= now
