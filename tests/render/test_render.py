"""Renderings of a briefing: JSON round trip, text/Markdown sections, escaped self-contained HTML."""

from __future__ import annotations

import json

from storydesk.model import ArticleRef, Briefing, Claim, Entity, Quote, SummarySentence, TimelineEvent
from storydesk.render import briefing_from_dict, briefing_to_dict, render


def _briefing() -> Briefing:
    return Briefing(
        story_id="s1",
        title="Bridge <b>closed</b>",
        first_published="2024-03-05",
        last_published="2024-03-06",
        articles=(
            ArticleRef(
                "a1",
                "First <script>x()</script>",
                "Post",
                "2024-03-05",
                "https://post.example/1",
                None,
                ("a3",),
                ("Wire",),
            ),
            ArticleRef("a2", "Second", "Herald", "2024-03-06", "javascript:alert(1)", "b.txt"),
        ),
        summary=(SummarySentence("Ferries will run every ten minutes.", ("a2", "a1"), "a1", 0),),
        entities=(Entity("Ada Voss", "PERSON", ("a1", "a2"), ("Post", "Herald"), ("mayor",)),),
        quotes=(Quote("Ada Voss", "We will not cut corners", ("a1",), "mayor"),),
        timeline=(
            TimelineEvent("2024-03-05", "day", "The bridge closed.", ("a1",), ("weekday_mismatch: x",)),
        ),
        claims=(
            Claim("Toll is 5", "disputed", ("a1",), ("Post",), (1,), 0.8, "number: 5 vs 6", 1),
            Claim("Toll is 6", "disputed", ("a2",), ("Herald",), (0,), 0.8, "number: 6 vs 5", 1),
            Claim("Only one outlet said this.", "single_source", ("a2",), ("Herald",), sources=1),
        ),
    )


def test_json_round_trip_keeps_every_field() -> None:
    b = _briefing()
    d = json.loads(render([b], "json"))["stories"][0]
    assert briefing_from_dict(d) == b
    assert d["summary"][0]["citations"] == ["a2", "a1"]
    assert briefing_to_dict(b)["claims"][1]["conflicts_with"] == [0]


def test_text_and_markdown_show_every_section_with_numbered_citations() -> None:
    for fmt in ("text", "md"):
        out = render([_briefing()], fmt)
        for section in (
            "Summary",
            "Actors",
            "Who said what",
            "Timeline",
            "Single source",
            "Disputed",
            "Sources",
        ):
            assert section in out, (fmt, section)
        assert "Ferries will run every ten minutes. [1,2]" in out
        assert (
            "Toll is 5 [1] (one source: Post)  ≠  Toll is 6 [2] (one source: Herald)  — number: 5 vs 6" in out
        )
        assert "also carried by: Wire" in out
        assert ("weekday\\_mismatch" if fmt == "md" else "weekday_mismatch") in out


def test_html_is_escaped_self_contained_and_cites_in_order() -> None:
    out = render([_briefing()], "html")
    assert out.startswith("<!doctype html>") and "<style>" in out and "<script" not in out
    assert "&lt;script&gt;x()&lt;/script&gt;" in out and "Bridge &lt;b&gt;closed&lt;/b&gt;" in out
    assert 'href="javascript:' not in out
    assert out.index('href="#src-a1"') < out.index('href="#src-a2"')
    assert "· one source: Post" in out and "· number: 5 vs 6" in out


def test_stories_of_the_same_subject_are_named_and_their_titles_escaped_in_markdown() -> None:
    import dataclasses

    first = dataclasses.replace(_briefing(), related=("s2",))
    second = dataclasses.replace(_briefing(), story_id="s2", title="Ferry *halted* <script>x()</script>")
    md = render([first, second], "md")
    assert "### Same subject" in md
    assert r"Ferry \*halted\* &lt;script&gt;x()&lt;/script&gt; · story s2" in md
    assert "<script>" not in md and "*halted*" not in md
    text = render([first, second], "text")
    assert "Same subject\n  • Ferry *halted* <script>x()</script> · story s2" in text  # plain text as is
    assert "Same subject" not in render([dataclasses.replace(first, related=())], "md")


def test_json_article_refs_say_whether_the_outlet_was_inferred() -> None:
    """#15: an outlet read from the page (a dateline, a site-name line) is marked in the JSON contract."""
    b = _briefing()
    inferred = ArticleRef("a9", "Wire copy", "AP", "2024-03-06", None, "c.txt", outlet_inferred=True)
    b = Briefing(b.story_id, b.title, (*b.articles, inferred), b.summary)
    d = json.loads(render([b], "json"))["stories"][0]
    assert [a["outlet_inferred"] for a in d["articles"]] == [False, False, True]
    assert briefing_from_dict(d) == b
    for a in d["articles"]:
        del a["outlet_inferred"]  # a briefing cached before #15 reads back as stated outlets
    assert [a.outlet_inferred for a in briefing_from_dict(d).articles] == [False, False, False]


def test_sources_are_counted_once_and_worded_once() -> None:
    """#15: an article of unknown outlet is its own source; articles of one outlet, or one wire story's
    copies (one source key), are one; two or more sources corroborate."""
    from storydesk.model import SourceSupport

    keys = {"a": "herald", "b": "herald", "c": "c", "w1": "wire", "w2": "wire"}
    outlets = {"a": "Herald", "b": "Herald", "w1": "Post", "w2": "Ledger"}
    one = SourceSupport.count(["a", "b"], keys, outlets)
    assert (one.sources, one.unnamed, one.corroborated, one.label) == (1, 0, False, "one source: Herald")
    alone = SourceSupport.count(["c"], keys, outlets)
    assert (alone.sources, alone.unnamed, alone.label) == (1, 1, "one source, outlet unknown")
    unknown = SourceSupport.count(["c", "d"], keys, outlets)  # "d": not even in the source map
    assert unknown.corroborated and unknown.label == "stated by 2 independent sources, outlets unknown"
    mixed = SourceSupport.count(["a", "c", "w1", "w2"], keys, outlets)
    assert (mixed.sources, mixed.unnamed) == (3, 1)
    assert mixed.label == (
        "stated by 3 independent sources: Herald, Post, Ledger and 1 more (outlet unknown); "
        "copies and names of one source count once"
    )
    claim = Claim("x", "corroborated", ("a", "c"), mixed.outlets, sources=3, unnamed_sources=1)
    assert claim.support == mixed
    # A briefing cached before #15 (no count stored) reads the count from its reason.
    old = Claim("x", "corroborated", ("a", "c"), ("Herald",), reason="stated by 2 independent sources")
    assert old.support.label == "stated by 2 independent sources: Herald and 1 more (outlet unknown)"
