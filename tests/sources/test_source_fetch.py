"""HttpFetcher against real servers on 127.0.0.1: headers, validators, compression, redirects, limits,
timeouts, and every failure as a value (never an exception)."""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from _site import Site

from storydesk.sources import FetchOptions, FetchRequest, HostDispatcher, HttpFetcher, RobotsCache


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as s:
        yield s


def fetcher(**kw: object) -> HttpFetcher:
    options = {
        "user_agent": "storydesk/0.1.0 (+https://example.org/contact)",
        "timeout_s": 2.0,
        "max_bytes": 2**20,
    }
    options.update(kw)
    return HttpFetcher(FetchOptions(**options))  # type: ignore[arg-type]


def test_user_agent_accept_and_conditional_headers(site: Site) -> None:
    site.route("/feed", body=b"<rss/>", etag='"v1"', last_modified="Fri, 01 Mar 2024 12:00:00 GMT")
    with fetcher() as f:
        first = f.fetch(FetchRequest(site.url("/feed"), accept="application/rss+xml"))
        again = f.fetch(FetchRequest(site.url("/feed"), etag=first.etag, last_modified=first.last_modified))
    assert first.ok and first.body == b"<rss/>" and first.etag == '"v1"'
    assert again.not_modified and again.body == b""
    sent = site.requests("/feed")[0].headers
    assert sent["User-Agent"] == "storydesk/0.1.0 (+https://example.org/contact)"
    assert sent["Accept"] == "application/rss+xml"
    assert "br" in sent["Accept-Encoding"] and "gzip" in sent["Accept-Encoding"]
    assert site.requests("/feed")[1].headers["If-None-Match"] == '"v1"'
    assert site.requests("/feed")[1].headers["If-Modified-Since"] == "Fri, 01 Mar 2024 12:00:00 GMT"
    assert [h.status for h in site.requests("/feed")] == [200, 304]


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compressed_bodies_are_decoded(site: Site, encoding: str) -> None:
    body = b"<rss>" + b"news " * 5000 + b"</rss>"
    site.route("/z", body=body, encoding=encoding)
    with fetcher() as f:
        got = f.fetch(FetchRequest(site.url("/z")))
    assert got.ok and got.body == body


def test_redirects_are_followed_and_the_final_url_recorded(site: Site) -> None:
    site.route("/old", redirect="/mid")
    site.route("/mid", redirect=site.url("/new"))
    site.route("/new", body=b"here")
    with fetcher() as f:
        got = f.fetch(FetchRequest(site.url("/old")))
    assert got.ok and got.body == b"here"
    assert got.final_url == site.url("/new") and got.url == site.url("/old")
    assert got.requests == 3


def test_redirect_loop_and_too_many_redirects(site: Site) -> None:
    site.route("/a", redirect="/b")
    site.route("/b", redirect="/a")
    for i in range(10):
        site.route(f"/r{i}", redirect=f"/r{i + 1}")
    with fetcher(max_redirects=5) as f:
        loop = f.fetch(FetchRequest(site.url("/a")))
        chain = f.fetch(FetchRequest(site.url("/r0")))
    assert loop.error_kind == "redirect_loop" and "redirect loop" in (loop.error or "")
    assert loop.requests == 2
    assert chain.error_kind == "too_many_redirects" and "more than 5 redirects" in (chain.error or "")
    assert chain.requests == 6


@pytest.mark.parametrize("declared", [True, False])
def test_a_50_mb_response_is_cut_off_at_the_limit(site: Site, declared: bool) -> None:
    site.route("/huge", huge=50 * 2**20, huge_length=declared, content_type="application/rss+xml")
    start = time.monotonic()
    with fetcher(max_bytes=2**20) as f:
        got = f.fetch(FetchRequest(site.url("/huge")))
    assert got.error_kind == "too_large" and "fetch_max_mb" in (got.error or "")
    assert got.body == b""
    assert time.monotonic() - start < 5


def test_slow_and_trickling_answers_time_out(site: Site) -> None:
    site.route("/slow", body=b"late", delay=3.0)
    site.route("/trickle", body=b"x" * 400, trickle=(10, 0.1))
    with fetcher(timeout_s=0.5) as f:
        start = time.monotonic()
        slow = f.fetch(FetchRequest(site.url("/slow")))
        trickle = f.fetch(FetchRequest(site.url("/trickle")))
        spent = time.monotonic() - start
    assert slow.error_kind == "timeout" and "fetch_timeout" in (slow.error or "")
    assert trickle.error_kind == "timeout" and "whole request" in (trickle.error or "")
    assert spent < 4


def test_http_errors_keep_status_and_retry_after(site: Site) -> None:
    site.route("/busy", status=429, headers={"Retry-After": "120"}, body=b"slow down")
    site.route("/boom", status=500, body=b"oops")
    with fetcher() as f:
        busy = f.fetch(FetchRequest(site.url("/busy")))
        boom = f.fetch(FetchRequest(site.url("/boom")))
        missing = f.fetch(FetchRequest(site.url("/nothing-here")))
    assert (busy.status, busy.error_kind, busy.retry_after) == (429, "http", "120")
    assert boom.error == "HTTP 500 Internal Server Error"
    assert missing.status == 404 and not missing.ok


def test_refused_connection() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with fetcher() as f:
        got = f.fetch(FetchRequest(f"http://127.0.0.1:{port}/feed"))
    assert got.error_kind == "refused" and got.status is None


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """The resolver says the name does not exist (patched so that no query leaves this machine)."""
    real = socket.getaddrinfo

    def resolve(host: str, *args: object, **kwargs: object) -> object:
        if host == "feeds.nowhere.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with fetcher() as f:
        got = f.fetch(FetchRequest("http://feeds.nowhere.test/rss"))
    assert got.error_kind == "dns" and "feeds.nowhere.test" in (got.error or "")


def _self_signed(tmp_path: Path) -> tuple[Path, Path] | None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    try:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return key, cert


def test_tls_errors(tmp_path: Path, site: Site) -> None:
    """A certificate nobody vouches for, and a server that speaks no TLS at all."""
    site.route("/feed", body=b"<rss/>")
    plain = site.url("/feed").replace("http://", "https://")
    with fetcher() as f:
        got = f.fetch(FetchRequest(plain))
    assert got.error_kind == "tls" and "TLS error" in (got.error or "")

    pair = _self_signed(tmp_path)
    if pair is None:  # openssl is part of the test image; without it the check above stands alone
        return

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(pair[1]), str(pair[0]))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with fetcher() as f:
            got = f.fetch(FetchRequest(f"https://127.0.0.1:{server.server_address[1]}/"))
    finally:
        server.shutdown()
        server.server_close()
    assert got.error_kind == "tls" and "certificate verify failed" in (got.error or "")


def test_one_request_per_host_and_a_global_limit() -> None:
    sites = [Site().start() for _ in range(4)]
    try:
        for s in sites:
            for i in range(5):
                s.route(f"/p{i}", body=b"ok", delay=0.1)
        with fetcher() as f, HostDispatcher[object](3) as dispatcher:
            for s in sites:
                for i in range(5):
                    url = s.url(f"/p{i}")
                    dispatcher.submit(s.base, url, lambda url=url: f.fetch(FetchRequest(url)))
            results = list(dispatcher.results())
        assert len(results) == 20 and all(r.ok for _, r in results)  # type: ignore[attr-defined]
        assert max(s.peak_active_per_host for s in sites) == 1
        assert dispatcher.peak_running == 3
    finally:
        for s in sites:
            s.stop()


def test_robots_txt(site: Site) -> None:
    site.route(
        "/robots.txt",
        body=b"User-agent: storydesk\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n",
        content_type="text/plain",
    )
    robots = RobotsCache()
    with fetcher() as f:
        assert robots.check(site.url("/news/1"), f).allowed
        verdict = robots.check(site.url("/private/1"), f)
        assert not verdict.allowed and "disallows" in (verdict.reason or "")
    assert len(site.requests("/robots.txt")) == 1  # fetched once per host

    with Site() as other:  # no robots.txt (404): everything allowed
        with fetcher() as f:
            assert RobotsCache().check(other.url("/a"), f).allowed
    with Site() as down:  # robots.txt answering 500: the host is unreachable for pages
        down.route("/robots.txt", status=500)
        with fetcher() as f:
            verdict = RobotsCache().check(down.url("/a"), f)
        assert not verdict.allowed and "unreachable" in (verdict.reason or "")
