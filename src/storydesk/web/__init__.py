"""The web page and the JSON API: a thin FastAPI layer over :class:`storydesk.service.Desk`.

One module per resource (``stories``, ``articles``, ``search``, ``api``) on shared pieces: ``errors``
(one JSON error shape, HTML error pages), ``_security`` (headers, body size limit, bearer token),
``_pages`` (templates). ``storydesk serve`` calls :func:`create_app`.
"""

from __future__ import annotations

from ._exposure import exposure_notice, is_loopback
from .app import create_app, request_lock_timeout

__all__ = ["create_app", "exposure_notice", "is_loopback", "request_lock_timeout"]
