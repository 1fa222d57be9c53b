"""`storydesk serve --watch`: the watch loop in the web server's process, against the misbehaving feed server
of tests/sources (on 127.0.0.1). A real server process started by the CLI; real uvicorn in-process for the
cases that need a hand on the loop (a pass that blows up, a stop in the middle of a pass)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from _followed import Site, build_newsroom, fast, rss
from _web import serve
from click.testing import CliRunner

from _paths import REPO
from storydesk.cli import main
from storydesk.errors import StoreError
from storydesk.model import Source
from storydesk.service import Desk, Watcher, add_sources, list_sources

FAST_SETS = [
    "--set",
    "embedder=tfidf",
    "--set",
    "facts=false",
    "--set",
    "workers=0",
    "--set",
    "fetch_timeout=2",
]


def wait_for(check: Callable[[], Any], what: str, timeout: float = 120.0, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str) -> Any:
    try:
        resp = httpx.get(url, timeout=5)
    except httpx.TransportError:
        return None
    return resp.json() if resp.status_code == 200 else None


def test_serve_watch_polls_ingests_and_stops_with_the_server(tmp_path: Path) -> None:
    db = str(tmp_path / "serve.db")
    with Site() as site:
        room = build_newsroom(site, datetime.now(UTC).replace(microsecond=0))
        site.route("/broken.xml", status=500, body=b"oops", content_type="text/plain")
        with Desk(fast(db)) as desk:
            assert len(add_sources(desk, [*room.sources, site.url("/broken.xml")]).added) == 5
        port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        }
        cmd = [sys.executable, "-m", "storydesk.cli", *FAST_SETS, "serve", "--db", db, "--port", str(port)]
        proc = subprocess.Popen(
            [*cmd, "--watch", "--interval", "1h"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            # the server answers while the pass runs; the pass ends with every source polled
            listing = wait_for(
                lambda: (
                    (got := get_json(f"{base}/api/sources"))
                    and got["watch"]
                    and got["watch"]["passes"] >= 1
                    and got
                ),
                "the first watch pass",
            )
            assert proc.poll() is None
            assert listing["total"] == 5 and listing["watch"]["running"] is True
            assert listing["watch"]["last_error"] is None
            assert "polled 5 sources: 4 read, 0 not modified, 1 failed" in listing["watch"]["last_pass"]
            by_url = {item["source"]["url"]: item for item in listing["items"]}
            broken = by_url[site.url("/broken.xml")]["source"]
            assert (broken["last_status"], broken["http_status"], broken["error_count"]) == ("error", 500, 1)
            full = by_url[site.url("/feeds/full.xml")]
            assert full["source"]["etag"] == '"full-1"' and full["counts"]["ingested"] == 4
            stories = httpx.get(f"{base}/api/stories").json()
            assert stories["total"] == 3  # flood, bridge, chess: the stories `ingest` makes of the same files
            assert len([h for h in site.requests() if h.path.startswith("/articles/")]) == 5
            page = httpx.get(f"{base}/sources").text
            assert "Watched by this server" in page and "HTTP 500" in page
        finally:
            proc.send_signal(signal.SIGINT)  # what Ctrl-C sends; uvicorn then runs the app's shutdown
            try:
                out, err = proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
                raise AssertionError(f"serve --watch did not stop on SIGINT:\n{err[-3000:]}") from None
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    # the state the loop left is in the store: the next `watch` finds nothing due
    with Desk(fast(db)) as desk:
        states = {item.source.url: item.source for item in list_sources(desk)}
        assert all(s.last_fetch_at and s.next_poll_at for s in states.values())


class BreakableWatcher(Watcher):
    """A watcher whose passes fail as a whole while ``broken``: the store cannot say which sources are
    due (what an outage of a team's Postgres does). A failing source or page never fails a pass."""

    broken = True

    def due(self) -> list[Source]:
        if self.broken:
            raise StoreError("the store is unreachable")
        return super().due()


def test_a_pass_that_blows_up_is_shown_and_the_loop_and_the_server_go_on(tmp_path: Path) -> None:
    settings = fast(str(tmp_path / "w.db"))
    with Site() as site, Desk(settings) as desk:
        room = build_newsroom(site, datetime.now(UTC).replace(microsecond=0))
        add_sources(desk, room.sources)
        with BreakableWatcher(desk) as watcher, serve(settings, desk, watcher) as server:
            thread = server.app.state.watch  # type: ignore[attr-defined]
            failed = wait_for(
                lambda: (
                    (got := get_json(f"{server.url}/api/sources")) and got["watch"]["failed_passes"] and got
                ),
                "a failed pass",
            )
            assert (
                failed["watch"]["last_error"] == "the store is unreachable" and failed["watch"]["passes"] == 0
            )
            assert failed["watch"]["running"] is True and thread.alive
            page = httpx.get(f"{server.url}/sources").text
            assert "The last pass failed: the store is unreachable" in page
            assert httpx.get(f"{server.url}/api/stories").status_code == 200  # the server is unharmed
            watcher.broken = False
            done = wait_for(
                lambda: (got := get_json(f"{server.url}/api/sources")) and got["watch"]["passes"] and got,
                "the next pass, after the back-off",
            )
            assert done["watch"]["failed_passes"] >= 1 and done["watch"]["last_error"] is None
            assert "polled 4 sources: 4 read" in done["watch"]["last_pass"]
            assert httpx.get(f"{server.url}/api/stories").json()["total"] == 3
        assert not thread.alive  # stopped with the server


def test_stopping_the_server_cuts_a_pass_short_and_records_nothing(tmp_path: Path) -> None:
    settings = fast(str(tmp_path / "s.db"), fetch_timeout=5.0)
    with Site() as site:
        for name in ("a", "b", "c"):
            site.route(f"/{name}.xml", body=rss(name, []), content_type="application/rss+xml", delay=2.0)
        with Desk(settings) as desk:
            # one host, so one fetch at a time: the second is started when the first ends, the third waits
            add_sources(desk, [site.url(f"/{name}.xml") for name in ("a", "b", "c")])
            with Watcher(desk) as watcher:
                server = serve(settings, desk, watcher).__enter__()
                thread = server.app.state.watch  # type: ignore[attr-defined]
                wait_for(lambda: site.peak_active >= 1, "the first fetch to start", every=0.01)
                started = time.monotonic()
                server.__exit__(None, None, None)  # while the first fetch is in flight
                stopped_in = time.monotonic() - started
            assert not thread.alive and stopped_in < 15, stopped_in
            # the fetch in flight, perhaps the next one (it is started as the first ends, unless the stop
            # cancels it before a worker takes it up), never the third
            assert len(site.requests()) in (1, 2)
            state = thread.state()
            assert state.running is False and state.passes == 0 and state.last_error is None
            assert all(item.source.last_fetch_at is None for item in list_sources(desk))  # nothing recorded


def test_serve_watch_options_are_checked() -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["serve", "--interval", "15m"])
    assert res.exit_code == 2 and "--interval applies to --watch" in res.output
    res = runner.invoke(main, ["serve", "--watch", "--get", "/api/sources"])
    assert res.exit_code == 2 and "leave out --get" in res.output
    res = runner.invoke(main, ["serve", "--help"])
    assert res.exit_code == 0 and "--watch" in res.output and "serve --watch" in res.output
