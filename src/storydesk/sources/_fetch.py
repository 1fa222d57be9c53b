"""Fetching: the one-method :class:`Fetcher` seam and its default, :class:`HttpFetcher` over httpx.

A fetcher never raises for a network or HTTP problem: every failure comes back as a
:class:`FetchResponse` with an ``error`` a user can act on and an ``error_kind`` (``dns``, ``refused``,
``timeout``, ``tls``, ``network``, ``http``, ``too_large``, ``redirect_loop``, ``too_many_redirects``,
``invalid_url``). :class:`HttpFetcher`:

1. sends a ``User-Agent`` naming storydesk (and the ``contact_url`` setting), ``Accept`` for the kind of
   document, ``Accept-Encoding: gzip, deflate, br``, and ``If-None-Match`` / ``If-Modified-Since`` when
   the caller has validators;
2. follows redirects itself, at most ``max_redirects``, stopping at a loop, and records the final URL;
3. refuses a body over ``max_bytes`` (by ``Content-Length`` before reading, else while streaming the
   decoded bytes, so a compressed bomb is cut off too);
4. bounds every network operation by ``timeout_s`` and the whole request by
   ``rules.TOTAL_TIMEOUT_FACTOR × timeout_s`` (a server trickling bytes is cut off).
"""

from __future__ import annotations

import codecs
import socket
import ssl
import threading
import time
from typing import Protocol
from urllib.parse import urljoin

from . import rules
from ._records import FetchErrorKind, FetchOptions, FetchRequest, FetchResponse
from ._urls import check_url

__all__ = ["Fetcher", "HttpFetcher", "user_agent", "decode_body", "describe_exception"]


class Fetcher(Protocol):
    """The seam to the network: one GET, redirects followed, never raising for network problems."""

    def fetch(self, request: FetchRequest) -> FetchResponse: ...


def user_agent(version: str, contact_url: str = "") -> str:
    """``storydesk/0.1.0 (+https://example.org/contact)``: who is fetching, and how to reach them."""
    contact = contact_url.strip()
    return f"storydesk/{version} (+{contact})" if contact else f"storydesk/{version}"


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        out.append(cur)
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return out


def describe_exception(exc: BaseException, host: str, timeout_s: float) -> tuple[FetchErrorKind, str]:
    """The kind and a readable reason of an exception raised while fetching from ``host``."""
    import httpx

    chain = _chain(exc)
    text = " ".join(str(e) for e in chain)
    low = text.lower()
    if isinstance(exc, httpx.TimeoutException) or any(
        isinstance(e, TimeoutError | socket.timeout) for e in chain
    ):
        phase = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for an answer"
        return "timeout", f"timed out {phase} from {host} (after {timeout_s:g} s; setting fetch_timeout)"
    if (
        any(isinstance(e, socket.gaierror) for e in chain)
        or "name or service not known" in low
        or ("nodename nor servname" in low or "temporary failure in name resolution" in low)
    ):
        return "dns", f"DNS lookup failed: no address found for {host.rsplit(':', 1)[0]}"
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "connection refused" in low:
        return "refused", f"connection refused by {host} (nothing listens there)"
    if (
        any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain)
        or "ssl" in low
        or "certificate" in low
    ):
        detail = next((str(e) for e in chain if isinstance(e, ssl.SSLError | ssl.CertificateError)), str(exc))
        return "tls", f"TLS error with {host}: {detail}"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return "invalid_url", f"invalid URL: {exc}"
    if isinstance(exc, httpx.DecodingError):
        return "network", f"the body from {host} could not be decompressed: {exc}"
    reason = str(exc) or type(exc).__name__
    return "network", f"network error with {host}: {reason}"


def decode_body(body: bytes, content_type: str = "") -> str:
    """Text of a body: the charset the server names, else one the page declares, else UTF-8, else a guess."""
    candidates: list[str] = []
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            candidates.append(value.strip("\"' "))
    found = rules.META_CHARSET.search(body[: rules.SNIFF_BYTES])
    if found:
        candidates.append(found.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for name in candidates:
        try:
            codecs.lookup(name)
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", "replace")


class HttpFetcher:
    """:class:`Fetcher` over one shared ``httpx.Client`` (thread-safe; one per watch process).

    ``requests_made`` counts every HTTP request sent, redirects included.
    """

    def __init__(self, options: FetchOptions) -> None:
        import httpx

        self.options = options
        self.requests_made = 0
        self._lock = threading.Lock()
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(options.timeout_s),
            limits=httpx.Limits(
                max_connections=max(1, options.concurrency),
                max_keepalive_connections=max(1, options.concurrency),
            ),
            headers={"User-Agent": options.user_agent},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _count(self) -> None:
        with self._lock:
            self.requests_made += 1

    def fetch(self, request: FetchRequest) -> FetchResponse:
        import httpx

        from ._urls import host_key

        headers = {"Accept": request.accept}
        if request.etag:
            headers["If-None-Match"] = request.etag
        if request.last_modified:
            headers["If-Modified-Since"] = request.last_modified
        url = request.url
        visited = [url]
        requests = 0
        deadline = time.monotonic() + self.options.timeout_s * rules.TOTAL_TIMEOUT_FACTOR
        while True:
            problem = check_url(url)
            if problem:
                return self._failed(request, url, "invalid_url", f"{url}: {problem}", requests)
            host = host_key(url)
            requests += 1
            self._count()
            try:
                with self._client.stream("GET", url, headers=headers) as resp:
                    location = resp.headers.get("location")
                    if resp.status_code in (301, 302, 303, 307, 308) and location:
                        target = urljoin(url, location.strip())
                        if target in visited:
                            loop = " → ".join([*visited[visited.index(target) :], target])
                            return self._failed(
                                request, url, "redirect_loop", f"redirect loop: {loop}", requests
                            )
                        if len(visited) > self.options.max_redirects:
                            return self._failed(
                                request,
                                url,
                                "too_many_redirects",
                                f"more than {self.options.max_redirects} redirects (last to {target})",
                                requests,
                            )
                        visited.append(target)
                        url = target
                        continue
                    return self._answer(request, url, resp, requests, deadline)
            except httpx.HTTPError as exc:
                kind, reason = describe_exception(exc, host, self.options.timeout_s)
                return self._failed(request, url, kind, reason, requests)
            except (OSError, ValueError) as exc:  # e.g. an IDNA error in a host name
                kind, reason = describe_exception(exc, host, self.options.timeout_s)
                return self._failed(request, url, kind, reason, requests)

    def _answer(
        self, request: FetchRequest, url: str, resp: object, requests: int, deadline: float
    ) -> FetchResponse:
        import httpx

        assert isinstance(resp, httpx.Response)
        status = resp.status_code
        common = {
            "url": request.url,
            "final_url": url,
            "status": status,
            "content_type": resp.headers.get("content-type", ""),
            "etag": resp.headers.get("etag"),
            "last_modified": resp.headers.get("last-modified"),
            "retry_after": resp.headers.get("retry-after"),
            "requests": requests,
        }
        if status == 304:
            return FetchResponse(**common)  # type: ignore[arg-type]
        if not 200 <= status < 300:
            reason = f"HTTP {status} {resp.reason_phrase}".strip()
            if 300 <= status < 400:
                reason = f"HTTP {status} without a Location to follow"
            return FetchResponse(**common, error=reason, error_kind="http")  # type: ignore[arg-type]
        limit = self.options.max_bytes
        declared = resp.headers.get("content-length")
        too_large = (
            f"the response is over the limit of {_mb(limit)}; raise the setting fetch_max_mb to read it"
        )
        if declared and declared.isdigit() and int(declared) > limit:
            return FetchResponse(
                **common, error=f"{too_large} (it declares {_mb(int(declared))})", error_kind="too_large"
            )  # type: ignore[arg-type]
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > limit:
                return FetchResponse(**common, error=too_large, error_kind="too_large")  # type: ignore[arg-type]
            if time.monotonic() > deadline:
                total = self.options.timeout_s * rules.TOTAL_TIMEOUT_FACTOR
                return FetchResponse(
                    **common,  # type: ignore[arg-type]
                    error=f"timed out reading the body (the whole request took over {total:g} s)",
                    error_kind="timeout",
                )
            chunks.append(chunk)
        return FetchResponse(**common, body=b"".join(chunks))  # type: ignore[arg-type]

    @staticmethod
    def _failed(
        request: FetchRequest, url: str, kind: FetchErrorKind, reason: str, requests: int
    ) -> FetchResponse:
        return FetchResponse(
            url=request.url, final_url=url, status=None, error=reason, error_kind=kind, requests=requests
        )
