from _paths import SHARED_DATA
from storydesk.analyse.sentences import split_sentences, split_text
from storydesk.model import Article

TEXT = (
    "Mr. Jonas Avery of the U.S. Forestry Office arrived at 9 a.m. on Monday. "
    "He said, “The fire is contained.” Crews stayed overnight.\n\n"
    "  Señora Pérez thanked the volunteers.   The road reopened at noon!\n\n\n"
    "Was anyone hurt? No one was hurt."
)


def test_offsets_point_into_article_text():
    article = Article(id="a1", title="Fire", text=TEXT)
    sentences = split_sentences(article)
    assert sentences, "no sentences"
    for n, s in enumerate(sentences):
        assert article.text[s.start : s.end] == s.text
        assert s.index == n
        assert s.article_id == "a1"
        assert s.text == s.text.strip()


def test_abbreviations_and_quotes_do_not_split():
    texts = [s.text for s in split_text(TEXT)]
    assert texts[0] == "Mr. Jonas Avery of the U.S. Forestry Office arrived at 9 a.m. on Monday."
    assert texts[1] == "He said, “The fire is contained.”"
    assert "Crews stayed overnight." in texts


def test_paragraphs_are_numbered_and_never_share_a_sentence():
    sentences = split_text(TEXT)
    paragraphs = {s.text: s.paragraph for s in sentences}
    assert paragraphs["Crews stayed overnight."] == 0
    assert paragraphs["Señora Pérez thanked the volunteers."] == 1
    assert paragraphs["No one was hurt."] == 2


def test_empty_text_has_no_sentences():
    assert split_text("") == []
    assert split_text("  \n\n  ") == []


def test_located_spans_equal_blingfire_offsets_on_real_news() -> None:
    """The str.find fast path gives exactly blingfire's own offsets (on every duc-stories paragraph)."""
    import json

    from storydesk.analyse.sentences import (
        _PARAGRAPH_BREAK,
        _sentence_spans,
        _sentence_spans_by_offsets,
    )

    path = SHARED_DATA / "stories" / "duc-stories.jsonl"
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh][:300]
    paragraphs = [p for t in texts for p in _PARAGRAPH_BREAK.split(t) if p.strip()]
    paragraphs += [
        "Prices rose  5%.   Then   they fell.",
        "“Stop,” he said. Dr. Lee left at 5 p.m. on Monday.",
    ]
    assert len(paragraphs) > 1000
    for p in paragraphs:
        assert _sentence_spans(p) == _sentence_spans_by_offsets(p), p[:80]


def test_a_sentence_not_found_verbatim_falls_back_to_offsets(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import blingfire

    from storydesk.analyse.sentences import _sentence_spans

    text = "The dam held. Crews stayed overnight."
    monkeypatch.setattr(blingfire, "text_to_sentences", lambda s: "The dam  held.\nrewritten")
    spans = _sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["The dam held.", "Crews stayed overnight."]
