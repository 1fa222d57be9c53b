"""Helpers of the web tests: invented articles, a seeded store, a live server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from storydesk.analyse.sentences import split_sentences
from storydesk.config import Settings
from storydesk.model import (
    Article,
    ArticleRef,
    Briefing,
    Claim,
    Entity,
    Quote,
    Story,
    SummarySentence,
    TimelineEvent,
)
from storydesk.render import briefing_to_dict
from storydesk.service import Desk, Watcher
from storydesk.web import create_app


def make_article(text: str, *, outlet: str, title: str, published: str, url: str | None = None) -> Article:
    return Article(
        id=Article.make_id(text=text, url=url, outlet=outlet, title=title),
        title=title,
        text=text,
        outlet=outlet,
        published=published,
        url=url,
        removed=("Subscribe to our newsletter", "Share this article"),
    )


def sentence_index(article: Article, needle: str) -> int:
    for s in split_sentences(article):
        if needle in s.text:
            return s.index
    raise AssertionError(f"{needle!r} not in {article.title!r}")


def seed_story(desk: Desk, articles: list[Article], *, cite: str, title: str | None = None) -> Briefing:
    """Store ``articles`` as one story whose one-sentence summary is the sentence holding ``cite``."""
    for a in articles:
        desk.store.add_article(a)
    lead = articles[-1]
    idx = sentence_index(lead, cite)
    text = split_sentences(lead)[idx].text
    ids = tuple(a.id for a in articles)
    outlets = tuple(sorted({a.outlet or "" for a in articles}))
    dates = sorted(a.published for a in articles if a.published)
    briefing = Briefing(
        story_id=Story.make_id(articles[0].id),
        title=title or articles[0].title,
        articles=tuple(ArticleRef(a.id, a.title, a.outlet, a.published, a.url, None) for a in articles),
        summary=(SummarySentence(text=text, citations=ids, source=lead.id, source_index=idx),),
        entities=(Entity(name="Ada Voss", type="PERSON", articles=ids, outlets=outlets, roles=("mayor",)),),
        quotes=(Quote(speaker="Ada Voss", text="We will not cut corners", articles=ids[:1], role="mayor"),),
        timeline=(TimelineEvent(date=dates[0], granularity="day", text=text, articles=ids),),
        claims=(
            Claim(text=text, status="corroborated", articles=ids, outlets=outlets, sources=len(outlets)),
            Claim(
                text="Only one outlet said this.",
                status="single_source",
                articles=ids[:1],
                outlets=outlets[:1],
                sources=1,
            ),
        ),
        first_published=dates[0],
        last_published=dates[-1],
    )
    desk.store.replace_story(
        Story(id=briefing.story_id, article_ids=ids),
        title=briefing.title,
        first_published=briefing.first_published,
        last_published=briefing.last_published,
        outlet_count=len(outlets),
        lead=text,
        briefing_json=json.dumps(briefing_to_dict(briefing), ensure_ascii=False),
        entities=[(e.name, e.type) for e in briefing.entities],
    )
    return briefing


def link_related(sd: Seeded, briefing: Briefing, related: tuple[str, ...]) -> None:
    """Store a seeded story again, now naming ``related`` stories of its subject (#21)."""
    store = sd.desk.store
    row = store.get_story(briefing.story_id)
    store.replace_story(
        Story(briefing.story_id, tuple(a.id for a in briefing.articles), related=related),
        title=row.title,
        first_published=row.first_published,
        last_published=row.last_published,
        outlet_count=row.outlet_count,
        lead=row.lead,
        briefing_json=store.get_briefing_json(briefing.story_id),
        entities=[(e.name, e.type) for e in briefing.entities],
    )


FILLER = " ".join(
    f"Paragraph filler sentence number {i} talks about the weather in general terms." for i in range(40)
)

BRIDGE = [
    make_article(
        "The harbour bridge in Lindmark closed on Tuesday after inspectors found cracks in two steel cables. "
        "Mayor Ada Voss said repairs would take three weeks.\n\n" + FILLER + "\n\n"
        "Ferries will run every ten minutes until the bridge reopens.",
        outlet="Lindmark Post",
        title="Harbour bridge closed after cracks found",
        published="2024-03-05",
        url="https://lindmark.example/bridge",
    ),
    make_article(
        "Inspectors closed the Lindmark harbour bridge on Tuesday when cracks appeared in two steel cables.\n\n"
        + FILLER
        + "\n\nFerries will run every ten minutes until the bridge reopens, the harbour office said.",
        outlet="Coast Herald",
        title="Lindmark bridge shut for repairs",
        published="2024-03-06",
        url="https://herald.example/lindmark",
    ),
]
LIBRARY = [
    make_article(
        "A new library opened in Farrow on Saturday with forty thousand books. "
        "The librarian Tomas Reed said children queued for hours.",
        outlet="Farrow Daily",
        title="Farrow opens new library",
        published="2024-04-01",
    )
]
HOSTILE = [
    make_article(
        "Officials in Quarry Vale said <script>window.__pwned=1</script> was found in a leaflet. "
        'A second leaflet carried <img src=x onerror="window.__pwned=1"> as a joke. '
        'A third linked to <a href="javascript:window.__pwned=1">click me</a> for prizes.',
        outlet="Vale <b>Times</b>",
        title='Leaflets <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">',
        published="2024-05-02",
        url="javascript:window.__pwned=1",
    )
]


@dataclass
class Seeded:
    settings: Settings
    desk: Desk
    bridge: Briefing
    library: Briefing
    hostile: Briefing


def seeded_desk(tmp_path: Path, **settings: object) -> Seeded:
    s = Settings(db=str(tmp_path / "web.db"), facts=False, embedder="tfidf").replace(**settings)
    desk = Desk(s)
    return Seeded(
        s,
        desk,
        bridge=seed_story(
            desk, BRIDGE, cite="Ferries will run every ten minutes until the bridge reopens, the"
        ),
        library=seed_story(desk, LIBRARY, cite="children queued"),
        hostile=seed_story(desk, HOSTILE, cite="second leaflet"),
    )


class LiveServer:
    """uvicorn serving an app on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app: object) -> None:
        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


def serve(settings: Settings, desk: Desk | None = None, watcher: Watcher | None = None) -> LiveServer:
    return LiveServer(create_app(settings, desk=desk, watcher=watcher))
