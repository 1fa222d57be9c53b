"""Briefing from stored vectors (#17): the embedder a briefing sees answers known texts without the model,
and its vectors are the model's own, so a briefing from stored vectors is a briefing from scratch."""

from __future__ import annotations

import numpy as np

from storydesk.brief._stored import KnownVectors
from storydesk.group.embed import MiniLMEmbedder

TEXTS = [
    "The council approved the budget on Tuesday.",
    "Flood waters rose overnight in the river valley.",
    "The minister said the talks would resume next week.",
    "Shares fell sharply after the announcement.",
]


class Counting(MiniLMEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []

    def _run(self, texts):  # type: ignore[no-untyped-def]
        self.ran.extend(texts)
        return super()._run(texts)


def test_vectors_do_not_depend_on_what_else_is_embedded() -> None:
    """What makes stored vectors exact: a text's vector is the same alone or in any batch."""
    model = MiniLMEmbedder()
    together = model._run(TEXTS)
    for i, t in enumerate(TEXTS):
        assert model._run([t])[0].tobytes() == together[i].tobytes()
    assert model._run(TEXTS[::-1])[::-1].tobytes() == together.tobytes()


def test_known_texts_are_answered_without_the_model() -> None:
    reference = MiniLMEmbedder().embed(TEXTS)
    model = Counting()
    built: list[int] = []

    def base() -> Counting:
        built.append(1)
        return model

    known = KnownVectors(base, {TEXTS[0]: reference[0], TEXTS[2]: reference[2]})
    out = known.embed([TEXTS[0], TEXTS[2], TEXTS[0]])
    assert not built  # nothing unknown: the model is not even built
    assert out.tobytes() == reference[[0, 2, 0]].tobytes()
    out = known.embed(TEXTS)
    assert model.ran == [TEXTS[1], TEXTS[3]]  # only the unknown texts run
    assert out.dtype == np.float32 and out.tobytes() == reference.tobytes()
    assert list(known.fresh) == [TEXTS[1], TEXTS[3]]
    known.embed(TEXTS)
    assert model.ran == [TEXTS[1], TEXTS[3]]  # once computed, known


def test_what_a_briefing_computed_is_kept_by_the_articles_that_hold_it() -> None:
    from storydesk.analyse import StoredAnalysis, analyse_article, article_fingerprint
    from storydesk.brief._stored import analyses_to_store
    from storydesk.model import Article

    a = Article(id="a", title="T", text="PARIS -- The talks resumed. Shares fell sharply.", outlet="X")
    b = Article(id="b", title="U", text="Shares fell sharply. The minister spoke.", outlet="Y")
    analyses = {x.id: analyse_article(x) for x in (a, b)}
    v = {
        t: np.full(4, float(k), dtype=np.float32)
        for k, t in enumerate(
            ["The talks resumed.", "Shares fell sharply.", "The minister spoke.", "An LLM's sentence."]
        )
    }
    # a already holds one vector; b nothing yet
    before = StoredAnalysis(
        "a", article_fingerprint(a), None, ("The talks resumed.",), v["The talks resumed."][None, :]
    )
    out = {s.article_id: s for s in analyses_to_store(analyses, {"a": before}, v, facts=False, vectors=True)}
    assert out["a"].texts == (
        "The talks resumed.",
        "Shares fell sharply.",
    )  # extended, never replaced by less
    assert out["b"].texts == ("Shares fell sharply.", "The minister spoke.")  # a shared text: kept by both
    assert (
        out["a"].vectors.tobytes() == np.stack([v["The talks resumed."], v["Shares fell sharply."]]).tobytes()
    )
    # nothing new for either: nothing to write
    again = {"a": out["a"], "b": out["b"]}
    assert analyses_to_store(analyses, again, v, facts=False, vectors=True) == []
