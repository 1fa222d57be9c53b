"""robots.txt, honoured for every page fetch (feeds and sitemaps are meant for machines and are not checked).

Per RFC 9309: a robots.txt that answers 2xx is obeyed (protego parses it); a 4xx answer means no rules
(everything allowed); a 5xx answer, a 429 or a network failure means the host is unreachable, so
nothing is fetched from it until it answers (asked again after ``UNREACHABLE_TTL_S``). A parsed file is
trusted for ``rules.ROBOTS_TTL_S``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from . import rules
from ._fetch import Fetcher, decode_body
from ._records import FetchRequest

__all__ = ["RobotsCache", "RobotsVerdict"]

#: How long an unreachable robots.txt keeps its host closed before it is asked again (seconds).
UNREACHABLE_TTL_S = 600


@dataclass(frozen=True, slots=True)
class RobotsVerdict:
    allowed: bool
    reason: str | None = None
    requests: int = 0


@dataclass(slots=True)
class _Rules:
    parser: Any  # protego.Protego, or None: everything allowed
    unreachable: str | None
    expires: float


class RobotsCache:
    """The robots.txt of each host, fetched when a page of that host is first wanted.

    Call :meth:`check` from the job that holds the host (per-host concurrency 1 covers robots.txt too).
    """

    def __init__(
        self, *, agent: str = rules.ROBOTS_AGENT, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.agent = agent
        self._clock = clock
        self._hosts: dict[str, _Rules] = {}
        self._lock = threading.Lock()

    def check(self, url: str, fetcher: Fetcher) -> RobotsVerdict:
        parts = urlsplit(url)
        root = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))
        with self._lock:
            known = self._hosts.get(root)
        requests = 0
        if known is None or known.expires < self._clock():
            known = self._fetch(root, fetcher)
            requests = 1
            with self._lock:
                self._hosts[root] = known
        if known.unreachable:
            return RobotsVerdict(
                False, f"robots.txt of {root} is unreachable ({known.unreachable})", requests
            )
        if known.parser is not None and not known.parser.can_fetch(url, self.agent):
            return RobotsVerdict(
                False, f"robots.txt of {root} disallows this page for {self.agent}", requests
            )
        return RobotsVerdict(True, None, requests)

    def _fetch(self, root: str, fetcher: Fetcher) -> _Rules:
        from protego import Protego

        resp = fetcher.fetch(FetchRequest(f"{root}/robots.txt", accept="text/plain, */*;q=0.5"))
        now = self._clock()
        if resp.ok:
            text = decode_body(resp.body[: rules.ROBOTS_MAX_BYTES], resp.content_type)
            return _Rules(Protego.parse(text), None, now + rules.ROBOTS_TTL_S)
        if resp.status is not None and 400 <= resp.status < 500 and resp.status != 429:
            return _Rules(None, None, now + rules.ROBOTS_TTL_S)
        return _Rules(None, resp.error or f"HTTP {resp.status}", now + UNREACHABLE_TTL_S)
