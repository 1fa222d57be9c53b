"""Names on real articles (#15): titles become roles, a bare surname joins the one full name ending with
it and stays apart when two do, a speaker described before the name is that person.

Articles from ../shared/data: DUC (AP, NYT), ECB+ and PolNeAR; each test names the article it reads.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from _paths import SHARED_DATA
from storydesk.analyse._nlp import load_nlp
from storydesk.analyse.entities import ActorResolver, extract_mentions, merge_entities
from storydesk.model import Entity


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


@cache
def _records(name: str) -> dict[str, dict[str, Any]]:
    with (SHARED_DATA / name).open(encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


def _actors(nlp: Any, name: str, article_id: str) -> tuple[dict[str, Entity], ActorResolver]:
    from storydesk.model import Article

    r = _records(name)[article_id]
    article = Article(id=r["id"], title=r.get("title") or "", text=r["text"], outlet=r.get("outlet"))
    entities, resolver = merge_entities(extract_mentions(article, nlp(article.text)), {article.id: article})
    return {e.name: e for e in entities}, resolver


@pytest.mark.parametrize(
    ("name", "article_id", "actor", "role"),
    [
        ("stories/duc-stories.jsonl", "APW19981022.0848", "Ali Khamenei", "Ayatollah"),
        ("stories/duc-stories.jsonl", "APW19981026.0485", "Desmond Tutu", "Archbishop"),
        ("stories/ecbplus-dev.jsonl", "13_9ecbplus", "John Bond", "State Fire Marshall"),
    ],
    ids=["ayatollah", "archbishop", "fire-marshall"],
)
def test_a_title_is_the_role_not_part_of_the_name(
    nlp: Any, shared_data: Path, name: str, article_id: str, actor: str, role: str
) -> None:
    """ "Ayatollah Ali Khamenei" and "Archbishop Desmond Tutu" come out of spaCy as one entity with the
    title inside; "State Fire Marshall John Bond" spells the title "Marshall" (a name on its own)."""
    actors, resolver = _actors(nlp, name, article_id)
    assert any(r.endswith(role) for r in actors[actor].roles), actors[actor].roles
    assert not any(n.startswith(role.split()[-1]) for n in actors)
    assert resolver.resolve(f"{role} {actor}") == actor


def test_a_bare_surname_joins_the_one_full_name_ending_with_it(nlp: Any, shared_data: Path) -> None:
    """AP, 14 Oct 1998: "Boris Yeltsin", "Yeltsin" and "pro-Yeltsin" (not a name: the surname has one
    candidate, not two)."""
    actors, resolver = _actors(nlp, "stories/duc-stories.jsonl", "APW19981014.0819")
    assert "Yeltsin" not in actors
    assert "Yeltsin" in actors["Boris Yeltsin"].aliases
    assert resolver.resolve("Yeltsin") == resolver.resolve("Mr. Yeltsin") == "Boris Yeltsin"


@pytest.mark.parametrize(
    ("name", "article_id", "surname", "people"),
    [
        (
            "stories/duc-stories.jsonl",
            "APW19981109.0767",
            "Mandela",
            {"Nelson Mandela", "Winnie Madikizela-Mandela"},
        ),
        (
            "quotes/polnear-dev.jsonl",
            "nyt_2015-11-24_momentum-builds-to-tax-consumpti",
            "Bush",
            {"George H.W. Bush", "George W. Bush", "Jeb Bush"},
        ),
    ],
    ids=["husband-and-wife", "father-and-sons"],
)
def test_a_surname_two_people_share_stays_apart(
    nlp: Any, shared_data: Path, name: str, article_id: str, surname: str, people: set[str]
) -> None:
    """Nelson and Winnie Mandela (DUC); George H.W. Bush and his sons George W. and Jeb (NYT, PolNeAR):
    "Mandela", "Bush" alone name none of them."""
    actors, resolver = _actors(nlp, name, article_id)
    full = {n for n in actors if n.endswith(f" {surname}") or n.endswith(f"-{surname}")}
    assert people <= full and len(full) >= 2
    assert resolver.resolve(surname) not in full
    assert all(surname not in actors[n].aliases for n in full)


@pytest.mark.parametrize(
    ("article_id", "source", "actor"),
    [
        (
            "breitbart_2016-07-13_trump-demands-ginsburg-resign-fo",
            "Senate Majority Leader Mitch McConnell",
            "Mitch McConnell",
        ),
        (
            "breitbart_2016-02-08_the-latest-nh-towns-cast-first-v",
            "Former Secretary of State Madeleine Albright",
            "Madeleine Albright",
        ),
    ],
)
def test_a_source_described_before_the_name_is_that_person(
    nlp: Any, shared_data: Path, article_id: str, source: str, actor: str
) -> None:
    """PolNeAR's gold sources: the quoted person as the article introduces them."""
    record = _records("quotes/polnear-dev.jsonl")[article_id]
    assert source in {a["source"] for a in record["attributions"]}
    _, resolver = _actors(nlp, "quotes/polnear-dev.jsonl", article_id)
    assert resolver.resolve(source) == actor


@pytest.mark.parametrize(
    ("article_id", "written", "actor", "title"),
    [
        ("XIE19970404.0031", "President Jacques Chirac", "Jacques Chirac", "President"),
        ("APW19981003.0705", "Chairman Alan Greenspan", "Alan Greenspan", "Chairman"),
        ("NYT19980605.0006", "Dr. Takaaki Kajita", "Takaaki Kajita", None),
        ("NYT19981005.0386", "Mr. Fazul", "Fazul", None),
    ],
    ids=["president", "chairman", "dr", "mr"],
)
def test_titles_and_honorifics_are_no_part_of_the_name(
    nlp: Any, shared_data: Path, article_id: str, written: str, actor: str, title: str | None
) -> None:
    """DUC articles (AP, NYT, Xinhua) naming people with a title or an honorific: the actor is the name
    alone, no actor's name opens with a title, and a title (not an honorific) is the actor's role."""
    actors, resolver = _actors(nlp, "stories/duc-stories.jsonl", article_id)
    assert written in _records("stories/duc-stories.jsonl")[article_id]["text"]
    assert resolver.resolve(written) == actor
    heads = {"president", "chairman", "dr", "mr", "mrs", "ms", "marshal", "marshall"}
    people = [n for n, e in actors.items() if e.type == "PERSON"]
    assert not [n for n in people if n.split()[0].rstrip(".").casefold() in heads], people
    if title is not None:
        assert any(title in r for r in actors[actor].roles), actors[actor].roles


@cache
def _duc2004_story(story_id: str) -> list[dict[str, Any]]:
    with (SHARED_DATA / "mds" / "duc2004.jsonl").open(encoding="utf-8") as f:
        for row in map(json.loads, f):
            if row["id"] == story_id:
                return list(row["articles"])
    raise LookupError(story_id)


def _story_actors(nlp: Any, story_id: str) -> dict[str, Entity]:
    from storydesk.model import Article

    articles = [
        Article(id=r["id"], title=r.get("title") or "", text=r["text"], outlet=r.get("outlet"))
        for r in _duc2004_story(story_id)
    ]
    mentions = [m for a in articles for m in extract_mentions(a, nlp(a.text))]
    entities, _ = merge_entities(mentions, {a.id: a for a in articles})
    return {e.name: e for e in entities}


def test_a_story_names_a_person_as_most_articles_write_the_name(nlp: Any) -> None:
    """DUC 2004 d30001t (ten AP articles on Cambodia's coalition talks, 1998):
    - one article writes "Sam Ram Rainsy" once, every article "Sam Rainsy": the actor is Sam Rainsy;
    - "strongman Hun Sen. Hun Sen complained Monday …": the first "Sen." ends a name, it is no title
      (spaCy reads "Sen. Hun Sen" as the senator Hun Sen);
    - spaCy labels "Prince Norodom Ranariddh" an organisation: a title inside the entity makes it a person;
    - "the royalist FUNCINPEC party of Prince Norodom Ranariddh": "party of" is no part of his title."""
    actors = _story_actors(nlp, "d30001t")
    assert "Sam Rainsy" in actors and "Sam Ram Rainsy" not in actors
    assert not any(r.strip(".") == "Sen" for r in actors["Hun Sen"].roles), actors["Hun Sen"].roles
    ranariddh = actors["Norodom Ranariddh"]
    assert ranariddh.type == "PERSON"
    assert "Prince" in ranariddh.roles
    assert not any("party of" in r for r in ranariddh.roles), ranariddh.roles


def test_a_surname_the_small_model_calls_a_place_is_the_person_it_names(nlp: Any) -> None:
    """DUC 2004 d30003t (AP and NYT on Pinochet's arrest in London, 1998): spaCy labels the bare
    "Pinochet" GPE 45 times and "Augusto Pinochet" PERSON every time; "relations between Chile Spain and
    Britain" gives one LOC entity "Chile Spain", and "a Swiss-Chilean citizen" one for both nationalities.
    Pinochet is a person; Spain and Chilean stay actors of their own, not swallowed by the glued names."""
    actors = _story_actors(nlp, "d30003t")
    assert actors["Augusto Pinochet"].type == "PERSON"
    assert "Pinochet" not in actors
    assert {"Spain", "Chile", "Chilean"} <= actors.keys()
    assert "Chile Spain" not in actors or len(actors["Chile Spain"].articles) == 1


def test_a_place_has_no_role(nlp: Any) -> None:
    """DUC 2004 d30027t (AP and NYT on the 1998 crisis): "Thailand, a major U.S. ally" — spaCy reads one
    "U.S." as a person titled "Major"; the actor U.S. is a place, and a place holds no office."""
    actors = _story_actors(nlp, "d30027t")
    us = actors["U.S."]
    assert us.type == "GPE" and us.roles == ()
