"""URLs: the canonical form pages are compared and cached by, and the host a request counts against."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from . import rules

__all__ = ["canonical_url", "host_key", "check_url", "resolve"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def check_url(url: str) -> str | None:
    """Why ``url`` cannot be followed (None when it can): only absolute http(s) URLs with a host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        return "not an http:// or https:// URL"
    if not parts.hostname:
        return "the URL has no host"
    del port
    return None


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in rules.TRACKING_PARAMS or low.startswith(rules.TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """``url`` as storydesk compares and caches it.

    Scheme and host in lower case, the default port dropped, an empty path made ``/``, the fragment
    removed, and tracking parameters (``utm_*``, ``fbclid``, … see ``rules.TRACKING_PARAMS``) removed
    from the query; the other parameters keep their order. ``url`` must pass :func:`check_url`.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = f"{parts.username or ''}{':' + parts.password if parts.password else ''}@{netloc}"
    query = ""
    if parts.query:
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _is_tracking(k)]
        if len(kept) != len(pairs):
            query = urlencode(kept)
        else:
            query = parts.query
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def host_key(url: str) -> str:
    """The host a request counts against for per-host concurrency: host and port, lower case."""
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    except ValueError:
        return url
    return f"{(parts.hostname or '').lower()}:{port}"


def resolve(base: str, link: str | None) -> str | None:
    """``link`` made absolute against ``base``; None when it is empty or not http(s)."""
    if not link or not link.strip():
        return None
    absolute = urljoin(base, link.strip())
    return absolute if check_url(absolute) is None else None
