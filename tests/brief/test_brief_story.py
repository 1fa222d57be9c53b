"""brief_story analyses each article once and every step reads that analysis; with the facts layer off,
spaCy is never loaded; the options come from the settings."""

from __future__ import annotations

from typing import Any

import pytest

from storydesk import analyse
from storydesk.brief import BriefOptions, brief_story
from storydesk.components import Components
from storydesk.config import Settings
from storydesk.model import Article, Story

ARTICLES = {
    a.id: a
    for a in [
        Article(
            id="a",
            title="Dam bursts above Carrow Valley",
            outlet="Harbour Herald",
            published="2019-04-23",
            text=(
                "The Aldmere Dam collapsed on Tuesday morning and flooded three villages in Carrow Valley.\n\n"
                '"The water came like a wall," said Mayor Ellen Varga of Millbrook.\n\n'
                "Rescue teams searched the flooded villages until late in the evening."
            ),
        ),
        Article(
            id="b",
            title="Floods after Aldmere Dam failure",
            outlet="Meridian Post",
            published="2019-04-24",
            text=(
                "Three villages in Carrow Valley were flooded when the Aldmere Dam collapsed on Tuesday morning.\n\n"
                "Rescue teams searched the flooded villages until late in the evening on Tuesday.\n\n"
                "Engineers had warned about cracks in the dam wall since 2017, officials said."
            ),
        ),
    ]
}
STORY = Story("s1", ("a", "b"))


class _NoSpacy(Components):
    @property
    def nlp(self) -> Any:
        raise AssertionError("spaCy was loaded with the facts layer off")


def test_facts_off_never_loads_spacy() -> None:
    components = _NoSpacy(Settings(facts=False, embedder="tfidf"))
    briefing = brief_story(STORY, ARTICLES, components)
    assert briefing.summary and briefing.entities == () and briefing.claims == ()
    assert "analyse" in components.timer.seconds


@pytest.mark.parametrize("facts", [False, True])
def test_each_article_is_split_once(facts: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    split = analyse.split_sentences

    def counting(article: Article) -> Any:
        calls.append(article.id)
        return split(article)

    monkeypatch.setattr(analyse, "split_sentences", counting)
    briefing = brief_story(STORY, ARTICLES, Components(Settings(facts=facts, embedder="tfidf")))
    assert sorted(calls) == ["a", "b"]
    assert briefing.summary
    if facts:
        assert briefing.entities and briefing.timeline


def test_options_are_built_once_from_the_settings() -> None:
    components = Components(Settings(summary_sentences=3, facts=False))
    options = components.brief_options
    assert options is components.brief_options
    assert options.summary.max_sentences == 3 and options.facts is None
    assert BriefOptions.from_settings(Settings()).facts is not None


def test_every_public_name_of_the_brief_and_analyse_modules_exists() -> None:
    import importlib
    import pkgutil

    import storydesk.analyse
    import storydesk.brief

    for package in (storydesk.analyse, storydesk.brief):
        names = [package.__name__] + [
            m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
        ]
        for name in names:
            module = importlib.import_module(name)
            for public in getattr(module, "__all__", ()):
                assert hasattr(module, public), f"{name}.__all__ names {public}, which it lacks"
