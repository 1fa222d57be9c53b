"""Real-browser tests: Debian chromium driven by npm playwright-core (tests/web/browser.mjs, and
tests/web/browser_sources.mjs for the Sources page and the list's "updated since your last visit" marks).

Not skipped when the browser is missing: the test fails and says how to install it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from _followed import Followed, resave_after
from _web import BRIDGE, HOSTILE, Seeded, link_related, serve

from _paths import REPO
from storydesk.service import Watcher, list_sources

ROOT = REPO
DRIVER = ROOT / "tests" / "web" / "browser.mjs"
DRIVER_SOURCES = ROOT / "tests" / "web" / "browser_sources.mjs"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
INSTALL = (
    "install the browser test tools: `apt-get update && apt-get install -y chromium nodejs npm` "
    "and `npm ci` (or `npm install`) in the repository root (never `npx playwright install`)"
)


def run_browser(url: str, scenario: dict, driver: Path = DRIVER) -> dict:
    node = shutil.which("node")
    assert node, f"node not found: {INSTALL}"
    assert CHROMIUM.exists(), f"{CHROMIUM} not found: {INSTALL}"
    assert (ROOT / "node_modules" / "playwright-core").is_dir(), (
        f"node_modules/playwright-core missing: {INSTALL}"
    )
    proc = subprocess.run(
        [node, str(driver), url, str(ARTIFACTS), json.dumps(scenario)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, f"browser run failed:\n{proc.stderr[-3000:]}\n{proc.stdout[-2000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.browser
def test_browse_search_story_citation_and_hostile_article(live: tuple[str, Seeded]) -> None:
    url, sd = live
    cited = sd.bridge.summary[0]
    link_related(sd, sd.bridge, (sd.library.story_id,))
    res = run_browser(
        url,
        {
            "search": "ferries",
            "story_id": sd.bridge.story_id,
            "cited_article": cited.source,
            "cited_index": cited.source_index,
            "hostile_story": sd.hostile.story_id,
            "hostile_article": HOSTILE[0].id,
            "related_story": sd.library.story_id,
        },
    )
    assert res["listTitle"].startswith("Stories") and res["storyLinks"] == 3
    assert res["firstFocus"] == "Skip to content"
    assert res["searchHits"] == 2 and res["searchMarks"] >= 2
    assert res["storyH2"] == sd.bridge.title
    assert res["phoneOverflow"] is False
    # The story page links the story of the same subject; its list of the subject's stories names the first.
    assert res["relatedH2"] == sd.library.title
    assert res["subjectLinks"] == [f"/stories/{sd.bridge.story_id}"]
    # The citation lands on the cited sentence, highlighted and scrolled into view (it is far down the page).
    assert cited.source == BRIDGE[1].id
    assert res["markCount"] == 1 and res["markText"] == cited.text
    assert res["markParentId"] == f"s{cited.source_index}"
    assert res["markInViewport"] is True and res["scrollY"] > 200 and res["focusedMark"] is True
    for page in ("06-hostile-story.png", "07-hostile-article.png"):
        got = res[page]
        assert got["pwned"] == "undefined"
        assert all(s.endswith("/static/app.js") for s in got["scripts"]), got["scripts"]
        assert got["imgs"] == 0 and got["jsLinks"] == 0
        assert "<script>window.__pwned=1</script>" in got["text"]
        assert '<img src=x onerror="window.__pwned=1">' in got["text"]
    assert '<a href="javascript:window.__pwned=1">click me</a>' in res["07-hostile-article.png"]["text"]
    assert res["pwnedAfterClick"] == "undefined"
    assert not [e for e in res["consoleErrors"] if "Content Security Policy" in e]
    shots = {p.name for p in ARTIFACTS.glob("*.png")}
    assert {"01-stories.png", "03-story.png", "05-article-cited.png", "07-hostile-article.png"} <= shots
    docs = ROOT / "docs" / "screenshot-story.png"
    if not docs.exists() or os.environ.get("STORYDESK_UPDATE_SCREENSHOT"):
        shutil.copyfile(ARTIFACTS / "03-story.png", docs)


@pytest.mark.browser
def test_browse_updated_stories_and_the_sources_page(followed: Followed) -> None:
    sd = followed.seeded
    baseline = max(row.updated_at for row in sd.desk.stories())
    resave_after(sd, baseline)  # the library story is written again after the visitor's last look
    failing = next(i.source for i in list_sources(sd.desk) if i.source.last_status == "error")
    with Watcher(sd.desk) as watcher, serve(sd.settings, sd.desk, watcher) as server:
        res = run_browser(
            server.url,
            {
                "cookies": {"storydesk_active": baseline, "storydesk_last_visit": baseline},
                "failing_source": failing.id,
            },
            DRIVER_SOURCES,
        )
    stories = sd.desk.count_stories()
    assert stories == 6  # three seeded, three from the followed feeds
    first = res["first"]
    assert first["items"] == stories and first["ids"] == [sd.library.story_id]
    assert [" ".join(b.split()) for b in first["badges"]] == ["Updated since your last visit"]  # read aloud
    assert "1 updated since your last visit" in first["count"]
    assert res["reloaded"]["ids"] == [sd.library.story_id]  # the same visit: the marks stay
    active = res["cookies"]["storydesk_active"]
    assert active["value"] > baseline and active["httpOnly"] is True and active["sameSite"] == "Lax"
    assert res["cookies"]["storydesk_last_visit"]["value"] == baseline
    assert "storydesk" not in res["scriptCookies"]  # page scripts cannot read them
    assert res["sourcesTitle"].startswith("Sources") and res["navCurrent"] == "Sources"
    assert res["rows"] == 6 and res["headers"][:2] == ["Source", "Status"]
    assert res["failingStatus"].startswith("error 500") and "HTTP 500" in res["failingStatus"]
    assert res["watch"].startswith("Watched by this server")
    assert "6 sources · 1 failing" in res["count"]
    assert res["pwned"] == "undefined" and res["imgs"] == 0
    assert all(s.endswith("/static/app.js") for s in res["scripts"]), res["scripts"]
    assert '<img src=x onerror="window.__pwned=1">' in res["mainText"]  # the hostile title, as text
    assert res["phoneOverflow"] is False and res["regionScrolls"] is True and res["regionFocused"] is True
    assert not [e for e in res["consoleErrors"] if "Content Security Policy" in e]
    shots = {p.name for p in ARTIFACTS.glob("*.png")}
    assert {"08-stories-updated.png", "09-sources.png", "10-sources-phone.png"} <= shots
