"""The README's main job: `storydesk brief` on the bundled sample corpus, with the default settings.

Checks the grouping against examples/expected.json (three stories, two off-topic singletons, the
syndicated copy folded into its original) and the citation contract on real output.
"""

from __future__ import annotations

import json

import pytest

from _paths import REPO
from storydesk.analyse.sentences import split_sentences
from storydesk.brief.summarize.citations import equivalent
from storydesk.config import Settings
from storydesk.service import brief

EXPECTED = json.loads((REPO / "examples" / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    settings = Settings(db=str(tmp_path_factory.mktemp("ex") / "x.db"))
    return brief([REPO / "examples" / "news"], settings)


def _key(ref: dict) -> str:
    """The expected.json key of an article, matched by URL, or by title for text files without one."""
    for key, meta in EXPECTED["articles"].items():
        if (meta["url"] == ref["url"]) if ref["url"] else (meta["title"] == ref["title"]):
            return key
    raise AssertionError(f"article not in expected.json: {ref}")


@pytest.mark.slow
def test_sample_corpus_groups_as_expected(result) -> None:  # type: ignore[no-untyped-def]
    assert result.failures == []
    from storydesk.pipeline import read_articles

    ref_of = {
        a.id: {"url": a.url, "title": a.title}
        for a in read_articles([REPO / "examples" / "news"], Settings())
        if hasattr(a, "url")
    }
    found = []
    for b in result.briefings:
        keys = set()
        for a in b.articles:
            keys.add(_key({"url": a.url, "title": a.title}))
            keys.update(_key(ref_of[dup]) for dup in a.duplicates)
        found.append(keys)
    expected = [set(v) for v in EXPECTED["stories"].values()] + [{k} for k in EXPECTED["off_topic"]]
    assert sorted(map(sorted, found)) == sorted(map(sorted, expected))


@pytest.mark.slow
def test_syndicated_copy_is_folded_with_its_outlet(result) -> None:  # type: ignore[no-untyped-def]
    original, copy = EXPECTED["syndicated"][0]
    copy_outlet = EXPECTED["articles"][copy]["outlet"]
    refs = [a for b in result.briefings for a in b.articles]
    folded = [a for a in refs if a.url == EXPECTED["articles"][original]["url"]]
    assert len(folded) == 1 and len(folded[0].duplicates) == 1
    assert copy_outlet in folded[0].duplicate_outlets
    assert not [a for a in refs if a.url == EXPECTED["articles"][copy]["url"]]


@pytest.mark.slow
def test_every_summary_sentence_is_verbatim_and_each_citation_states_it(result) -> None:  # type: ignore[no-untyped-def]
    from storydesk.group.embed import get_embedder
    from storydesk.pipeline import read_articles

    embedder = get_embedder("minilm")
    articles = {
        a.id: a for a in read_articles([REPO / "examples" / "news"], Settings()) if hasattr(a, "text")
    }
    multi = 0
    for b in result.briefings:
        assert 1 <= len(b.summary) <= 5
        for s in b.summary:
            assert s.text in articles[s.source].text
            assert s.source in s.citations
            for cited in s.citations:
                if cited == s.source:
                    continue
                sentences = [x.text for x in split_sentences(articles[cited])]
                vecs = embedder.embed([s.text, *sentences])
                cosines = vecs[1:] @ vecs[0]
                assert any(
                    equivalent(s.text, x, cosine=float(c)) for x, c in zip(sentences, cosines, strict=True)
                ), f"{cited} is cited for a sentence it does not state: {s.text}"
            multi += len(s.citations) > 1
    assert multi >= 1, "no summary sentence is cited by more than one article"
