"""What ``storydesk serve`` exposes on a host other than loopback, said before the server starts."""

from __future__ import annotations

import ipaddress

from ..config import Settings
from ..errors import ConfigError
from . import rules

__all__ = ["is_loopback", "exposure_notice"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (``127.0.0.1``, ``::1``, ``localhost``)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a name, or "" (every interface): other machines may reach it


def exposure_notice(host: str, port: int, settings: Settings) -> str | None:
    """None on loopback; else the warning that names what other machines can reach. Raises ConfigError for
    an ``api_token`` too short to guard write endpoints on a network."""
    if is_loopback(host):
        return None
    token = settings.api_token
    if token and len(token) < rules.MIN_NETWORK_TOKEN_CHARS:
        raise ConfigError(
            f"api_token has {len(token)} characters: serving on {host or 'every interface'} needs one of at "
            f"least {rules.MIN_NETWORK_TOKEN_CHARS} (or no api_token: write endpoints off)"
        )
    writes = (
        "write endpoints (POST /api/articles) are ON for anyone who sends the api_token"
        if token
        else "write endpoints are off (no api_token)"
    )
    return (
        f"serving on {host or 'every interface'}:{port}, not on loopback: every stored story and article "
        f"(the web page, /api/stories, /api/articles, /api/search) is readable by anyone who can reach this "
        f"port, without a login; {writes}"
    )
