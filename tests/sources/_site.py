"""A real HTTP server on 127.0.0.1 that serves feeds, sitemaps and article pages, and misbehaves on purpose.

:class:`Site` maps paths to :class:`Route` s and logs every request (path, status, the request headers),
so a test can count what was fetched and how often. A route can answer with an ETag and/or
Last-Modified (and 304 to a matching conditional GET), a status and headers (429 with Retry-After), a
redirect, a delay before answering or a body that trickles, a huge body (with or without a
Content-Length), gzip or brotli. The server speaks HTTP/1.0 (a connection per request), which keeps it
simple and its request log exact.

The articles (:func:`story_articles`) are invented by the project: two stories of four articles each and
an unrelated one, with dates relative to today so that the 30-day age limit keeps them.
``bench/watch_bench.py`` uses the same server.
"""

from __future__ import annotations

import gzip
import html
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    body: bytes | Callable[[], bytes] = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    redirect: str | None = None
    delay: float = 0.0
    trickle: tuple[int, float] | None = None  # (bytes per write, seconds between writes)
    huge: int = 0  # stream this many bytes of filler instead of ``body``
    huge_length: bool = True  # send a Content-Length with the huge body
    encoding: str | None = None  # "gzip" or "br": compress the body (when the client accepts it)


@dataclass(frozen=True)
class Hit:
    path: str
    status: int
    headers: dict[str, str]
    at: float


class Site:
    """The server; use as a context manager (or :meth:`start` / :meth:`stop`)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.active: dict[str, int] = {}
        self.peak_active_per_host = 0
        self.peak_active = 0
        self._active_total = 0
        self.host = host
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:  # noqa: N802
                site._serve(self)

        self._server = ThreadingHTTPServer((host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> Site:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Site:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def route(self, path: str, **kwargs: Any) -> Route:
        self.routes[path] = Route(**kwargs)
        return self.routes[path]

    def requests(self, path: str | None = None, status: int | None = None) -> list[Hit]:
        with self.lock:
            return [
                h
                for h in self.hits
                if (path is None or h.path == path) and (status is None or h.status == status)
            ]

    def clear(self) -> None:
        with self.lock:
            self.hits.clear()

    # -- serving ----------------------------------------------------------------------------------

    def _log(self, handler: BaseHTTPRequestHandler, status: int) -> None:
        with self.lock:
            self.hits.append(Hit(handler.path, status, dict(handler.headers.items()), time.monotonic()))

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self._active_total += 1
            self.active[self.host] = self.active.get(self.host, 0) + 1
            self.peak_active = max(self.peak_active, self._active_total)
            self.peak_active_per_host = max(self.peak_active_per_host, self.active[self.host])
        try:
            self._answer(handler)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self.lock:
                self._active_total -= 1
                self.active[self.host] -= 1

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        route = self.routes.get(handler.path)
        if route is None:
            route = self.routes.get(handler.path.split("?", 1)[0])
        if route is None:
            self._log(handler, 404)
            handler.send_response(404)
            handler.send_header("Content-Type", "text/plain")
            handler.end_headers()
            handler.wfile.write(b"not found")
            return
        if route.delay:
            time.sleep(route.delay)
        if route.redirect is not None:
            self._log(handler, 302)
            handler.send_response(302)
            handler.send_header("Location", route.redirect)
            handler.end_headers()
            return
        inm = handler.headers.get("If-None-Match")
        ims = handler.headers.get("If-Modified-Since")
        if (route.etag and inm == route.etag) or (
            route.last_modified and not route.etag and ims == route.last_modified
        ):
            self._log(handler, 304)
            handler.send_response(304)
            if route.etag:
                handler.send_header("ETag", route.etag)
            handler.end_headers()
            return
        self._log(handler, route.status)
        handler.send_response(route.status)
        handler.send_header("Content-Type", route.content_type)
        if route.etag:
            handler.send_header("ETag", route.etag)
        if route.last_modified:
            handler.send_header("Last-Modified", route.last_modified)
        for key, value in route.headers.items():
            handler.send_header(key, value)
        if route.huge:
            if route.huge_length:
                handler.send_header("Content-Length", str(route.huge))
            handler.end_headers()
            block = b"x" * 65536
            sent = 0
            while sent < route.huge:
                handler.wfile.write(block)
                sent += len(block)
            return
        body = route.body() if callable(route.body) else route.body
        accepted = handler.headers.get("Accept-Encoding", "")
        if route.encoding == "gzip" and "gzip" in accepted:
            body = gzip.compress(body)
            handler.send_header("Content-Encoding", "gzip")
        elif route.encoding == "br" and "br" in accepted:
            import brotli

            body = brotli.compress(body)
            handler.send_header("Content-Encoding", "br")
        if not route.trickle:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if route.trickle:
            size, pause = route.trickle
            for start in range(0, len(body), size):
                handler.wfile.write(body[start : start + size])
                handler.wfile.flush()
                time.sleep(pause)
            return
        handler.wfile.write(body)


# -- content ---------------------------------------------------------------------------------------------

_FLOOD = [
    "Officials in {place} said the flood forced thousands of residents from their homes on Monday. "
    "Emergency crews worked through the night while the regional council opened two shelters.",
    "The flood in {place} left roads closed and schools shut, the regional council said on Tuesday. "
    "Crews from three neighbouring districts joined the response, and volunteers handed out blankets.",
    "Residents of {place} described the flood as the worst in living memory. "
    "A council spokeswoman promised a full inquiry into the flood and said insurers had been contacted.",
    "Engineers inspecting the damage from the flood in {place} warned that repairs could take months. "
    "The mayor of {place} asked the national government for emergency funds to cover the cost.",
    "Aid agencies arrived in {place} on Wednesday after the flood, bringing water and medical supplies. "
    "Local shops reopened slowly as the council counted the cost of the flood.",
]
_BRIDGE = [
    "A road bridge over the river Tarn at {place} gave way during the morning rush hour. "
    "Two lorries and a bus fell into the water, and divers recovered the drivers alive.",
    "Structural engineers had flagged corroded steel cables on the {place} span in a survey last year, "
    "documents seen by reporters show. The transport ministry declined to comment on the survey.",
    "Commuters in {place} face detours of up to forty kilometres while the crossing is closed. "
    "Ferry operators added extra sailings across the Tarn estuary to cope with the traffic.",
    "Prosecutors opened an investigation into the maintenance contractor responsible for the {place} bridge. "
    "The company said its inspections met every national standard.",
    "The government pledged to rebuild the {place} crossing within two years at a cost of 90 million crowns. "
    "Opposition deputies demanded an audit of every bridge built in the same decade.",
]
_OUTLETS = ["Northern Ledger", "Harbour Herald", "Valley Times", "Coast Courier"]


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    outlet: str
    published: datetime

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return len(self.text.split())


def story_articles(now: datetime | None = None) -> list[Story]:
    """Two invented stories of four articles each and one unrelated article, dated in the last days."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    out = []
    for topic, templates, place in (("flood", _FLOOD, "Lower Marsh"), ("bridge", _BRIDGE, "Kettleby")):
        for i in range(4):
            paragraphs = tuple(templates[(i + k) % len(templates)].format(place=place) for k in range(4))
            headline = ["residents flee", "roads closed", "inquiry promised", "repairs ahead"][i]
            out.append(
                Story(
                    slug=f"{topic}-{i}",
                    title=f"{topic.capitalize()} in {place}: {headline}",
                    paragraphs=paragraphs,
                    outlet=_OUTLETS[i],
                    # a day apart, so that a page's date (a day) orders them as the feed's (a time) does
                    published=now - timedelta(days=5 - i, hours=0 if topic == "flood" else 6),
                )
            )
    out.append(
        Story(
            slug="chess",
            title="Chess club wins county cup",
            paragraphs=(
                "The chess club of Ashwell won the county cup after a tense final round against Brindle. "
                "Its captain thanked the volunteers who run the Thursday evening sessions at the library.",
                "The club was founded forty years ago by two teachers and now has sixty members, the youngest "
                "of them nine years old. The final lasted more than five hours and ended in a rook endgame.",
                "Brindle's captain congratulated the winners and said his team would be back next season. "
                "The cup will be displayed in the library until the next tournament in the spring.",
            ),
            outlet="Village Voice",
            published=now - timedelta(days=2),
        )
    )
    return out


def page_html(story: Story, url: str, *, date: datetime | None = None) -> bytes:
    """An article page as a news site serves it: chrome around the article, metadata in the head."""
    when = (date or story.published).isoformat()
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(story.title)}</title>
<link rel="canonical" href="{html.escape(url)}">
<meta property="og:title" content="{html.escape(story.title)}">
<meta property="og:site_name" content="{html.escape(story.outlet)}">
<meta property="article:published_time" content="{when}">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{html.escape(story.title)}</h1>
<time datetime="{when}">{when[:10]}</time>
{paras}
</article>
<footer>Copyright {story.outlet}</footer>
</body></html>""".encode()


def rss(title: str, items: list[dict[str, Any]], *, link: str = "http://127.0.0.1/") -> bytes:
    """An RSS 2.0 feed; each item: title, link, published (datetime), and summary and/or content."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{html.escape(title)}</title><link>{html.escape(link)}</link><description>d</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{html.escape(item['title'])}</title>")
        if item.get("link"):
            parts.append(f"<link>{html.escape(item['link'])}</link>")
        if item.get("guid"):
            parts.append(f'<guid isPermaLink="false">{html.escape(item["guid"])}</guid>')
        if item.get("published") is not None:
            parts.append(f"<pubDate>{format_datetime(item['published'])}</pubDate>")
        if item.get("summary"):
            parts.append(f"<description>{html.escape(item['summary'])}</description>")
        if item.get("content"):
            parts.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def atom(title: str, items: list[dict[str, Any]]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{html.escape(title)}</title><id>urn:feed:{html.escape(title)}</id>",
        "<updated>2024-01-01T00:00:00Z</updated>",
    ]
    for n, item in enumerate(items):
        parts.append("<entry>")
        parts.append(f"<title>{html.escape(item['title'])}</title>")
        parts.append(f"<id>urn:entry:{n}</id>")
        parts.append(f'<link rel="alternate" href="{html.escape(item["link"])}"/>')
        parts.append(f"<updated>{item['published'].isoformat()}</updated>")
        parts.append(f"<published>{item['published'].isoformat()}</published>")
        if item.get("summary"):
            parts.append(f'<summary type="text">{html.escape(item["summary"])}</summary>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode()


def json_feed(title: str, items: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "items": [
                {
                    "id": item["link"],
                    "url": item["link"],
                    "title": item["title"],
                    "content_html": item.get("content"),
                    "summary": item.get("summary"),
                    "date_published": item["published"].isoformat(),
                }
                for item in items
            ],
        }
    ).encode()


def news_sitemap(entries: list[tuple[str, str, datetime]], *, publication: str = "Harbour Herald") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for loc, title, when in entries:
        parts.append(
            f"<url><loc>{html.escape(loc)}</loc><news:news><news:publication><news:name>{html.escape(publication)}"
            f"</news:name><news:language>en</news:language></news:publication>"
            f"<news:publication_date>{when.isoformat()}</news:publication_date>"
            f"<news:title>{html.escape(title)}</news:title></news:news></url>"
        )
    parts.append("</urlset>")
    return "\n".join(parts).encode()


def sitemap_index(children: list[tuple[str, datetime | None]]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, lastmod in children:
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        parts.append(f"<sitemap><loc>{html.escape(loc)}</loc>{mod}</sitemap>")
    parts.append("</sitemapindex>")
    return "\n".join(parts).encode()


def content_html(story: Story) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)


def teaser(story: Story) -> str:
    return story.paragraphs[0].split(". ")[0] + "."


HTTP_DATE = format_datetime(datetime(2024, 3, 1, 12, 0, tzinfo=UTC), usegmt=True)
